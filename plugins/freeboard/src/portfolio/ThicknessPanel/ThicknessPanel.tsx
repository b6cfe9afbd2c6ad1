import { InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  FLOAT_OR_SINK_ANNOTATIONS,
  ThicknessFigures,
  ThicknessReport,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { count, describeThicknessTrend, formatPercent } from '../format';
import { Sparkline } from '../Sparkline';
import { ScrollRegion } from '../ScrollRegion';
import { usePortfolioStyles } from '../styles';

/** `12 unique · 5 kept · 3 floating`. */
function describeCounts(figures: ThicknessFigures): string {
  return `${figures.unique} unique · ${figures.kept} kept · ${figures.floating} floating`;
}

function SystemsTable(props: { systems: ThicknessReport['systems'] }) {
  const classes = usePortfolioStyles();
  return (
    <ScrollRegion label="Thickness per system, scrollable">
      <Table
        size="small"
        aria-label="Thickness per system"
        className={classes.table}
      >
        <TableHead>
          <TableRow>
            <TableCell>System</TableCell>
            <TableCell align="right">Thickness</TableCell>
            <TableCell align="right">Unique</TableCell>
            <TableCell align="right">Kept</TableCell>
            <TableCell align="right">Floating</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.systems.map(system => (
            <TableRow key={system.systemRef ?? ''}>
              <TableCell component="th" scope="row">
                {system.systemRef ? (
                  <EntityRefLink
                    entityRef={system.systemRef}
                    defaultKind="system"
                  />
                ) : (
                  'No system'
                )}
              </TableCell>
              <TableCell align="right" className={classes.numeric}>
                {formatPercent(system.thickness)}
              </TableCell>
              <TableCell align="right" className={classes.numeric}>
                {system.unique}
              </TableCell>
              <TableCell align="right" className={classes.numeric}>
                {system.kept}
              </TableCell>
              <TableCell align="right" className={classes.numeric}>
                {system.floating}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </ScrollRegion>
  );
}

/**
 * The thinnest-viable-platform meter: how much of the platform duplicates
 * what the base platform offers (kept and floating capabilities, weighted by
 * their consumer teams), per system, its daily trend, and where it lands
 * once the floating capabilities are retired.
 */
export function ThicknessPanel(props: { report: ThicknessReport }) {
  const { all, systems, projection, trend } = props.report;
  const classes = usePortfolioStyles();
  const percent = Math.round(all.thickness * 100);

  if (all.capabilities === 0) {
    return (
      <InfoCard title="Thinnest viable platform">
        <Typography variant="body2">
          No capability carries a float-or-sink decision yet, so the platform's
          thickness cannot be measured. Add the{' '}
          <code>{FLOAT_OR_SINK_ANNOTATIONS.decision}</code> annotation to a
          capability's <code>catalog-info.yaml</code>.
        </Typography>
      </InfoCard>
    );
  }

  return (
    <InfoCard title="Thinnest viable platform">
      <Typography variant="h4" component="p">
        {formatPercent(all.thickness)} thick
      </Typography>
      <LinearProgress
        variant="determinate"
        value={Math.min(Math.max(percent, 0), 100)}
        aria-label="Thickness: share of the platform that duplicates the base"
      />
      <Typography variant="body2" component="p">
        {formatPercent(all.thickness)} of the platform, weighted by consumer
        teams, duplicates what the base platform offers. {describeCounts(all)},
        of {count(all.capabilities, 'capability', 'capabilities')} with a
        decision.
      </Typography>

      <Typography variant="h6" component="h3" className={classes.label}>
        Projected, once the floating capabilities are retired
      </Typography>
      <Typography variant="body2">
        <strong>{formatPercent(projection.thickness)}</strong> thick
        {all.floating > 0
          ? ` after retiring ${count(
              all.floating,
              'floating capability',
              'floating capabilities',
            )}.`
          : ': nothing is floating, so nothing changes.'}
      </Typography>

      <Typography variant="h6" component="h3" className={classes.label}>
        Trend
      </Typography>
      {trend.length < 2 ? (
        <Typography variant="body2">
          The trend appears after two daily snapshots.
        </Typography>
      ) : (
        <Box display="flex" alignItems="center" style={{ gap: 12 }}>
          <Sparkline
            values={trend.map(point => point.thickness)}
            label={describeThicknessTrend(trend)}
            width={200}
            height={40}
          />
          <Typography variant="caption" aria-hidden="true">
            {formatPercent(trend[0].thickness)} →{' '}
            {formatPercent(trend[trend.length - 1].thickness)}
          </Typography>
        </Box>
      )}

      {systems.length > 0 && (
        <>
          <Typography variant="h6" component="h3" className={classes.label}>
            Per system
          </Typography>
          <SystemsTable systems={systems} />
        </>
      )}
    </InfoCard>
  );
}
