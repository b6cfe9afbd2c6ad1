import { Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  TrustConfig,
  TrustLedgerEntry,
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
import { categoryTitle } from '../../trust/categories';
import {
  directionLabel,
  formatDate,
  formatSignedAmount,
  sourceLabel,
} from '../../trust/format';

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

/** Evidence links come from people; only http(s) ones become links. */
function isSafeLink(url: string): boolean {
  return /^https?:\/\//i.test(url);
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
        {entry.evidenceUrl && isSafeLink(entry.evidenceUrl) && (
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
 * through, marked); corrections say which entry they cancel.
 */
export function LedgerTable(props: {
  entries: TrustLedgerEntry[];
  config: TrustConfig;
  canRevert: boolean;
  onRevert: (entry: TrustLedgerEntry) => void;
}) {
  const { entries, config, canRevert, onRevert } = props;
  const classes = useStyles();
  const byId = new Map(entries.map(e => [e.id, e]));

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
            {canRevert && (
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
            const revertible =
              !entry.revertsEntryId && !entry.revertedByEntryId;
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
                {canRevert && (
                  <TableCell>
                    {revertible && (
                      <Tooltip title="Revert with a compensating entry">
                        <IconButton
                          size="small"
                          aria-label={`Revert “${entry.title}”`}
                          onClick={() => onRevert(entry)}
                        >
                          <UndoIcon fontSize="small" />
                        </IconButton>
                      </Tooltip>
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
