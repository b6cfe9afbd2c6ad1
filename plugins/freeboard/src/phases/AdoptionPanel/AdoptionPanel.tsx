import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { AdoptionCohort } from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import { useState } from 'react';
import { freeboardApiRef } from '../../shared';
import { ConsumerPicker } from '../../shared/ConsumerPicker';
import { describeAdoption } from '../format';
import { PanelProps } from '../panelProps';
import { usePhaseStyles } from '../styles';
import { AdoptionChart } from './AdoptionChart';
import { CohortDialog } from './CohortDialog';
import { CohortsTable } from './CohortsTable';
import { TeamAdoptionTable } from './TeamAdoptionTable';

/**
 * Who uses the entity, measured from the catalog: the pioneer team, the
 * cohorts (adoption waves) and their progress, each team's adoption, and the
 * curve against the cohorts' targets. Leads choose the pioneer and edit the
 * cohorts.
 */
export function AdoptionPanel(props: PanelProps) {
  const { entityRef, state, editable, run, act } = props;
  const api = useApi(freeboardApiRef);
  const classes = usePhaseStyles();
  const [editing, setEditing] = useState<AdoptionCohort | 'new'>();
  const [busy, setBusy] = useState(false);

  const setPioneer = async (teamRef: string | undefined) => {
    setBusy(true);
    await act('Could not change the pioneer team', expectedVersion =>
      api.setPioneerTeam(entityRef, {
        teamRef: teamRef ?? null,
        expectedVersion,
      }),
    );
    setBusy(false);
  };

  const removeCohort = async (cohort: AdoptionCohort) => {
    setBusy(true);
    await act(`Could not remove ${cohort.name}`, expectedVersion =>
      api.removeAdoptionCohort(entityRef, cohort.id, { expectedVersion }),
    );
    setBusy(false);
  };

  return (
    <InfoCard title="Adoption" titleTypographyProps={{ component: 'h2' }}>
      <Typography className={classes.label} component="h3">
        Pioneer team
      </Typography>
      {editable ? (
        <Box maxWidth={360}>
          <ConsumerPicker
            id="freeboard-pioneer-team"
            label="Pioneer team"
            value={state.pioneerTeamRef}
            disabled={busy}
            onChange={setPioneer}
            helperText="The first team to build on it, with the platform team"
          />
        </Box>
      ) : (
        <Typography variant="body2">
          {state.pioneerTeamRef ? (
            <EntityRefLink
              entityRef={state.pioneerTeamRef}
              defaultKind="group"
            />
          ) : (
            'Not chosen yet'
          )}
        </Typography>
      )}

      <Typography className={classes.label} component="h3">
        Cohorts
      </Typography>
      <Typography variant="body2" paragraph>
        {describeAdoption(state)}
      </Typography>
      {state.cohorts.length > 0 && (
        <CohortsTable
          cohorts={state.cohorts}
          editable={editable}
          busy={busy}
          onEdit={setEditing}
          onRemove={removeCohort}
        />
      )}
      {editable && (
        <Box mt={1}>
          <Button
            variant="outlined"
            color="primary"
            startIcon={<AddIcon />}
            onClick={() => setEditing('new')}
          >
            Add cohort
          </Button>
        </Box>
      )}

      <Typography className={classes.label} component="h3">
        Adoption per team
      </Typography>
      {state.adoption.teams.length === 0 ? (
        <Typography variant="body2">
          No team is in a cohort or has adopted it yet.
        </Typography>
      ) : (
        <TeamAdoptionTable
          teams={state.adoption.teams}
          cohorts={state.cohorts}
        />
      )}

      <Typography className={classes.label} component="h3">
        Adoption over time
      </Typography>
      <AdoptionChart curve={state.adoption.curve} cohorts={state.cohorts} />

      {editing && (
        <CohortDialog
          entityRef={entityRef}
          cohort={editing === 'new' ? undefined : editing}
          nextOrder={state.cohorts.length + 1}
          run={run}
          onClose={() => setEditing(undefined)}
        />
      )}
    </InfoCard>
  );
}
