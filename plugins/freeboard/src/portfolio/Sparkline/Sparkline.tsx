import { useTheme } from '@material-ui/core/styles';

/**
 * A small line chart drawn as inline SVG: cheap enough for every row of a
 * table. The drawing is for sighted readers; `label` says what it shows
 * (screen readers read the label, not the line). A dashed line marks zero
 * when the values cross it. Fewer than two values draw nothing.
 */
export function Sparkline(props: {
  values: number[];
  label: string;
  width?: number;
  height?: number;
  /** Fix the vertical range, e.g. `[0, 1]` for shares; the data's otherwise. */
  domain?: [number, number];
}) {
  const { values, label, width = 96, height = 24 } = props;
  const theme = useTheme();
  if (values.length < 2) return null;

  const [low, high] = props.domain ?? [
    Math.min(...values),
    Math.max(...values),
  ];
  const pad = 2;
  const x = (i: number) => pad + (i * (width - 2 * pad)) / (values.length - 1);
  const y = (v: number) => {
    // A flat line sits in the middle rather than on an edge.
    if (high <= low) return height / 2;
    const clamped = Math.min(Math.max(v, low), high);
    return height - pad - ((clamped - low) / (high - low)) * (height - 2 * pad);
  };
  const points = values.map((v, i) => `${x(i)},${y(v)}`).join(' ');
  const crossesZero = low < 0 && high > 0;

  return (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      style={{ display: 'block', overflow: 'visible' }}
    >
      {crossesZero && (
        <line
          x1={0}
          x2={width}
          y1={y(0)}
          y2={y(0)}
          stroke={theme.palette.error.main}
          strokeDasharray="3 3"
          strokeWidth={1}
        />
      )}
      <polyline
        points={points}
        fill="none"
        stroke={theme.palette.primary.main}
        strokeWidth={1.5}
        strokeLinejoin="round"
        strokeLinecap="round"
      />
      <circle
        cx={x(values.length - 1)}
        cy={y(values[values.length - 1])}
        r={2}
        fill={theme.palette.primary.main}
      />
    </svg>
  );
}
