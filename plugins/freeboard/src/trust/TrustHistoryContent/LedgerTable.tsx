import { Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  isHttpUrl,
  TrustConfig,
  TrustLedgerEntry,
  trustEntryRevertPermission,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ArrowDownwardIcon from '@material-ui/icons/ArrowDownward';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import UndoIcon from '@material-ui/icons/Undo';
import { formatDate } from '../../shared';
import { categoryTitle } from '../categories';
import { directionLabel, formatSignedAmount, sourceLabel } from '../format';

const useStyles = makeStyles(theme => ({
  scroll: { overflowX: 'auto' },
  amount: {
    fontWeight: 'bold',
    whiteSpace: 'nowrap',
    fontVariantNumeric: 'tabular-nums',
  },
  struck: { textDecoration: 'line-through' },
  direction: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    whiteSpace: 'nowrap',
  },
  nowrap: { whiteSpace: 'nowrap' },
  marker: { marginTop: theme.spacing(0.5) },
  // Named for screen readers, invisible on screen.
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
}));

/**
 * Whether the backend would revert the entry at all: pulses are withdrawn by
 * their senders instead, corrections and reverted entries are final.
 */
export function isRevertable(entry: TrustLedgerEntry): boolean {
  return (
    entry.source !== 'pulse' &&
    !entry.revertsEntryId &&
    !entry.revertedByEntryId
  );
}

/**
 * The revert button of one entry, shown only when the permission policy
 * allows reverting this very entry (e.g. to its recorder, or to the owners of
 * the entity).
 */
function RevertAction(props: {
  entry: TrustLedgerEntry;
  onRevert: (entry: TrustLedgerEntry) => void;
}) {
  const { entry, onRevert } = props;
  const { allowed } = usePermission({
    permission: trustEntryRevertPermission,
    resourceRef: entry.id,
  });
  if (!allowed) return null;
  return (
    <Tooltip title="Revert with a compensating entry">
      <IconButton
        size="small"
        aria-label={`Revert “${entry.title}”`}
        onClick={() => onRevert(entry)}
      >
        <UndoIcon fontSize="small" />
      </IconButton>
    </Tooltip>
  );
}

function EntryTitle(props: {
  entry: TrustLedgerEntry;
  config: TrustConfig;
  reverted?: TrustLedgerEntry;
}) {
  const { entry, config, reverted } = props;
  const classes = useStyles();
  return (
    <>
      <Typography variant="body2">{entry.title}</Typography>
      <Typography variant="caption" color="textSecondary" component="p">
        {categoryTitle(config, entry.category)} · via{' '}
        {sourceLabel(entry.source)}
        {entry.evidenceUrl && isHttpUrl(entry.evidenceUrl) && (
          <>
            {' · '}
            <Link to={entry.evidenceUrl} className={classes.direction}>
              Evidence <OpenInNewIcon fontSize="inherit" />
            </Link>
          </>
        )}
      </Typography>
      {entry.description && (
        <Typography variant="caption" color="textSecondary" component="p">
          {entry.description}
        </Typography>
      )}
      {entry.revertedByEntryId && (
        <Chip
          className={classes.marker}
          size="small"
          icon={<UndoIcon />}
          label={`Reverted by entry #${entry.revertedByEntryId}`}
        />
      )}
      {entry.revertsEntryId && (
        <Chip
          className={classes.marker}
          size="small"
          variant="outlined"
          label={
            reverted
              ? `Correction of “${reverted.title}” (#${entry.revertsEntryId})`
              : `Correction of entry #${entry.revertsEntryId}`
          }
        />
      )}
    </>
  );
}

/**
 * The ledger as a table, newest first. Reverted entries stay (struck
 * through, marked); corrections say which entry they cancel. Entries the
 * backend would revert get a Revert button where the permission policy
 * allows it, each entry decided on its own.
 */
export function LedgerTable(props: {
  entries: TrustLedgerEntry[];
  config: TrustConfig;
  onRevert: (entry: TrustLedgerEntry) => void;
}) {
  const { entries, config, onRevert } = props;
  const classes = useStyles();
  const byId = new Map(entries.map(e => [e.id, e]));
  // No Actions column on a page without a single revertable entry.
  const hasActions = entries.some(isRevertable);

  return (
    <Box className={classes.scroll}>
      <Table size="small" aria-label="Trust ledger">
        <TableHead>
          <TableRow>
            <TableCell>Date</TableCell>
            <TableCell>Direction</TableCell>
            <TableCell align="right">Amount</TableCell>
            <TableCell>Entry</TableCell>
            <TableCell>Consumer</TableCell>
            <TableCell>Recorded by</TableCell>
            {hasActions && (
              <TableCell>
                <span className={classes.visuallyHidden}>Actions</span>
              </TableCell>
            )}
          </TableRow>
        </TableHead>
        <TableBody>
          {entries.map(entry => {
            const DirectionIcon =
              entry.direction === 'earn' ? ArrowUpwardIcon : ArrowDownwardIcon;
            return (
              <TableRow key={entry.id}>
                <TableCell className={classes.nowrap}>
                  <time dateTime={entry.occurredAt}>
                    {formatDate(entry.occurredAt)}
                  </time>
                </TableCell>
                <TableCell>
                  <span className={classes.direction}>
                    <DirectionIcon fontSize="small" />
                    {directionLabel(entry.direction)}
                  </span>
                </TableCell>
                <TableCell
                  align="right"
                  className={`${classes.amount} ${
                    entry.revertedByEntryId ? classes.struck : ''
                  }`}
                >
                  {formatSignedAmount(entry.amount, entry.direction)}
                </TableCell>
                <TableCell>
                  <EntryTitle
                    entry={entry}
                    config={config}
                    reverted={
                      entry.revertsEntryId
                        ? byId.get(entry.revertsEntryId)
                        : undefined
                    }
                  />
                </TableCell>
                <TableCell className={classes.nowrap}>
                  {entry.consumerRef ? (
                    <EntityRefLink
                      entityRef={entry.consumerRef}
                      defaultKind="group"
                    />
                  ) : (
                    '—'
                  )}
                </TableCell>
                <TableCell className={classes.nowrap}>
                  <EntityRefLink
                    entityRef={entry.recordedBy}
                    defaultKind="user"
                  />
                </TableCell>
                {hasActions && (
                  <TableCell>
                    {isRevertable(entry) && (
                      <RevertAction entry={entry} onRevert={onRevert} />
                    )}
                  </TableCell>
                )}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}
