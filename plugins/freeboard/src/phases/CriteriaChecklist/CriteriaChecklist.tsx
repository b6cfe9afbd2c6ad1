import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  InitiativePhaseState,
  PhaseCriterion,
  PhasesConfig,
  SetCriterionRequest,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import { useState } from 'react';
import { freeboardApiRef } from '../../shared';
import { criteriaProgress, describeProgress, phaseLabel } from '../format';
import { PanelProps } from '../panelProps';
import { AddCriterionDialog } from './AddCriterionDialog';
import { CriterionItem } from './CriterionItem';
import { WaiveDialog } from './WaiveDialog';

/**
 * The exit criteria of one phase: progress, and each criterion with its
 * badges, state and who settled it; for leads, ticks, waivers, reopening,
 * own criteria added and removed.
 */
export function CriteriaChecklist(
  props: PanelProps & { phase: InitiativePhaseState; config: PhasesConfig },
) {
  const { entityRef, phase, config, editable, run, act } = props;
  const api = useApi(freeboardApiRef);
  const [waiving, setWaiving] = useState<PhaseCriterion>();
  const [adding, setAdding] = useState(false);
  // The criterion whose write is under way: its controls wait for it.
  const [busy, setBusy] = useState<string>();

  const setState = async (
    criterion: PhaseCriterion,
    request: Omit<SetCriterionRequest, 'expectedVersion'>,
  ) => {
    setBusy(criterion.id);
    await act(`Could not change “${criterion.title}”`, expectedVersion =>
      api.setPhaseCriterion(entityRef, criterion.id, {
        ...request,
        expectedVersion,
      }),
    );
    setBusy(undefined);
  };

  const remove = async (criterion: PhaseCriterion) => {
    setBusy(criterion.id);
    await act(`Could not remove “${criterion.title}”`, expectedVersion =>
      api.removePhaseCriterion(entityRef, criterion.id, { expectedVersion }),
    );
    setBusy(undefined);
  };

  const label = `Exit criteria of ${phaseLabel(phase.id)}`;
  return (
    <InfoCard
      title={label}
      subheader={describeProgress(criteriaProgress(phase.criteria))}
      titleTypographyProps={{ component: 'h2' }}
    >
      {phase.criteria.length === 0 ? (
        <Typography variant="body2">
          No exit criteria for this phase.
        </Typography>
      ) : (
        <List dense disablePadding aria-label={label}>
          {phase.criteria.map(criterion => (
            <CriterionItem
              key={criterion.id}
              criterion={criterion}
              editable={editable}
              busy={busy === criterion.id}
              onTick={done =>
                setState(criterion, { state: done ? 'done' : 'open' })
              }
              onReopen={() => setState(criterion, { state: 'open' })}
              onWaive={() => setWaiving(criterion)}
              onRemove={() => remove(criterion)}
            />
          ))}
        </List>
      )}
      {editable && (
        <Box mt={2}>
          <Button
            variant="outlined"
            color="primary"
            startIcon={<AddIcon />}
            onClick={() => setAdding(true)}
          >
            Add criterion
          </Button>
        </Box>
      )}
      {waiving && (
        <WaiveDialog
          entityRef={entityRef}
          criterion={waiving}
          config={config}
          run={run}
          onClose={() => setWaiving(undefined)}
        />
      )}
      {adding && (
        <AddCriterionDialog
          entityRef={entityRef}
          phase={phase.id}
          run={run}
          onClose={() => setAdding(false)}
        />
      )}
    </InfoCard>
  );
}
