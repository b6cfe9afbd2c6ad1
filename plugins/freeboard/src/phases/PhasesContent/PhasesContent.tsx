import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { MvpPhase } from '@freeboard/backstage-plugin-common';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { formatDate, freeboardApiRef } from '../../shared';
import useAsync from 'react-use/esm/useAsync';
import { AdoptionPanel } from '../AdoptionPanel';
import { CriteriaChecklist } from '../CriteriaChecklist';
import { asOfIso, phaseLabel } from '../format';
import {
  useInitiativeRef,
  useOwnershipRefs,
  usePhasesPermissions,
} from '../hooks';
import { PanelProps } from '../panelProps';
import { PhaseHistory } from '../PhaseHistory';
import { PhasesEmptyState } from '../PhasesEmptyState';
import { PhaseStepper } from '../PhaseStepper';
import { PhaseTransitions } from '../PhaseTransitions';
import { SignoffPanel } from '../SignoffPanel';
import { useInitiative } from '../useInitiative';
import { PhasesToolbar } from './PhasesToolbar';
import { PhaseNoticeAlert } from './PhaseNoticeAlert';
import { PhaseTarget } from './PhaseTarget';

/**
 * The entity's "Phases" tab: the platform leads' workspace for the MVP
 * initiative. Everyone sees the same tab; those who may not manage it (and
 * everyone looking at the past) see it without its actions.
 */
export function PhasesContent() {
  const api = useApi(freeboardApiRef);
  const entityRef = useInitiativeRef();
  const { canManage, canSignoff } = usePhasesPermissions(entityRef);
  const memberOf = useOwnershipRefs();
  const [asOfDay, setAsOfDay] = useState('');
  // Fixed when the day is chosen, so re-renders do not refetch.
  const [asOf, setAsOf] = useState<string>();
  const initiative = useInitiative(entityRef, asOf);
  const config = useAsync(() => api.getPhasesConfig(), [api]);
  // The phase whose criteria and sign-offs are shown; the current one
  // unless the user picked another.
  const [picked, setPicked] = useState<MvpPhase>();
  const [toolbarError, setToolbarError] = useState<string>();

  const changeAsOf = (day: string) => {
    setAsOfDay(day);
    setAsOf(day ? asOfIso(day) : undefined);
  };

  const { state, error, loading, notice, revision } = initiative;
  if (!state || !config.value) {
    const failure = error ?? config.error;
    return failure ? (
      <ResponseErrorPanel
        error={failure}
        title="Could not load the MVP phases"
      />
    ) : (
      <Progress />
    );
  }

  const pastView = Boolean(asOf);
  const panel: PanelProps = {
    entityRef,
    state,
    editable: canManage && !pastView,
    run: initiative.run,
    act: initiative.act,
  };
  const selected =
    state.phases.find(p => p.id === (picked ?? state.phase)) ?? state.phases[0];

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <PhasesToolbar
          entityRef={entityRef}
          asOfDay={asOfDay}
          onAsOfDayChange={changeAsOf}
          onError={setToolbarError}
        />
        {loading && <LinearProgress aria-label="Loading the initiative" />}
        {pastView && (
          <Alert
            severity="info"
            role="status"
            action={
              <Button color="inherit" onClick={() => changeAsOf('')}>
                Back to now
              </Button>
            }
          >
            Showing this initiative as of {formatDate(state.asOf ?? asOf!)}.
            This is a read-only view of the past.
          </Alert>
        )}
        {toolbarError && (
          <Alert severity="error" onClose={() => setToolbarError(undefined)}>
            {toolbarError}
          </Alert>
        )}
        {notice && (
          <PhaseNoticeAlert
            notice={notice}
            onClose={initiative.dismissNotice}
          />
        )}
      </Grid>
      {!state.started ? (
        <Grid item xs={12}>
          <InfoCard
            title="MVP phases"
            titleTypographyProps={{ component: 'h2' }}
          >
            <PhasesEmptyState
              canManage={canManage}
              asOf={asOf}
              onStart={() =>
                initiative.run(() => api.startInitiative(entityRef))
              }
            />
          </InfoCard>
        </Grid>
      ) : (
        <>
          <Grid item xs={12}>
            <InfoCard
              title={`${phaseLabel(state.phase)} · iteration ${
                state.iteration
              }`}
              subheader="Choose a phase to see its exit criteria and sign-offs."
              titleTypographyProps={{ component: 'h2' }}
            >
              <PhaseStepper
                phases={state.phases}
                showDates
                selected={selected.id}
                onSelect={setPicked}
              />
              <PhaseTarget {...panel} phase={selected} />
              <PhaseTransitions
                {...panel}
                onMoved={() => setPicked(undefined)}
              />
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={7}>
            <CriteriaChecklist
              {...panel}
              phase={selected}
              config={config.value}
            />
          </Grid>
          <Grid item xs={12} md={5}>
            <SignoffPanel
              {...panel}
              phase={selected}
              canDecide={canSignoff && !pastView}
              memberOf={memberOf}
            />
          </Grid>
          <Grid item xs={12}>
            <AdoptionPanel {...panel} />
          </Grid>
          <Grid item xs={12}>
            <PhaseHistory
              entityRef={entityRef}
              revision={revision}
              asOf={asOf}
            />
          </Grid>
        </>
      )}
    </Grid>
  );
}
