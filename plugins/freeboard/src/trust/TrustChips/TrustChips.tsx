import {
  PreflightVerdict,
  TrustLevel,
} from '@freeboard/backstage-plugin-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import CheckCircleOutlineIcon from '@material-ui/icons/CheckCircleOutline';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import ReportProblemOutlinedIcon from '@material-ui/icons/ReportProblemOutlined';
import StarBorderIcon from '@material-ui/icons/StarBorder';
import { ComponentType } from 'react';

type Tone = 'error' | 'warning' | 'success' | 'primary';

interface Presentation {
  label: string;
  Icon: ComponentType<{ className?: string }>;
  tone: Tone;
}

/*
 * Every state has its own icon and word as well as its colour, so it reads
 * the same to people who cannot tell the colours apart.
 */
const LEVELS: Record<TrustLevel, Presentation> = {
  overdrawn: { label: 'Overdrawn', Icon: ErrorOutlineIcon, tone: 'error' },
  thin: { label: 'Thin', Icon: ReportProblemOutlinedIcon, tone: 'warning' },
  healthy: { label: 'Healthy', Icon: CheckCircleOutlineIcon, tone: 'success' },
  strong: { label: 'Strong', Icon: StarBorderIcon, tone: 'primary' },
};

const VERDICTS: Record<PreflightVerdict, Presentation> = {
  affordable: {
    label: 'Affordable',
    Icon: CheckCircleOutlineIcon,
    tone: 'success',
  },
  risky: { label: 'Risky', Icon: ReportProblemOutlinedIcon, tone: 'warning' },
  overdrawn: { label: 'Overdrawn', Icon: ErrorOutlineIcon, tone: 'error' },
};

const toneColor = (theme: Theme, tone: Tone) => theme.palette[tone].main;

const useStyles = makeStyles(theme => ({
  chip: ({ tone }: { tone: Tone }) => ({
    borderColor: toneColor(theme, tone),
    fontWeight: 'bold',
  }),
  icon: ({ tone }: { tone: Tone }) => ({
    color: `${toneColor(theme, tone)} !important`,
  }),
}));

function StatusChip(props: {
  presentation: Presentation;
  size?: 'small' | 'medium';
}) {
  const { label, Icon, tone } = props.presentation;
  const classes = useStyles({ tone });
  return (
    <Chip
      variant="outlined"
      size={props.size ?? 'small'}
      className={classes.chip}
      icon={<Icon className={classes.icon} />}
      label={label}
    />
  );
}

/** The word for a trust level, e.g. `Healthy`. */
export function trustLevelLabel(level: TrustLevel): string {
  return LEVELS[level].label;
}

/** A trust level as an icon and a word, tinted by how good it is. */
export function TrustLevelChip(props: {
  level: TrustLevel;
  size?: 'small' | 'medium';
}) {
  return <StatusChip presentation={LEVELS[props.level]} size={props.size} />;
}

/** A pre-flight verdict as an icon and a word. */
export function PreflightVerdictChip(props: {
  verdict: PreflightVerdict;
  size?: 'small' | 'medium';
}) {
  return (
    <StatusChip presentation={VERDICTS[props.verdict]} size={props.size} />
  );
}
