import { parseEntityRef } from '@backstage/catalog-model';
import { InfoCard, WarningPanel } from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  DecisionReview,
  DecisionView,
  FLOAT_OR_SINK_ANNOTATIONS,
  FloatOrSinkDecision,
  decisionReviewOf,
  parseFloatOrSinkAnnotations,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import AnchorIcon from '@material-ui/icons/VerticalAlignBottom';
import { errorMessage } from '../../shared';
import { useEntityTrustRef } from '../../trust/hooks';
import { useDecisionView } from '../hooks';
import { DecisionHistory } from './DecisionHistory';
import { RetirementSection } from './RetirementSection';
import { ReviewStatus } from './ReviewStatus';
import { useDecisionCardStyles } from './styles';

const CARD_TITLE = 'Float or sink';

function replacementLink(value: string) {
  try {
    const ref = parseEntityRef(value);
    if (value.includes(':')) {
      return <EntityRefLink entityRef={ref} />;
    }
  } catch {
    // A vendor product name, shown as text.
  }
  return <>{value}</>;
}

/**
 * The review status to show: the backend's, when it speaks of the same
 * review-by date as the annotation on screen; otherwise (still loading,
 * failed, or the backend has not seen the latest annotation yet) computed
 * here from the annotation, by the same rule.
 */
function reviewOf(
  decision: FloatOrSinkDecision,
  view: DecisionView | undefined,
): DecisionReview | undefined {
  if (!decision.reviewBy) return undefined;
  const fromServer = view?.decision?.review;
  if (fromServer && fromServer.reviewBy === decision.reviewBy) {
    return fromServer;
  }
  return decisionReviewOf(decision.reviewBy, new Date());
}

function Retirement(props: {
  entityRef: string;
  view: ReturnType<typeof useDecisionView>;
}) {
  const { entityRef, view } = props;
  const classes = useDecisionCardStyles();
  if (view.value?.retirement) {
    return (
      <RetirementSection
        entityRef={entityRef}
        retirement={view.value.retirement}
      />
    );
  }
  if (view.loading) {
    return (
      <>
        <Typography className={classes.label} component="h3">
          Retirement
        </Typography>
        <LinearProgress aria-label="Loading the retirement progress" />
      </>
    );
  }
  if (view.error) {
    return (
      <>
        <Typography className={classes.label} component="h3">
          Retirement
        </Typography>
        <Typography variant="body2" color="error">
          Could not load the retirement progress: {errorMessage(view.error)}
        </Typography>
      </>
    );
  }
  return null;
}

/**
 * Shows the entity's float-or-sink decision: whether the platform keeps this
 * capability (sink) or retires it in favour of the base platform (float),
 * when it is to be reviewed, how it changed over time and, for a floating
 * capability, how far its retirement has come.
 */
export function FloatOrSinkCard() {
  const classes = useDecisionCardStyles();
  const { entity } = useEntity();
  const entityRef = useEntityTrustRef();
  const view = useDecisionView(entityRef);
  const { decision, problems } = parseFloatOrSinkAnnotations(
    entity.metadata.annotations,
  );

  if (!decision) {
    return (
      <InfoCard title={CARD_TITLE}>
        {problems.length > 0 ? (
          <WarningPanel
            title="The float-or-sink annotations have problems"
            message={problems.join('. ')}
          />
        ) : (
          <Typography variant="body2">
            No decision recorded. Add the{' '}
            <code>{FLOAT_OR_SINK_ANNOTATIONS.decision}</code> annotation (float
            or sink) to say whether the platform keeps this capability.
          </Typography>
        )}
        <DecisionHistory entityRef={entityRef} />
      </InfoCard>
    );
  }

  const floating = decision.decision === 'float';
  const review = reviewOf(decision, view.value);

  return (
    <InfoCard title={CARD_TITLE}>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Chip
          icon={floating ? <ArrowUpwardIcon /> : <AnchorIcon />}
          color={floating ? 'primary' : 'default'}
          label={floating ? 'Float' : 'Sink'}
        />
        <Typography variant="body2">
          {floating
            ? 'The platform retires this capability in favour of the base platform.'
            : 'The platform keeps and maintains this capability.'}
        </Typography>
      </Box>
      {decision.baseCapability && (
        <>
          <Typography className={classes.label}>Overlaps with</Typography>
          <Typography variant="body2">{decision.baseCapability}</Typography>
        </>
      )}
      {decision.replacedBy && (
        <>
          <Typography className={classes.label}>Replaced by</Typography>
          <Typography variant="body2">
            {replacementLink(decision.replacedBy)}
          </Typography>
        </>
      )}
      {decision.rationale && (
        <>
          <Typography className={classes.label}>Rationale</Typography>
          <Typography variant="body2">{decision.rationale}</Typography>
        </>
      )}
      {decision.reviewBy && (
        <>
          <Typography className={classes.label}>Review by</Typography>
          <Typography variant="body2">{decision.reviewBy}</Typography>
          {review && (
            <Box mt={0.5}>
              <ReviewStatus review={review} />
            </Box>
          )}
        </>
      )}
      {floating && <Retirement entityRef={entityRef} view={view} />}
      <DecisionHistory entityRef={entityRef} />
    </InfoCard>
  );
}
