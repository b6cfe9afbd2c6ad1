import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { FloatOrSinkCard } from './FloatOrSinkCard';

function entityWith(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'observability-stack', annotations },
    spec: { type: 'platform-capability', owner: 'platform-team' },
  };
}

describe('FloatOrSinkCard', () => {
  it('shows a floating decision with its replacement and an overdue review', async () => {
    await renderInTestApp(
      <EntityProvider
        entity={entityWith({
          'freeboard.dev/float-or-sink': 'float',
          'freeboard.dev/base-capability': 'Managed observability',
          'freeboard.dev/rationale': 'Self-hosting costs two engineers',
          'freeboard.dev/review-by': '2020-01-31',
          'freeboard.dev/replaced-by': 'Grafana Cloud',
        })}
      >
        <FloatOrSinkCard />
      </EntityProvider>,
    );
    expect(screen.getByText('Float')).toBeInTheDocument();
    expect(screen.getByText('Managed observability')).toBeInTheDocument();
    expect(screen.getByText('Grafana Cloud')).toBeInTheDocument();
    expect(screen.getByText(/review overdue/)).toBeInTheDocument();
  });

  it('explains bad annotations instead of hiding them', async () => {
    await renderInTestApp(
      <EntityProvider
        entity={entityWith({ 'freeboard.dev/float-or-sink': 'swim' })}
      >
        <FloatOrSinkCard />
      </EntityProvider>,
    );
    expect(screen.getByText(/annotations have problems/)).toBeInTheDocument();
  });
});
