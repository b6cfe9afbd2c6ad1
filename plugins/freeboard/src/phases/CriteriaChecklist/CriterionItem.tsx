import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { PhaseCriterion } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import IconButton from '@material-ui/core/IconButton';
import ListItem from '@material-ui/core/ListItem';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import DeleteOutlineIcon from '@material-ui/icons/DeleteOutline';
import { formatDate } from '../../shared';
import { CriterionBadges, CriterionStateChip } from '../PhaseChips';

const useStyles = makeStyles(theme => ({
  item: {
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  check: { marginTop: -theme.spacing(1) },
  // Keeps titles aligned where a row has no checkbox.
  noCheck: { width: 42, flexShrink: 0 },
  body: { flex: 1, minWidth: 0 },
  badges: {
    display: 'inline-flex',
    gap: theme.spacing(0.5),
    marginLeft: theme.spacing(1),
    verticalAlign: 'middle',
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'flex-end',
    gap: theme.spacing(0.5),
  },
}));

const VERBS: Record<PhaseCriterion['state'], string> = {
  done: 'Done',
  open: 'Reopened',
  waived: 'Waived',
  expired: 'Waived',
};

/** Who settled the criterion, when, and why, in a line. */
function Settled(props: { criterion: PhaseCriterion }) {
  const { criterion } = props;
  if (!criterion.changedBy && !criterion.reason) return null;
  const verb = VERBS[criterion.state];
  return (
    <Typography variant="caption" color="textSecondary" component="p">
      {criterion.changedBy && (
        <>
          {verb} by{' '}
          <EntityRefLink entityRef={criterion.changedBy} defaultKind="user" />
          {criterion.changedAt && ` on ${formatDate(criterion.changedAt)}`}
        </>
      )}
      {criterion.reason &&
        `${criterion.changedBy ? ': ' : ''}${criterion.reason}`}
    </Typography>
  );
}

/**
 * One exit criterion: its title, badges and state, who settled it and why.
 * Where the user may change it: a checkbox (done or not) for manual
 * criteria, Waive and Reopen, and Remove for the entity's own.
 */
export function CriterionItem(props: {
  criterion: PhaseCriterion;
  editable: boolean;
  busy: boolean;
  onTick: (done: boolean) => void;
  onWaive: () => void;
  onReopen: () => void;
  onRemove: () => void;
}) {
  const { criterion, editable, busy } = props;
  const classes = useStyles();
  const titleId = `freeboard-criterion-${criterion.id}`;
  const manual = criterion.kind === 'manual';
  const waived = criterion.state === 'waived' || criterion.state === 'expired';

  return (
    <ListItem disableGutters className={classes.item}>
      {editable && manual ? (
        <Checkbox
          className={classes.check}
          color="primary"
          checked={criterion.state === 'done'}
          disabled={busy}
          onChange={e => props.onTick(e.target.checked)}
          inputProps={{ 'aria-labelledby': titleId }}
        />
      ) : (
        editable && <span className={classes.noCheck} />
      )}
      <Box className={classes.body}>
        <Typography variant="body1" component="span" id={titleId}>
          {criterion.title}
        </Typography>
        <span className={classes.badges}>
          <CriterionBadges criterion={criterion} />
        </span>
        {criterion.description && (
          <Typography variant="body2" color="textSecondary">
            {criterion.description}
          </Typography>
        )}
        {criterion.kind === 'measured' && (
          <Typography variant="caption" color="textSecondary" component="p">
            Measured from the catalog
            {criterion.measured ? `: ${criterion.measured}` : ''}
          </Typography>
        )}
        <Settled criterion={criterion} />
      </Box>
      <Box className={classes.actions}>
        <CriterionStateChip criterion={criterion} />
        {editable && manual && criterion.state !== 'waived' && (
          <Button
            size="small"
            onClick={props.onWaive}
            disabled={busy}
            aria-label={`Waive “${criterion.title}”`}
          >
            Waive
          </Button>
        )}
        {editable && manual && waived && (
          <Button
            size="small"
            onClick={props.onReopen}
            disabled={busy}
            aria-label={`Reopen “${criterion.title}”`}
          >
            Reopen
          </Button>
        )}
        {editable && criterion.source === 'own' && (
          <Tooltip title="Remove this criterion">
            <IconButton
              size="small"
              onClick={props.onRemove}
              disabled={busy}
              aria-label={`Remove “${criterion.title}”`}
            >
              <DeleteOutlineIcon fontSize="small" />
            </IconButton>
          </Tooltip>
        )}
      </Box>
    </ListItem>
  );
}
