import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { TrustLevelThresholds } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import useAsync from 'react-use/esm/useAsync';
import {
  Area,
  AreaChart,
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { freeboardApiRef } from '../../shared';
import { describeTrend, formatCredits, formatTrendDate } from '../format';

/** The periods the trend can cover, in days. */
export const TREND_PERIODS = [30, 90, 365] as const;
/** One of {@link TREND_PERIODS}. */
export type TrendPeriod = (typeof TREND_PERIODS)[number];

/** Chooses how many days the trend covers. */
export function TrendPeriodSelector(props: {
  days: TrendPeriod;
  onChange: (days: TrendPeriod) => void;
}) {
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={props.days}
      aria-label="Trend period"
      onChange={(_event, value: TrendPeriod | null) => {
        // A click on the selected button unselects it; keep a period chosen.
        if (value !== null) props.onChange(value);
      }}
    >
      {TREND_PERIODS.map(days => (
        <ToggleButton key={days} value={days}>
          {days} days
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}

/**
 * The daily balance over the chosen period, with the level thresholds drawn
 * in, so one can see when the entity moved between levels.
 */
export function TrustTrendChart(props: {
  entityRef: string;
  days: TrendPeriod;
  levels: TrustLevelThresholds;
  refreshKey: number;
}) {
  const { entityRef, days, levels, refreshKey } = props;
  const api = useApi(freeboardApiRef);
  const theme = useTheme();
  const trend = useAsync(
    () => api.getTrustTrend(entityRef, days),
    [api, entityRef, days, refreshKey],
  );

  if (trend.error) {
    return (
      <ResponseErrorPanel
        error={trend.error}
        title="Could not load the trend"
      />
    );
  }
  if (!trend.value) return <Progress />;

  const points = trend.value.points;
  if (points.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No balance history for this period.
      </Typography>
    );
  }
  const thresholdLine = (y: number, label: string, color: string) => (
    <ReferenceLine
      y={y}
      stroke={color}
      strokeDasharray="4 4"
      label={{
        value: label,
        position: 'insideTopLeft',
        fill: color,
        fontSize: 11,
      }}
    />
  );

  return (
    <Box
      role="img"
      aria-label={describeTrend(days, points)}
      height={260}
      width="100%"
    >
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart
          data={points}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="date"
            tickFormatter={formatTrendDate}
            minTickGap={24}
            tick={{ fontSize: 12 }}
          />
          <YAxis width={48} tick={{ fontSize: 12 }} />
          <Tooltip
            labelFormatter={label => formatTrendDate(String(label))}
            formatter={value => [formatCredits(Number(value)), 'Balance']}
          />
          {thresholdLine(0, 'Overdrawn below', theme.palette.error.main)}
          {thresholdLine(levels.healthy, 'Healthy', theme.palette.success.main)}
          {thresholdLine(levels.strong, 'Strong', theme.palette.primary.main)}
          <Area
            type="monotone"
            dataKey="balance"
            stroke={theme.palette.primary.main}
            fill={theme.palette.primary.light}
            fillOpacity={0.25}
            dot={false}
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </Box>
  );
}
