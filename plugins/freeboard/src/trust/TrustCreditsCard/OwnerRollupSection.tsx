import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  OwnedCapability,
  OwnerRollup,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import ReportProblemOutlinedIcon from '@material-ui/icons/ReportProblemOutlined';
import { formatCredits } from '../format';
import { TrustLevelChip } from '../TrustChips';
import { useCardStyles } from './CardSections';
import { useShowAll } from './ShowAll';

/** Capabilities listed before "Show all". */
export const OWNED_SHOWN = 5;

const count = (n: number, one: string, many: string) =>
  `${n} ${n === 1 ? one : many}`;

function OwnedItem(props: { item: OwnedCapability; groupRef: string }) {
  const { item, groupRef } = props;
  const classes = useCardStyles();
  const viaChild = item.ownerRef.toLocaleLowerCase('en-US') !== groupRef;
  const notes: string[] = [];
  if (item.decision === 'float') notes.push('Floating');
  if (item.entryCount === 0) notes.push('No entries yet');
  return (
    <ListItem disableGutters className={classes.item}>
      <Box className={classes.row}>
        <EntityRefLink entityRef={item.entityRef}>{item.title}</EntityRefLink>
        <Box className={classes.figures}>
          <Typography variant="body2" className={classes.amount}>
            {formatCredits(item.balance)}
          </Typography>
          <TrustLevelChip level={item.level} />
        </Box>
      </Box>
      {(viaChild || notes.length > 0 || item.overdueDays !== undefined) && (
        <Typography variant="caption" color="textSecondary" component="p">
          {viaChild && (
            <>
              Owned by{' '}
              <EntityRefLink entityRef={item.ownerRef} defaultKind="group" />
              {notes.length > 0 ? ' · ' : ''}
            </>
          )}
          {notes.join(' · ')}
        </Typography>
      )}
      {item.overdueDays !== undefined && (
        <Typography variant="caption" component="p" className={classes.warn}>
          <ReportProblemOutlinedIcon
            fontSize="inherit"
            className={classes.warnIcon}
          />
          Review overdue by {count(item.overdueDays, 'day', 'days')}
        </Typography>
      )}
    </ListItem>
  );
}

/**
 * What an owner group owns, its child groups' capabilities included: the
 * totals, then each capability weakest first, so the one needing attention
 * is on top.
 */
export function OwnerRollupSection(props: { rollup: OwnerRollup }) {
  const { rollup } = props;
  const classes = useCardStyles();
  const groupRef = rollup.groupRef.toLocaleLowerCase('en-US');
  const { shown, toggle } = useShowAll(rollup.items, OWNED_SHOWN);
  const facts = [
    count(rollup.capabilities, 'capability', 'capabilities'),
    `total balance ${formatCredits(rollup.balance)}`,
    ...(rollup.overdue > 0
      ? [count(rollup.overdue, 'review overdue', 'reviews overdue')]
      : []),
    ...(rollup.floating > 0 ? [`${rollup.floating} floating`] : []),
  ];
  return (
    <section aria-labelledby={`freeboard-owner-rollup-${groupRef}`}>
      <Typography
        id={`freeboard-owner-rollup-${groupRef}`}
        className={classes.label}
        component="h3"
      >
        Capabilities this team owns
      </Typography>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Typography variant="body2">{facts.join(' · ')}</Typography>
        {rollup.weakestLevel && (
          <Box display="flex" alignItems="center" style={{ gap: 4 }}>
            <Typography variant="body2" component="span">
              Weakest:
            </Typography>
            <TrustLevelChip level={rollup.weakestLevel} />
          </Box>
        )}
      </Box>
      <List dense disablePadding aria-label="Owned capabilities, weakest first">
        {shown.map(item => (
          <OwnedItem key={item.entityRef} item={item} groupRef={groupRef} />
        ))}
      </List>
      {toggle}
    </section>
  );
}
