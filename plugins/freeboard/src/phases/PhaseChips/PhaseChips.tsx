import {
  CriterionState,
  PhaseCriterion,
  PhaseSignoff,
  TeamAdoption,
} from '@freeboard/backstage-plugin-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import BlockIcon from '@material-ui/icons/Block';
import CheckCircleOutlineIcon from '@material-ui/icons/CheckCircleOutline';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import LinkOffIcon from '@material-ui/icons/LinkOff';
import RadioButtonUncheckedIcon from '@material-ui/icons/RadioButtonUnchecked';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import { ComponentType } from 'react';
import { formatDate } from '../../shared';

type Tone = 'error' | 'warning' | 'success' | 'info' | 'neutral';

/*
 * Every state has its own icon and words as well as its colour, so it reads
 * the same to people who cannot tell the colours apart. The words keep the
 * theme's text colour; only the border and icon are tinted.
 */
const toneColor = (theme: Theme, tone: Tone) =>
  tone === 'neutral' ? theme.palette.text.secondary : theme.palette[tone].main;

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
  label: string;
  Icon: ComponentType<{ className?: string }>;
  tone: Tone;
}) {
  const { label, Icon, tone } = props;
  const classes = useStyles({ tone });
  return (
    <Chip
      variant="outlined"
      size="small"
      className={classes.chip}
      icon={<Icon className={classes.icon} />}
      label={label}
    />
  );
}

const CRITERION: Record<
  CriterionState,
  { label: string; Icon: ComponentType<{ className?: string }>; tone: Tone }
> = {
  done: { label: 'Done', Icon: CheckCircleOutlineIcon, tone: 'success' },
  open: { label: 'Open', Icon: RadioButtonUncheckedIcon, tone: 'neutral' },
  waived: { label: 'Waived', Icon: RemoveCircleOutlineIcon, tone: 'info' },
  expired: { label: 'Waiver expired', Icon: ErrorOutlineIcon, tone: 'error' },
};

/** A criterion's state in words: Done, Open, Waived until …, Waiver expired. */
export function criterionStateLabel(criterion: PhaseCriterion): string {
  const { label } = CRITERION[criterion.state];
  if (criterion.state === 'waived' && criterion.waiverExpiresAt) {
    return `Waived until ${formatDate(criterion.waiverExpiresAt)}`;
  }
  return label;
}

/** A criterion's state as an icon and words. */
export function CriterionStateChip(props: { criterion: PhaseCriterion }) {
  const { Icon, tone } = CRITERION[props.criterion.state];
  return (
    <StatusChip
      label={criterionStateLabel(props.criterion)}
      Icon={Icon}
      tone={tone}
    />
  );
}

const SIGNOFF: Record<
  PhaseSignoff['state'],
  { label: string; Icon: ComponentType<{ className?: string }>; tone: Tone }
> = {
  pending: { label: 'Pending', Icon: HourglassEmptyIcon, tone: 'warning' },
  approved: {
    label: 'Approved',
    Icon: CheckCircleOutlineIcon,
    tone: 'success',
  },
  rejected: { label: 'Rejected', Icon: BlockIcon, tone: 'error' },
};

/** A sign-off's state as an icon and a word. */
export function SignoffStateChip(props: { state: PhaseSignoff['state'] }) {
  return <StatusChip {...SIGNOFF[props.state]} />;
}

/** A team's adoption as an icon and words: Adopted since …, Not yet, Lost on …. */
export function AdoptionStateChip(props: { team: TeamAdoption }) {
  const { team } = props;
  if (team.state === 'adopted') {
    return (
      <StatusChip
        label={
          team.adoptedSince
            ? `Adopted since ${formatDate(team.adoptedSince)}`
            : 'Adopted'
        }
        Icon={CheckCircleOutlineIcon}
        tone="success"
      />
    );
  }
  if (team.state === 'lost') {
    return (
      <StatusChip
        label={team.lostAt ? `Lost on ${formatDate(team.lostAt)}` : 'Lost'}
        Icon={LinkOffIcon}
        tone="error"
      />
    );
  }
  return (
    <StatusChip
      label="Not yet"
      Icon={RadioButtonUncheckedIcon}
      tone="neutral"
    />
  );
}

const useBadgeStyles = makeStyles(theme => ({
  badge: {
    height: 20,
    fontSize: '0.7rem',
    color: theme.palette.text.primary,
  },
}));

/** Where a criterion comes from and how it is settled: Template / Own, Measured. */
export function CriterionBadges(props: { criterion: PhaseCriterion }) {
  const classes = useBadgeStyles();
  const { criterion } = props;
  return (
    <>
      <Chip
        size="small"
        variant="outlined"
        className={classes.badge}
        label={criterion.source === 'own' ? 'Own' : 'Template'}
      />
      {criterion.kind === 'measured' && (
        <Chip
          size="small"
          variant="outlined"
          className={classes.badge}
          label="Measured"
        />
      )}
    </>
  );
}
