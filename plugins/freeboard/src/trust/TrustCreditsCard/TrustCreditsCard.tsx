import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import Typography from '@material-ui/core/Typography';
import { TRUST_CREDITS_TAB_PATH } from '../../routes';
import { useEntityTrustRef, useTrustPermissions } from '../hooks';
import { TrustActions } from '../TrustActions';
import { TrustBalance } from '../TrustBalance';
import { LatestEntries, LowestConsumers, useCardStyles } from './CardSections';
import { PulseButtons } from './PulseButtons';
import { TrustSparkline } from './TrustSparkline';
import {
  CARD_ENTRY_COUNT,
  CARD_TREND_DAYS,
  useTrustCardData,
} from './useTrustCardData';

const CARD_TITLE = 'Trust credits';
const CONSUMERS_SHOWN = 3;

function EmptyLedger() {
  return (
    <Box mb={1}>
      <Typography variant="subtitle1" component="p">
        No credits recorded yet
      </Typography>
      <Typography variant="body2" color="textSecondary">
        Trust credits track the goodwill a platform team earns by easing other
        teams’ work, and spends when it imposes costs such as migrations or
        breaking changes.
      </Typography>
    </Box>
  );
}

/**
 * The entity's trust credits at a glance: balance and level, trend, totals,
 * the teams that paid the most, the latest entries, and one-click pulses.
 */
export function TrustCreditsCard() {
  const classes = useCardStyles();
  const { entity } = useEntity();
  const entityLink = useEntityRefLink();
  const entityRef = useEntityTrustRef();
  const { canPulse, canRecord } = useTrustPermissions(entityRef);
  const { value, loading, error, retry } = useTrustCardData(entityRef);
  const historyLink = {
    title: 'View history',
    link: `${entityLink(entity)}/${TRUST_CREDITS_TAB_PATH}`,
  };

  // The previous data stays on screen while a refresh is under way.
  if (!value) {
    return (
      <InfoCard title={CARD_TITLE}>
        {loading || !error ? (
          <Progress />
        ) : (
          <ResponseErrorPanel
            error={error}
            title="Could not load the trust credits"
          />
        )}
      </InfoCard>
    );
  }

  const { summary, trend, entries, config } = value;
  const isEmpty = summary.entryCount === 0;

  return (
    <InfoCard title={CARD_TITLE} deepLink={isEmpty ? undefined : historyLink}>
      {isEmpty ? (
        <EmptyLedger />
      ) : (
        <>
          <TrustBalance summary={summary} />
          <TrustSparkline points={trend} days={CARD_TREND_DAYS} />
          <LowestConsumers
            consumers={summary.consumers}
            count={CONSUMERS_SHOWN}
          />
          <LatestEntries
            entries={entries.slice(0, CARD_ENTRY_COUNT)}
            config={config}
          />
        </>
      )}
      <Typography className={classes.label} component="h3">
        Did this help your team?
      </Typography>
      <PulseButtons
        entityRef={entityRef}
        pulses={summary.pulses}
        canPulse={canPulse}
        onChange={retry}
      />
      {canRecord && (
        <>
          <Box my={1.5}>
            <Divider />
          </Box>
          <TrustActions
            entityRef={entityRef}
            config={config}
            onRecorded={retry}
          />
        </>
      )}
    </InfoCard>
  );
}
