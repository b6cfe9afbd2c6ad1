import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  AdoptionCohort,
  TeamAdoption,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { AdoptionStateChip } from '../PhaseChips';

/**
 * Each team of the cohorts, and each other team that adopted the entity:
 * adopted since when, not yet, or lost (the catalog edge disappeared), and
 * through which of its components.
 */
export function TeamAdoptionTable(props: {
  teams: TeamAdoption[];
  cohorts: AdoptionCohort[];
}) {
  const { teams, cohorts } = props;
  const cohortOf = (teamRef: string) =>
    cohorts.find(c => c.teamRefs.includes(teamRef))?.name;
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table size="small" aria-label="Adoption per team">
        <TableHead>
          <TableRow>
            <TableCell>Team</TableCell>
            <TableCell>Cohort</TableCell>
            <TableCell>Adoption</TableCell>
            <TableCell>Through</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {teams.map(team => (
            <TableRow key={team.teamRef}>
              <TableCell>
                <EntityRefLink entityRef={team.teamRef} defaultKind="group" />
              </TableCell>
              <TableCell>{cohortOf(team.teamRef) ?? 'None'}</TableCell>
              <TableCell>
                <AdoptionStateChip team={team} />
              </TableCell>
              <TableCell>
                {team.via.length === 0
                  ? '—'
                  : team.via.map((ref, i) => (
                      <span key={ref}>
                        {i > 0 && ', '}
                        <EntityRefLink entityRef={ref} />
                      </span>
                    ))}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
