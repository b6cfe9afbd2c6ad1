import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ConsumerCapabilityBalance,
  ConsumerView,
  trustPulseCreatePermission,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { formatDate } from '../../shared';
import { formatCredits, formatSignedAmount, formatTimeAgo } from '../format';
import { TrustLevelChip } from '../TrustChips';
import { useCardStyles } from './CardSections';
import { PulseButtons } from './PulseButtons';
import { useShowAll } from './ShowAll';

/** Capabilities listed before "Show all". */
export const CONSUMED_SHOWN = 5;

/** `Migration to v2 · −8 · 3 weeks ago` */
function LastCharge(props: {
  charge: NonNullable<ConsumerCapabilityBalance['lastCharge']>;
}) {
  const { charge } = props;
  // A spend is recorded as a positive amount; it is shown as a charge.
  const amount = formatSignedAmount(Math.abs(charge.amount), 'spend');
  return (
    <Typography variant="caption" color="textSecondary" component="p">
      Last charged: {charge.title} · {amount} ·{' '}
      <time dateTime={charge.occurredAt} title={formatDate(charge.occurredAt)}>
        {formatTimeAgo(charge.occurredAt)}
      </time>
    </Typography>
  );
}

function ConsumedItem(props: {
  item: ConsumerCapabilityBalance;
  onChange: () => void;
}) {
  const { item, onChange } = props;
  const classes = useCardStyles();
  // Only the pulse is asked for: recording is not offered on this list.
  const { allowed: canPulse } = usePermission({
    permission: trustPulseCreatePermission,
    resourceRef: item.entityRef,
  });
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
      {item.decision === 'float' && (
        <Typography variant="caption" component="p">
          Floating: the platform plans to retire it
        </Typography>
      )}
      {item.lastCharge ? (
        <LastCharge charge={item.lastCharge} />
      ) : (
        <Typography variant="caption" color="textSecondary" component="p">
          Never charged to your team
        </Typography>
      )}
      {canPulse && (
        <Box mt={0.5}>
          <PulseButtons
            entityRef={item.entityRef}
            canPulse={canPulse}
            subject={item.title}
            onChange={onChange}
          />
        </Box>
      )}
    </ListItem>
  );
}

/**
 * "Your balance with the platform": each capability the team depends on,
 * lowest balance first, with the team's own balance and level, what it was
 * last charged for, and a pulse per capability. On a component it is the
 * balance of the component's owner team.
 */
export function ConsumerSection(props: {
  view: ConsumerView;
  /** Called after a pulse: the balances may have changed. */
  onChange: () => void;
}) {
  const { view, onChange } = props;
  const classes = useCardStyles();
  const { shown, toggle } = useShowAll(view.items, CONSUMED_SHOWN);
  const titleId = `freeboard-consumer-view-${view.teamRef}`;
  return (
    <section aria-labelledby={titleId}>
      <Typography id={titleId} className={classes.label} component="h3">
        Your balance with the platform
      </Typography>
      {view.componentRef && (
        <Typography variant="body2">
          As <EntityRefLink entityRef={view.teamRef} defaultKind="group" />, the
          team that owns this component
        </Typography>
      )}
      <Typography variant="caption" color="textSecondary" component="p">
        Per capability your team depends on: what the platform has given back to
        your team minus what it has asked of it. Below zero, the platform owes
        your team.
      </Typography>
      <List
        dense
        disablePadding
        aria-label="Your team’s balance per capability, lowest first"
      >
        {shown.map(item => (
          <ConsumedItem key={item.entityRef} item={item} onChange={onChange} />
        ))}
      </List>
      {toggle}
    </section>
  );
}
