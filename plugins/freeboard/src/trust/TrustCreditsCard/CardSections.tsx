import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  TrustConfig,
  TrustLedgerEntry,
  TrustSummary,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatDate } from '../../shared';
import { categoryTitle } from '../categories';
import { formatCredits, formatSignedAmount } from '../format';
import { TrustLevelChip } from '../TrustChips';

export const useCardStyles = makeStyles(theme => ({
  label: {
    color: theme.palette.text.secondary,
    textTransform: 'uppercase',
    fontSize: '0.7rem',
    fontWeight: 'bold',
    letterSpacing: '0.05em',
    marginTop: theme.spacing(1.5),
  },
  amount: {
    minWidth: '3.5em',
    fontVariantNumeric: 'tabular-nums',
    fontWeight: 'bold',
  },
  struck: {
    textDecoration: 'line-through',
  },
  item: {
    display: 'block',
  },
  row: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    width: '100%',
  },
  figures: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  // Overdue is said in words and bold text; the icon's colour only repeats it.
  warn: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    fontWeight: 'bold',
    color: theme.palette.text.primary,
  },
  warnIcon: {
    color: theme.palette.warning.main,
  },
}));

/** The teams with the lowest balances: those that paid the most. */
export function LowestConsumers(props: {
  consumers: TrustSummary['consumers'];
  count: number;
}) {
  const classes = useCardStyles();
  const lowest = props.consumers.slice(0, props.count);
  if (lowest.length === 0) return null;
  return (
    <>
      <Typography className={classes.label} component="h3">
        Teams that paid the most
      </Typography>
      <List dense disablePadding aria-label="Teams that paid the most">
        {lowest.map(consumer => (
          <ListItem key={consumer.consumerRef} disableGutters>
            <Box
              display="flex"
              alignItems="center"
              justifyContent="space-between"
              width="100%"
              style={{ gap: 8 }}
            >
              <EntityRefLink
                entityRef={consumer.consumerRef}
                defaultKind="group"
              />
              <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                <Typography variant="body2" className={classes.amount}>
                  {formatCredits(consumer.balance)}
                </Typography>
                <TrustLevelChip level={consumer.level} />
              </Box>
            </Box>
          </ListItem>
        ))}
      </List>
    </>
  );
}

/** The newest few ledger entries. */
export function LatestEntries(props: {
  entries: TrustLedgerEntry[];
  config: TrustConfig;
}) {
  const classes = useCardStyles();
  if (props.entries.length === 0) return null;
  return (
    <>
      <Typography className={classes.label} component="h3">
        Latest entries
      </Typography>
      <List dense disablePadding aria-label="Latest entries">
        {props.entries.map(entry => (
          <ListItem key={entry.id} disableGutters alignItems="flex-start">
            <Typography
              variant="body2"
              className={`${classes.amount} ${
                entry.revertedByEntryId ? classes.struck : ''
              }`}
            >
              {formatSignedAmount(entry.amount, entry.direction)}
            </Typography>
            <ListItemText
              primary={
                <>
                  {entry.title}
                  {entry.revertedByEntryId && ' (reverted)'}
                </>
              }
              secondary={`${categoryTitle(
                props.config,
                entry.category,
              )} · ${formatDate(entry.occurredAt)}`}
            />
          </ListItem>
        ))}
      </List>
    </>
  );
}
