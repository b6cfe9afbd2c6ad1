import { TrustTrendPoint } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import { useTheme } from '@material-ui/core/styles';
import {
  Area,
  AreaChart,
  ReferenceLine,
  ResponsiveContainer,
  YAxis,
} from 'recharts';
import { describeTrend } from '../format';

/**
 * A small chart of the balance over the card's period. The chart is drawn
 * for sighted readers; its gist is in the accessible name.
 */
export function TrustSparkline(props: {
  points: TrustTrendPoint[];
  days: number;
}) {
  const { points, days } = props;
  const theme = useTheme();
  if (points.length < 2) return null;
  const dipsBelowZero = points.some(p => p.balance < 0);

  return (
    <Box
      role="img"
      aria-label={describeTrend(days, points)}
      height={48}
      width="100%"
    >
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart
          data={points}
          margin={{ top: 4, right: 0, bottom: 4, left: 0 }}
        >
          <YAxis hide domain={['dataMin', 'dataMax']} />
          {dipsBelowZero && (
            <ReferenceLine
              y={0}
              stroke={theme.palette.error.main}
              strokeDasharray="3 3"
            />
          )}
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
