import { parseEntityRef } from '@backstage/catalog-model';
import { InfoCard, WarningPanel } from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  FLOAT_OR_SINK_ANNOTATIONS,
  parseFloatOrSinkAnnotations,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import AnchorIcon from '@material-ui/icons/VerticalAlignBottom';

const useStyles = makeStyles(theme => ({
  label: {
    color: theme.palette.text.secondary,
    textTransform: 'uppercase',
    fontSize: '0.7rem',
    fontWeight: 'bold',
    letterSpacing: '0.05em',
    marginTop: theme.spacing(1.5),
  },
  overdue: {
    color: theme.palette.error.main,
    fontWeight: 'bold',
  },
}));

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
 * Shows the entity's float-or-sink decision: whether the platform keeps this
 * capability (sink) or retires it in favour of the base platform (float).
 */
export function FloatOrSinkCard() {
  const classes = useStyles();
  const { entity } = useEntity();
  const { decision, problems } = parseFloatOrSinkAnnotations(
    entity.metadata.annotations,
  );

  if (!decision) {
    return (
      <InfoCard title="Float or sink">
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
      </InfoCard>
    );
  }

  const floating = decision.decision === 'float';
  const today = new Date().toISOString().slice(0, 10);
  const overdue = decision.reviewBy !== undefined && decision.reviewBy < today;

  return (
    <InfoCard title="Float or sink">
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
          <Typography
            variant="body2"
            className={overdue ? classes.overdue : undefined}
          >
            {decision.reviewBy}
            {overdue && ' (review overdue)'}
          </Typography>
        </>
      )}
    </InfoCard>
  );
}
