import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { AdoptionCohort } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import DeleteOutlineIcon from '@material-ui/icons/DeleteOutline';
import EditIcon from '@material-ui/icons/Edit';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import { daysUntil, describeDaysLeft, formatDay } from '../format';
import { usePhaseStyles } from '../styles';

/** A cohort's target: the date, and for an unfinished one how far away. */
function CohortTarget(props: { cohort: AdoptionCohort }) {
  const { cohort } = props;
  const classes = usePhaseStyles();
  const finished = cohort.total > 0 && cohort.adopted >= cohort.total;
  const late = !finished && daysUntil(cohort.targetDate) < 0;
  return (
    <>
      <Typography variant="body2">{formatDay(cohort.targetDate)}</Typography>
      {!finished && (
        <Typography variant="caption" className={classes.inline}>
          {late && (
            <ErrorOutlineIcon
              fontSize="inherit"
              className={classes.blockedIcon}
            />
          )}
          {describeDaysLeft(cohort.targetDate)}
        </Typography>
      )}
    </>
  );
}

/** The adoption waves in order, with their measured adoption. */
export function CohortsTable(props: {
  cohorts: AdoptionCohort[];
  editable: boolean;
  busy: boolean;
  onEdit: (cohort: AdoptionCohort) => void;
  onRemove: (cohort: AdoptionCohort) => void;
}) {
  const { cohorts, editable, busy, onEdit, onRemove } = props;
  const classes = usePhaseStyles();
  const sorted = [...cohorts].sort((a, b) => a.order - b.order);
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table size="small" aria-label="Cohorts">
        <TableHead>
          <TableRow>
            <TableCell>Cohort</TableCell>
            <TableCell>Target date</TableCell>
            <TableCell>Adopted</TableCell>
            <TableCell>Teams</TableCell>
            {editable && (
              <TableCell>
                <span className={classes.visuallyHidden}>Actions</span>
              </TableCell>
            )}
          </TableRow>
        </TableHead>
        <TableBody>
          {sorted.map(cohort => (
            <TableRow key={cohort.id}>
              <TableCell>
                <Typography variant="body2">
                  {cohort.order}. {cohort.name}
                </Typography>
              </TableCell>
              <TableCell>
                <CohortTarget cohort={cohort} />
              </TableCell>
              <TableCell>
                {cohort.adopted} of {cohort.total}
              </TableCell>
              <TableCell>
                {cohort.teamRefs.map((ref, i) => (
                  <span key={ref}>
                    {i > 0 && ', '}
                    <EntityRefLink entityRef={ref} defaultKind="group" />
                  </span>
                ))}
              </TableCell>
              {editable && (
                <TableCell>
                  <Box display="flex">
                    <Tooltip title="Edit">
                      <IconButton
                        size="small"
                        aria-label={`Edit ${cohort.name}`}
                        disabled={busy}
                        onClick={() => onEdit(cohort)}
                      >
                        <EditIcon fontSize="small" />
                      </IconButton>
                    </Tooltip>
                    <Tooltip title="Remove">
                      <IconButton
                        size="small"
                        aria-label={`Remove ${cohort.name}`}
                        disabled={busy}
                        onClick={() => onRemove(cohort)}
                      >
                        <DeleteOutlineIcon fontSize="small" />
                      </IconButton>
                    </Tooltip>
                  </Box>
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
