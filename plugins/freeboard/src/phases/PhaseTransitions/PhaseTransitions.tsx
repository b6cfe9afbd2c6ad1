import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import CheckCircleOutlineIcon from '@material-ui/icons/CheckCircleOutline';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import UndoIcon from '@material-ui/icons/Undo';
import { useState } from 'react';
import { freeboardApiRef } from '../../shared';
import {
  advanceLabel,
  earlierPhases,
  nextPhase,
  nextPhaseLabel,
} from '../format';
import { PanelProps } from '../panelProps';
import { usePhaseStyles } from '../styles';
import { StepBackDialog } from './StepBackDialog';

const BLOCKERS_ID = 'freeboard-phase-blockers';

/**
 * What blocks leaving the current phase, for everyone; and for those who
 * manage the initiative, Advance (disabled while anything blocks it, the
 * blockers listed beside it) and Step back.
 */
export function PhaseTransitions(props: PanelProps & { onMoved: () => void }) {
  const { entityRef, state, editable, run, act, onMoved } = props;
  const api = useApi(freeboardApiRef);
  const classes = usePhaseStyles();
  const [steppingBack, setSteppingBack] = useState(false);
  const [advancing, setAdvancing] = useState(false);
  const to = nextPhaseLabel(state);
  const blocked = state.blockers.length > 0;
  const canStepBack = earlierPhases(state.phase).length > 0;

  const advance = async () => {
    setAdvancing(true);
    const outcome = await act('Could not advance', expectedVersion =>
      api.transitionInitiative(entityRef, {
        to: nextPhase(state.phase),
        expectedVersion,
        direction: 'advance',
      }),
    );
    setAdvancing(false);
    if (outcome.status === 'done') onMoved();
  };

  return (
    <Box mt={1}>
      {blocked ? (
        <>
          <Typography className={classes.label} component="h3">
            What blocks the advance to {to}
          </Typography>
          <ul id={BLOCKERS_ID} aria-label={`What blocks the advance to ${to}`}>
            {state.blockers.map(blocker => (
              <li key={`${blocker.kind}:${blocker.id}`}>
                <Typography variant="body2" className={classes.inline}>
                  <ErrorOutlineIcon
                    fontSize="small"
                    className={classes.blockedIcon}
                  />
                  {blocker.title}
                </Typography>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <Typography variant="body2" className={classes.inline}>
          <CheckCircleOutlineIcon fontSize="small" className={classes.okIcon} />
          Nothing blocks the advance to {to}.
        </Typography>
      )}
      {editable && (
        <Box className={classes.row} mt={1}>
          <Button
            variant="contained"
            color="primary"
            startIcon={<ArrowForwardIcon />}
            disabled={blocked || advancing}
            aria-describedby={blocked ? BLOCKERS_ID : undefined}
            onClick={advance}
          >
            {advanceLabel(state)}
          </Button>
          {canStepBack && (
            <Button
              variant="outlined"
              startIcon={<UndoIcon />}
              onClick={() => setSteppingBack(true)}
            >
              Step back
            </Button>
          )}
        </Box>
      )}
      {steppingBack && (
        <StepBackDialog
          entityRef={entityRef}
          state={state}
          run={async write => {
            const outcome = await run(write);
            if (outcome.status === 'done') onMoved();
            return outcome;
          }}
          onClose={() => setSteppingBack(false)}
        />
      )}
    </Box>
  );
}
