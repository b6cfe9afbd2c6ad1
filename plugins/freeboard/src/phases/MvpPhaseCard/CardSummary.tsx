import {
  EntityDisplayName,
  EntityRefLink,
} from '@backstage/plugin-catalog-react';
import {
  InitiativePhaseState,
  InitiativeState,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import BlockIcon from '@material-ui/icons/Block';
import CheckCircleOutlineIcon from '@material-ui/icons/CheckCircleOutline';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import EventIcon from '@material-ui/icons/Event';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import {
  criteriaProgress,
  daysUntil,
  describeAdoption,
  describeDaysLeft,
  describeProgress,
  formatDay,
  phaseLabel,
  nextPhaseLabel,
} from '../format';
import { PhaseStepper } from '../PhaseStepper';
import { usePhaseStyles } from '../styles';

function CriteriaSection(props: {
  state: InitiativeState;
  phase: InitiativePhaseState;
}) {
  const { state, phase } = props;
  const classes = usePhaseStyles();
  const progress = criteriaProgress(phase.criteria);
  const settled = progress.done + progress.waived;
  const blockers = state.blockers.length;
  const to = nextPhaseLabel(state);
  return (
    <>
      <Typography className={classes.label} component="h3">
        Exit criteria
      </Typography>
      <Typography variant="body2">{describeProgress(progress)}</Typography>
      {progress.total > 0 && (
        <Box my={0.5}>
          <LinearProgress
            variant="determinate"
            value={(settled / progress.total) * 100}
            aria-label="Exit criteria done or waived"
            aria-valuetext={`${settled} of ${progress.total}`}
          />
        </Box>
      )}
      <Typography variant="body2" className={classes.inline}>
        {blockers === 0 ? (
          <>
            <CheckCircleOutlineIcon
              fontSize="small"
              className={classes.okIcon}
            />
            Ready to advance to {to}
          </>
        ) : (
          <>
            <ErrorOutlineIcon
              fontSize="small"
              className={classes.blockedIcon}
            />
            {blockers} {blockers === 1 ? 'thing blocks' : 'things block'} the
            advance to {to}
          </>
        )}
      </Typography>
    </>
  );
}

function SignoffSection(props: { phase: InitiativePhaseState }) {
  const classes = usePhaseStyles();
  const waiting = props.phase.signoffs.filter(s => s.state !== 'approved');
  return (
    <>
      <Typography className={classes.label} component="h3">
        Pending sign-offs
      </Typography>
      {waiting.length === 0 ? (
        <Typography variant="body2">None</Typography>
      ) : (
        <Box
          className={classes.row}
          component="ul"
          aria-label="Pending sign-offs"
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
        >
          {waiting.map(signoff => (
            <li key={signoff.groupRef}>
              <Chip
                size="small"
                variant="outlined"
                icon={
                  signoff.state === 'rejected' ? (
                    <BlockIcon className={classes.blockedIcon} />
                  ) : (
                    <HourglassEmptyIcon />
                  )
                }
                label={
                  <>
                    <EntityDisplayName
                      entityRef={signoff.groupRef}
                      defaultKind="group"
                      hideIcon
                      disableTooltip
                    />
                    {signoff.state === 'rejected' ? ': rejected' : ''}
                  </>
                }
              />
            </li>
          ))}
        </Box>
      )}
    </>
  );
}

function TargetSection(props: { phase: InitiativePhaseState }) {
  const { targetDate } = props.phase;
  const classes = usePhaseStyles();
  const overdue = targetDate ? daysUntil(targetDate) < 0 : false;
  return (
    <>
      <Typography className={classes.label} component="h3">
        Target date
      </Typography>
      {targetDate ? (
        <Typography variant="body2" className={classes.inline}>
          {overdue ? (
            <ErrorOutlineIcon
              fontSize="small"
              className={classes.blockedIcon}
            />
          ) : (
            <EventIcon fontSize="small" />
          )}
          {formatDay(targetDate)} · {describeDaysLeft(targetDate)}
        </Typography>
      ) : (
        <Typography variant="body2">No target date set</Typography>
      )}
    </>
  );
}

/** The started initiative at a glance: where it is and what holds it. */
export function CardSummary(props: { state: InitiativeState }) {
  const { state } = props;
  const classes = usePhaseStyles();
  const phase = state.phases.find(p => p.id === state.phase) ?? state.phases[0];
  return (
    <>
      <Typography variant="subtitle1" component="p">
        {phaseLabel(state.phase)} · iteration {state.iteration}
      </Typography>
      <PhaseStepper phases={state.phases} />
      <CriteriaSection state={state} phase={phase} />
      <SignoffSection phase={phase} />
      <Typography className={classes.label} component="h3">
        Pioneer team
      </Typography>
      <Typography variant="body2">
        {state.pioneerTeamRef ? (
          <EntityRefLink entityRef={state.pioneerTeamRef} defaultKind="group" />
        ) : (
          'Not chosen yet'
        )}
      </Typography>
      <Typography className={classes.label} component="h3">
        Adoption
      </Typography>
      <Typography variant="body2">{describeAdoption(state)}</Typography>
      <TargetSection phase={phase} />
    </>
  );
}
