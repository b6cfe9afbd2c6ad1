import { Entity } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import { FLOAT_OR_SINK_ANNOTATIONS } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { TRUST_CREDITS_TAB_PATH } from '../../routes';
import { useEntityTrustRef, useTrustPermissions } from '../hooks';
import { TrustActions } from '../TrustActions';
import { TrustBalance } from '../TrustBalance';
import { LatestEntries, LowestConsumers, useCardStyles } from './CardSections';
import { ConsumerSection } from './ConsumerSection';
import { OwnerRollupSection } from './OwnerRollupSection';
import { PulseButtons } from './PulseButtons';
import { TrustSparkline } from './TrustSparkline';
import {
  CARD_ENTRY_COUNT,
  CARD_TREND_DAYS,
  Section,
  TrustCardData,
  TrustCardSubject,
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

function subjectOf(entity: Entity): TrustCardSubject {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  if (kind === 'group') return 'group';
  if (kind === 'component') return 'component';
  return 'other';
}

/** Any float-or-sink annotation, valid or not, marks a capability. */
function hasDecisionAnnotation(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Object.values(FLOAT_OR_SINK_ANNOTATIONS).some(
    key => annotations[key] !== undefined,
  );
}

/**
 * Which sections the card shows; none means no card at all.
 *
 * - A **capability** is a component, API or system with a decision
 *   annotation, an MVP initiative or ledger entries. It shows its own
 *   ledger (balance, trend, lowest consumers, latest entries, pulses), with
 *   "No credits recorded yet" and the Record action while it has no
 *   entries. It does not add its owner team's consumer balances: those are
 *   the team's, not the capability's, and two balances with opposite
 *   meanings on one card would read as one. They are on the team's page.
 * - Any other component shows its owner team's balance with the platform,
 *   when the team depends on capabilities.
 * - A component, API or system with neither still shows the empty ledger
 *   to someone who may record on it: a new capability whose first entry is
 *   about to be recorded. Where the consumer section shows, it does not:
 *   the Trust credits tab still offers Record, and the card stays about the
 *   team.
 * - A group shows what it owns (its child groups included) and its balance
 *   with the platform as a consumer, each when there is something; its own
 *   ledger only if it has entries. A group is a team, not a capability, so
 *   being allowed to record does not put an empty ledger on it.
 */
function sectionsOf(
  data: TrustCardData,
  subject: TrustCardSubject,
  hasDecision: boolean,
  canRecord: boolean,
) {
  const hasEntries = data.summary.entryCount > 0;
  if (subject === 'group') {
    return {
      ownerRollup: data.ownerRollup,
      consumerView: data.consumerView,
      ledger: hasEntries,
    };
  }
  const capability = hasDecision || data.initiativeStarted || hasEntries;
  const consumerView = capability ? undefined : data.consumerView;
  return {
    ownerRollup: undefined,
    consumerView,
    ledger: capability || (!consumerView && canRecord),
  };
}

function SectionError(props: { error: Error; title: string }) {
  return <ResponseErrorPanel error={props.error} title={props.title} />;
}

function renderSection<T>(
  section: Section<T>,
  errorTitle: string,
  render: (value: T) => ReactNode,
) {
  return 'value' in section ? (
    render(section.value)
  ) : (
    <SectionError error={section.error} title={errorTitle} />
  );
}

/**
 * Trust credits from both sides. On a platform capability: its balance and
 * level, trend, totals, the teams that paid the most, the latest entries,
 * one-click pulses, and Record / Pre-flight for those allowed. On an owner
 * group: what it owns, weakest first. On a consumer team or its component:
 * the team's own balance with each capability it depends on. Renders
 * nothing where there is nothing to show (see `sectionsOf`).
 */
export function TrustCreditsCard() {
  const classes = useCardStyles();
  const { entity } = useEntity();
  const entityLink = useEntityRefLink();
  const entityRef = useEntityTrustRef();
  const subject = subjectOf(entity);
  const hasDecision = hasDecisionAnnotation(entity);
  const { canPulse, canRecord } = useTrustPermissions(entityRef);
  const { value, loading, error, retry } = useTrustCardData(
    entityRef,
    subject,
    hasDecision,
  );

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

  const sections = sectionsOf(value, subject, hasDecision, canRecord);
  if (!sections.ownerRollup && !sections.consumerView && !sections.ledger) {
    return null;
  }

  const { summary, ledger, config } = value;
  const hasEntries = summary.entryCount > 0;
  const historyLink = {
    title: 'View history',
    link: `${entityLink(entity)}/${TRUST_CREDITS_TAB_PATH}`,
  };
  const parts: Array<{ key: string; node: ReactNode }> = [];

  if (sections.ownerRollup) {
    parts.push({
      key: 'owner',
      node: renderSection(
        sections.ownerRollup,
        'Could not load what this team owns',
        rollup => <OwnerRollupSection rollup={rollup} />,
      ),
    });
  }
  if (sections.consumerView) {
    parts.push({
      key: 'consumer',
      node: renderSection(
        sections.consumerView,
        'Could not load your team’s balances',
        view => <ConsumerSection view={view} onChange={retry} />,
      ),
    });
  }
  if (sections.ledger) {
    parts.push({
      key: 'ledger',
      node: (
        <>
          {subject === 'group' && (
            <Typography className={classes.label} component="h3">
              Credits recorded on this team
            </Typography>
          )}
          {hasEntries && ledger ? (
            <>
              <TrustBalance summary={summary} />
              <TrustSparkline points={ledger.trend} days={CARD_TREND_DAYS} />
              <LowestConsumers
                consumers={summary.consumers}
                count={CONSUMERS_SHOWN}
              />
              <LatestEntries
                entries={ledger.entries.slice(0, CARD_ENTRY_COUNT)}
                config={config}
              />
            </>
          ) : (
            <EmptyLedger />
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
        </>
      ),
    });
  }

  return (
    <InfoCard
      title={CARD_TITLE}
      deepLink={sections.ledger && hasEntries ? historyLink : undefined}
    >
      {parts.map((part, index) => (
        <Box key={part.key}>
          {index > 0 && (
            <Box my={1.5}>
              <Divider />
            </Box>
          )}
          {part.node}
        </Box>
      ))}
    </InfoCard>
  );
}
