import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { RetirementProgress } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { useDecisionCardStyles } from './styles';
import { MigrationPlan } from './MigrationPlan';

/** Remaining teams listed by name; the rest are counted. */
export const REMAINING_TEAMS_SHOWN = 10;

const teams = (count: number) => (count === 1 ? '1 team' : `${count} teams`);

/** `6 teams still depend on it`, `1 team still depends on it`. */
export function describeRemaining(count: number): string {
  if (count === 0) return 'No team depends on it any more';
  return `${teams(count)} still ${count === 1 ? 'depends' : 'depend'} on it`;
}

function RemainingTeams(props: { teamRefs: string[] }) {
  const classes = useDecisionCardStyles();
  const shown = props.teamRefs.slice(0, REMAINING_TEAMS_SHOWN);
  const more = props.teamRefs.length - shown.length;
  if (shown.length === 0) return null;
  return (
    <>
      <Typography className={classes.label} component="h4">
        Still depending on it
      </Typography>
      <ul
        className={classes.inlineList}
        aria-label="Teams still depending on it"
      >
        {shown.map(ref => (
          <li key={ref}>
            <EntityRefLink entityRef={ref} defaultKind="group" />
          </li>
        ))}
        {more > 0 && (
          <li>
            <Typography variant="body2" component="span">
              and {teams(more)} more
            </Typography>
          </li>
        )}
      </ul>
    </>
  );
}

/**
 * How far the retirement of a floating capability has come, measured from
 * the catalog: teams moved to the replacement (when it is an entity) and
 * teams still depending on it; with "Plan the migration" for those who may
 * run pre-flights.
 */
export function RetirementSection(props: {
  entityRef: string;
  retirement: RetirementProgress;
}) {
  const { entityRef, retirement } = props;
  const classes = useDecisionCardStyles();
  const moved = retirement.movedTeams.length;
  const remaining = retirement.remainingTeams.length;
  const total = moved + remaining;
  const replacementRef = total > 0 ? retirement.replacementRef : undefined;
  const percent = Math.round(
    Math.min(1, Math.max(0, retirement.progress)) * 100,
  );

  return (
    <section aria-labelledby={`freeboard-retirement-${entityRef}`}>
      <Typography
        id={`freeboard-retirement-${entityRef}`}
        className={classes.label}
        component="h3"
      >
        Retirement
      </Typography>
      {replacementRef ? (
        <>
          <Typography variant="body2">
            {moved} of {teams(total)} moved to{' '}
            <EntityRefLink entityRef={replacementRef} />
          </Typography>
          <Box my={0.5}>
            <LinearProgress
              variant="determinate"
              value={percent}
              aria-label="Retirement progress"
              aria-valuetext={`${moved} of ${teams(total)} moved (${percent}%)`}
            />
          </Box>
        </>
      ) : (
        <Typography variant="body2">{describeRemaining(remaining)}</Typography>
      )}
      <RemainingTeams teamRefs={retirement.remainingTeams} />
      {remaining > 0 && (
        <MigrationPlan
          entityRef={entityRef}
          remainingTeams={retirement.remainingTeams}
        />
      )}
    </section>
  );
}
