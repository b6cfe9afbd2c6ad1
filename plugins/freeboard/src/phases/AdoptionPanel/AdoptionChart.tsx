import {
  AdoptionCohort,
  InitiativeAdoption,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDay } from '../format';

/** Midnight UTC of a `YYYY-MM-DD` day, the chart's x. */
const dayTime = (day: string) => Date.parse(`${day}T00:00:00Z`);
const timeLabel = (time: number) =>
  formatDay(new Date(time).toISOString().slice(0, 10));

/** Each cohort's target: all teams of it and the cohorts before, by its date. */
export function cohortTargets(cohorts: AdoptionCohort[]) {
  let teams = 0;
  return [...cohorts]
    .sort((a, b) => a.order - b.order)
    .map(cohort => {
      teams += cohort.total;
      return { name: cohort.name, day: cohort.targetDate, teams };
    });
}

/** What the chart shows, in words: screen readers read this instead. */
export function describeAdoptionChart(
  curve: InitiativeAdoption['curve'],
  cohorts: AdoptionCohort[],
): string {
  const first = curve[0];
  const last = curve[curve.length - 1];
  const parts = [
    `Adopted teams over time: from ${first.adopted} on ${formatDay(
      first.day,
    )} to ${last.adopted} on ${formatDay(last.day)}`,
  ];
  const targets = cohortTargets(cohorts);
  if (targets.length > 0) {
    parts.push(
      `targets: ${targets
        .map(t => `${t.name}, ${t.teams} teams by ${formatDay(t.day)}`)
        .join('; ')}`,
    );
  }
  return `${parts.join('; ')}.`;
}

/**
 * Adopted teams per day from the daily snapshots, against the cohorts'
 * targets (each a dashed line at its date and a diamond at the teams it
 * should have reached).
 */
export function AdoptionChart(props: {
  curve: InitiativeAdoption['curve'];
  cohorts: AdoptionCohort[];
}) {
  const { curve, cohorts } = props;
  const theme = useTheme();
  if (curve.length === 0) {
    return (
      <Typography variant="body2">
        No adoption snapshots yet: the daily snapshot draws this curve, one
        point a day.
      </Typography>
    );
  }
  const points = curve.map(p => ({ time: dayTime(p.day), adopted: p.adopted }));
  const targets = cohortTargets(cohorts).map(t => ({
    time: dayTime(t.day),
    target: t.teams,
    name: t.name,
  }));
  const times = [...points, ...targets].map(p => p.time);
  const domain = [Math.min(...times), Math.max(...times)];

  return (
    <Box
      role="img"
      aria-label={describeAdoptionChart(curve, cohorts)}
      height={260}
      width="100%"
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart margin={{ top: 16, right: 24, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="time"
            type="number"
            scale="time"
            domain={domain}
            tickFormatter={timeLabel}
            minTickGap={24}
            tick={{ fontSize: 12, fill: theme.palette.text.primary }}
          />
          <YAxis
            allowDecimals={false}
            width={40}
            tick={{ fontSize: 12, fill: theme.palette.text.primary }}
          />
          <Tooltip labelFormatter={label => timeLabel(Number(label))} />
          <Legend
            // Legend words in the text colour, not the series' colours.
            formatter={value => (
              <span style={{ color: theme.palette.text.primary }}>{value}</span>
            )}
          />
          {targets.map(t => (
            <ReferenceLine
              key={t.name}
              x={t.time}
              stroke={theme.palette.text.secondary}
              strokeDasharray="4 4"
              label={{
                value: t.name,
                position: 'insideTopRight',
                fill: theme.palette.text.primary,
                fontSize: 11,
              }}
            />
          ))}
          <Line
            data={points}
            dataKey="adopted"
            name="Adopted teams"
            type="stepAfter"
            stroke={theme.palette.primary.main}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
          <Scatter
            data={targets}
            dataKey="target"
            name="Cohort targets"
            fill={theme.palette.secondary.main}
            shape="diamond"
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </Box>
  );
}
