import { useApi } from '@backstage/core-plugin-api';
import {
  hasControlCharacters,
  MvpPhase,
} from '@freeboard/backstage-plugin-common';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { freeboardApiRef } from '../../shared';
import { phaseLabel } from '../format';
import { PanelProps } from '../panelProps';
import { PhaseDialog, settle } from '../PhaseDialog';

/** Adds one of the entity's own exit criteria to a phase. */
export function AddCriterionDialog(
  props: Pick<PanelProps, 'entityRef' | 'run'> & {
    phase: MvpPhase;
    onClose: () => void;
  },
) {
  const { entityRef, phase, run, onClose } = props;
  const api = useApi(freeboardApiRef);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');

  const submit = async () => {
    const name = title.trim();
    const details = description.trim();
    if (!name) return 'Give the criterion a title.';
    if (hasControlCharacters(name)) {
      return 'Remove the control characters from the title.';
    }
    if (hasControlCharacters(details, { multiline: true })) {
      return 'Remove the control characters from the description.';
    }
    const outcome = await run(expectedVersion =>
      api.addPhaseCriterion(entityRef, {
        phase,
        title: name,
        ...(details ? { description: details } : {}),
        expectedVersion,
      }),
    );
    return settle(outcome, onClose);
  };

  return (
    <PhaseDialog
      id="freeboard-add-criterion"
      title={`Add an exit criterion to ${phaseLabel(phase)}`}
      description="Criteria of your own sit beside the template's; leads tick them by hand."
      submitLabel="Add criterion"
      onClose={onClose}
      onSubmit={submit}
    >
      <TextField
        id="freeboard-criterion-title"
        label="Title"
        required
        value={title}
        onChange={e => setTitle(e.target.value)}
        inputProps={{ maxLength: 200 }}
        variant="outlined"
        margin="dense"
        fullWidth
      />
      <TextField
        id="freeboard-criterion-description"
        label="Description (optional)"
        value={description}
        onChange={e => setDescription(e.target.value)}
        inputProps={{ maxLength: 1000 }}
        variant="outlined"
        margin="dense"
        multiline
        minRows={2}
        fullWidth
      />
    </PhaseDialog>
  );
}
