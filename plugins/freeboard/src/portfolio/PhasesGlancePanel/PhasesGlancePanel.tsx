import { InfoCard } from '@backstage/core-components';
import { PhaseGlance } from '@freeboard/backstage-plugin-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { phaseLabel } from '../../phases/format';
import { ScrollRegion } from '../ScrollRegion';
import { usePortfolioStyles } from '../styles';

/** `Pioneer team chosen (3), Threat model reviewed (1)`, or `Nothing`. */
function describeBlockers(glance: PhaseGlance): string {
  if (glance.blockers.length === 0) return 'Nothing';
  return glance.blockers.map(b => `${b.blocker} (${b.initiatives})`).join(', ');
}

/**
 * How many MVP initiatives are in each phase, how many of them cannot
 * advance yet, and the blockers they share most.
 */
export function PhasesGlancePanel(props: { phases: PhaseGlance[] }) {
  const { phases } = props;
  const classes = usePortfolioStyles();
  const started = phases.some(p => p.initiatives > 0);

  return (
    <InfoCard title="Phases at a glance">
      {!started ? (
        <Typography variant="body2">
          No MVP initiative has started yet. Start one from a capability's
          Phases tab.
        </Typography>
      ) : (
        <ScrollRegion label="MVP initiatives per phase, scrollable">
          <Table
            size="small"
            aria-label="MVP initiatives per phase"
            className={classes.table}
          >
            <TableHead>
              <TableRow>
                <TableCell>Phase</TableCell>
                <TableCell align="right">Initiatives</TableCell>
                <TableCell align="right">Blocked</TableCell>
                <TableCell className={classes.prose}>Blocked most on</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {phases.map(glance => (
                <TableRow key={glance.phase}>
                  <TableCell
                    component="th"
                    scope="row"
                    className={classes.nowrap}
                  >
                    {phaseLabel(glance.phase)}
                  </TableCell>
                  <TableCell align="right" className={classes.numeric}>
                    {glance.initiatives}
                  </TableCell>
                  <TableCell align="right" className={classes.numeric}>
                    {glance.blocked}
                  </TableCell>
                  <TableCell className={classes.prose}>
                    {describeBlockers(glance)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </ScrollRegion>
      )}
    </InfoCard>
  );
}
