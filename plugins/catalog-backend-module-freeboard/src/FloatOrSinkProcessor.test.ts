import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { FloatOrSinkProcessor } from './FloatOrSinkProcessor';

const location = { type: 'url', target: 'https://example.com/catalog-info.yaml' };

function capability(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'artifact-registry', annotations },
    spec: { type: 'platform-capability', owner: 'platform-team' },
  };
}

async function run(entity: Entity) {
  const results: CatalogProcessorResult[] = [];
  const before = JSON.stringify(entity);
  const out = await new FloatOrSinkProcessor().postProcessEntity(
    entity,
    location,
    r => results.push(r),
  );
  expect(JSON.stringify(out)).toBe(before);
  return results;
}

describe('FloatOrSinkProcessor', () => {
  it('emits replaced-by relations in both directions for an entity ref', async () => {
    const results = await run(
      capability({
        'freeboard.dev/float-or-sink': 'float',
        'freeboard.dev/replaced-by': 'component:managed-artifact-registry',
      }),
    );
    const self = {
      kind: 'Component',
      namespace: 'default',
      name: 'artifact-registry',
    };
    const target = {
      kind: 'component',
      namespace: 'default',
      name: 'managed-artifact-registry',
    };
    expect(results).toEqual([
      {
        type: 'relation',
        relation: { source: self, type: 'freeboard.dev/replacedBy', target },
      },
      {
        type: 'relation',
        relation: { source: target, type: 'freeboard.dev/replaces', target: self },
      },
    ]);
  });

  it('emits no relation for a vendor product name', async () => {
    expect(
      await run(
        capability({
          'freeboard.dev/float-or-sink': 'float',
          'freeboard.dev/replaced-by': 'Amazon EKS',
        }),
      ),
    ).toEqual([]);
  });

  it('reports a bad decision value as an input error on the entity', async () => {
    const results = await run(
      capability({ 'freeboard.dev/float-or-sink': 'maybe' }),
    );
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      type: 'error',
      location,
      error: expect.objectContaining({
        name: 'InputError',
        message: expect.stringContaining('must be "float" or "sink"'),
      }),
    });
  });
});
