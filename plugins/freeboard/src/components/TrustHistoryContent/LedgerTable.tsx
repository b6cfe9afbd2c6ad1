import { Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  TrustConfig,
  TrustLedgerEntry,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
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
  reverted?: TrustLedgerEntry;
}) {
  const { entry, reverted } = props;
  const classes = useStyles();
  return (
    <>
      <Typography variant="body2">{entry.title}</Typography>
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
            <TableCell>Category</TableCell>
            <TableCell align="right">Amount</TableCell>
            <TableCell>Title</TableCell>
            <TableCell>Consumer</TableCell>
            <TableCell>Recorded by</TableCell>
            <TableCell>Source</TableCell>
            <TableCell>Evidence</TableCell>
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
                <TableCell>{categoryTitle(config, entry.category)}</TableCell>
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
                    reverted={
                      entry.revertsEntryId
                        ? byId.get(entry.revertsEntryId)
                        : undefined
                    }
                  />
                </TableCell>
                <TableCell>
                  {entry.consumerRef ? (
                    <EntityRefLink
                      entityRef={entry.consumerRef}
                      defaultKind="group"
                    />
                  ) : (
                    '—'
                  )}
                </TableCell>
                <TableCell>
                  <EntityRefLink
                    entityRef={entry.recordedBy}
                    defaultKind="user"
                  />
                </TableCell>
                <TableCell>{sourceLabel(entry.source)}</TableCell>
                <TableCell>
                  {entry.evidenceUrl && isSafeLink(entry.evidenceUrl) ? (
                    <Link to={entry.evidenceUrl} className={classes.direction}>
                      Evidence <OpenInNewIcon fontSize="inherit" />
                    </Link>
                  ) : (
                    '—'
                  )}
                </TableCell>
                {canRevert && (
                  <TableCell>
                    {revertible && (
                      <Button
                        size="small"
                        startIcon={<UndoIcon />}
                        aria-label={`Revert “${entry.title}”`}
                        onClick={() => onRevert(entry)}
                      >
                        Revert
                      </Button>
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
