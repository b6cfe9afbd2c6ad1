import { useApi } from '@backstage/core-plugin-api';
import {
  AdoptionCohort,
  hasControlCharacters,
} from '@freeboard/backstage-plugin-common';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { freeboardApiRef } from '../../shared';
import { TeamsPicker } from '../../shared/TeamsPicker';
import { PanelProps } from '../panelProps';
import { PhaseDialog, settle } from '../PhaseDialog';

/** Adds an adoption cohort, or with `cohort` edits it. */
export function CohortDialog(
  props: Pick<PanelProps, 'entityRef' | 'run'> & {
    cohort?: AdoptionCohort;
    /** For a new cohort's default name: "Wave 3". */
    nextOrder: number;
    onClose: () => void;
  },
) {
  const { entityRef, cohort, nextOrder, run, onClose } = props;
  const api = useApi(freeboardApiRef);
  const [name, setName] = useState(cohort?.name ?? `Wave ${nextOrder}`);
  const [targetDate, setTargetDate] = useState(cohort?.targetDate ?? '');
  const [teamRefs, setTeamRefs] = useState<string[]>(cohort?.teamRefs ?? []);

  const submit = async () => {
    const text = name.trim();
    if (!text) return 'Give the cohort a name.';
    if (hasControlCharacters(text)) {
      return 'Remove the control characters from the name.';
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(targetDate)) {
      return 'Choose the date by which its teams should have adopted it.';
    }
    if (teamRefs.length === 0) return 'Choose at least one team.';
    const outcome = await run(expectedVersion => {
      const request = { name: text, targetDate, teamRefs, expectedVersion };
      return cohort
        ? api.updateAdoptionCohort(entityRef, cohort.id, request)
        : api.addAdoptionCohort(entityRef, request);
    });
    return settle(outcome, onClose);
  };

  return (
    <PhaseDialog
      id="freeboard-cohort"
      title={cohort ? `Edit ${cohort.name}` : 'Add a cohort'}
      description="A cohort is a wave of teams to onboard together, by a target date. Its adoption is measured from the catalog."
      submitLabel={cohort ? 'Save cohort' : 'Add cohort'}
      onClose={onClose}
      onSubmit={submit}
    >
      <TextField
        id="freeboard-cohort-name"
        label="Name"
        required
        value={name}
        onChange={e => setName(e.target.value)}
        inputProps={{ maxLength: 200 }}
        variant="outlined"
        margin="dense"
        fullWidth
      />
      <TextField
        id="freeboard-cohort-target"
        label="Target date"
        type="date"
        required
        value={targetDate}
        onChange={e => setTargetDate(e.target.value)}
        InputLabelProps={{ shrink: true }}
        variant="outlined"
        margin="dense"
      />
      <TeamsPicker
        id="freeboard-cohort-teams"
        label="Teams"
        value={teamRefs}
        onChange={setTeamRefs}
      />
    </PhaseDialog>
  );
}
