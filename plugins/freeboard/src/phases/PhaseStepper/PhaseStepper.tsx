import {
  InitiativePhaseState,
  MvpPhase,
} from '@freeboard/backstage-plugin-common';
import Step from '@material-ui/core/Step';
import StepButton from '@material-ui/core/StepButton';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import RadioButtonCheckedIcon from '@material-ui/icons/RadioButtonChecked';
import RadioButtonUncheckedIcon from '@material-ui/icons/RadioButtonUnchecked';
import { formatDate } from '../../shared';
import { formatDay, phaseLabel } from '../format';

const useStyles = makeStyles(theme => ({
  stepper: {
    padding: theme.spacing(1, 0),
    background: 'transparent',
  },
  // Icons instead of MUI's numbered circles, whose white digits on a light
  // grey fail contrast; the icon's shape tells the status too.
  done: { color: theme.palette.success.main },
  current: { color: theme.palette.primary.main },
  upcoming: { color: theme.palette.text.secondary },
  selected: {
    fontWeight: 'bold',
    textDecoration: 'underline',
    textUnderlineOffset: '4px',
  },
  caption: {
    display: 'block',
    color: theme.palette.text.secondary,
  },
}));

const STATUS_WORDS: Record<InitiativePhaseState['status'], string> = {
  done: 'Done',
  current: 'Current',
  upcoming: 'Upcoming',
};

function StepIcon(props: { status: InitiativePhaseState['status'] }) {
  const classes = useStyles();
  if (props.status === 'done') {
    return <CheckCircleIcon className={classes.done} />;
  }
  if (props.status === 'current') {
    return <RadioButtonCheckedIcon className={classes.current} />;
  }
  return <RadioButtonUncheckedIcon className={classes.upcoming} />;
}

/** Under a step: its status in words, and with `showDates` when it ran. */
function StepCaption(props: {
  phase: InitiativePhaseState;
  showDates: boolean;
}) {
  const { phase, showDates } = props;
  const classes = useStyles();
  const lines = [STATUS_WORDS[phase.status]];
  if (showDates) {
    if (phase.enteredAt) lines.push(`Entered ${formatDate(phase.enteredAt)}`);
    if (phase.exitedAt) lines.push(`Exited ${formatDate(phase.exitedAt)}`);
    if (phase.targetDate && phase.status !== 'done') {
      lines.push(`Target ${formatDay(phase.targetDate)}`);
    }
  }
  return (
    <>
      {lines.map(line => (
        <Typography key={line} variant="caption" className={classes.caption}>
          {line}
        </Typography>
      ))}
    </>
  );
}

/**
 * The four phases of the iteration, the current one marked. With `onSelect`
 * each step is a button that selects its phase (the selected one pressed and
 * underlined); without, the stepper only shows.
 */
export function PhaseStepper(props: {
  phases: InitiativePhaseState[];
  showDates?: boolean;
  selected?: MvpPhase;
  onSelect?: (phase: MvpPhase) => void;
  /** Names the stepper for screen readers. */
  label?: string;
}) {
  const { phases, showDates = false, selected, onSelect } = props;
  const classes = useStyles();
  const current = phases.findIndex(p => p.status === 'current');

  return (
    <Stepper
      nonLinear
      alternativeLabel
      activeStep={current}
      className={classes.stepper}
      role="list"
      aria-label={props.label ?? 'MVP phases'}
    >
      {phases.map(phase => {
        const icon = <StepIcon status={phase.status} />;
        const caption = <StepCaption phase={phase} showDates={showDates} />;
        const labelClasses =
          selected === phase.id ? { label: classes.selected } : undefined;
        return (
          <Step
            key={phase.id}
            completed={phase.status === 'done'}
            active={phase.status === 'current'}
            role="listitem"
            aria-current={phase.status === 'current' ? 'step' : undefined}
          >
            {onSelect ? (
              // StepButton hands its icon and caption to the label it wraps.
              <StepButton
                icon={icon}
                optional={caption}
                onClick={() => onSelect(phase.id)}
                aria-pressed={selected === phase.id}
              >
                <StepLabel classes={labelClasses}>
                  {phaseLabel(phase.id)}
                </StepLabel>
              </StepButton>
            ) : (
              <StepLabel icon={icon} optional={caption} classes={labelClasses}>
                {phaseLabel(phase.id)}
              </StepLabel>
            )}
          </Step>
        );
      })}
    </Stepper>
  );
}
