import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import { freeboardApiRef } from '../../shared';
import { PHASES_TAB_PATH } from '../../routes';
import { useInitiativeRef, usePhasesPermissions } from '../hooks';
import { PhasesEmptyState } from '../PhasesEmptyState';
import { useInitiative } from '../useInitiative';
import { CardSummary } from './CardSummary';

const CARD_TITLE = 'MVP phase';
// A heading, so the card's section headings (h3) sit under one.
const TITLE_PROPS = { component: 'h2' };

/**
 * The entity's MVP initiative at a glance, for everyone: phase and
 * iteration, exit-criteria progress, pending sign-offs, pioneer team,
 * adoption and the target date, with a link to the Phases tab. Before it
 * starts, what MVP phases are, with Start for those allowed.
 */
export function MvpPhaseCard() {
  const api = useApi(freeboardApiRef);
  const { entity } = useEntity();
  const entityLink = useEntityRefLink();
  const entityRef = useInitiativeRef();
  const { canManage } = usePhasesPermissions(entityRef);
  const { state, error, run } = useInitiative(entityRef);
  const tabLink = {
    title: 'Open phases',
    link: `${entityLink(entity)}/${PHASES_TAB_PATH}`,
  };

  // The previous state stays on screen while a reload is under way.
  if (!state) {
    return (
      <InfoCard title={CARD_TITLE} titleTypographyProps={TITLE_PROPS}>
        {error ? (
          <ResponseErrorPanel
            error={error}
            title="Could not load the MVP phase"
          />
        ) : (
          <Progress />
        )}
      </InfoCard>
    );
  }

  if (!state.started) {
    return (
      <InfoCard title={CARD_TITLE} titleTypographyProps={TITLE_PROPS}>
        <PhasesEmptyState
          canManage={canManage}
          onStart={() => run(() => api.startInitiative(entityRef))}
        />
      </InfoCard>
    );
  }

  return (
    <InfoCard
      title={CARD_TITLE}
      titleTypographyProps={TITLE_PROPS}
      deepLink={tabLink}
    >
      <CardSummary state={state} />
    </InfoCard>
  );
}
