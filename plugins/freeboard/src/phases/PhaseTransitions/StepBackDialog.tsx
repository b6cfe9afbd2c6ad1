import { useApi } from '@backstage/core-plugin-api';
import {
  hasControlCharacters,
  MvpPhase,
} from '@freeboard/backstage-plugin-common';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { freeboardApiRef } from '../../shared';
import { earlierPhases, phaseLabel } from '../format';
import { PanelProps } from '../panelProps';
import { PhaseDialog, settle } from '../PhaseDialog';

/**
 * Steps the initiative back to an earlier phase of the iteration, with the
 * reason (required). The phase's sign-offs must then be given again.
 */
export function StepBackDialog(
  props: Pick<PanelProps, 'entityRef' | 'state' | 'run'> & {
    onClose: () => void;
  },
) {
  const { entityRef, state, run, onClose } = props;
  const api = useApi(freeboardApiRef);
  const choices = earlierPhases(state.phase);
  const [to, setTo] = useState<MvpPhase>(choices[choices.length - 1]);
  const [reason, setReason] = useState('');

  const submit = async () => {
    const text = reason.trim();
    if (!text)
      return 'Give a reason: it stays in the history with the step back.';
    if (hasControlCharacters(text, { multiline: true })) {
      return 'Remove the control characters from the reason.';
    }
    const outcome = await run(expectedVersion =>
      api.transitionInitiative(entityRef, {
        to,
        expectedVersion,
        reason: text,
        direction: 'back',
      }),
    );
    return settle(outcome, onClose);
  };

  return (
    <PhaseDialog
      id="freeboard-step-back"
      title="Step back"
      description={`From ${phaseLabel(
        state.phase,
      )} to an earlier phase of iteration ${
        state.iteration
      }. Ticked criteria stay ticked; the sign-offs of the phase it returns to must be given again.`}
      submitLabel="Step back"
      onClose={onClose}
      onSubmit={submit}
    >
      <TextField
        select
        id="freeboard-step-back-to"
        label="Step back to"
        value={to}
        onChange={e => setTo(e.target.value as MvpPhase)}
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
        variant="outlined"
        margin="dense"
        fullWidth
      >
        {choices.map(phase => (
          <option key={phase} value={phase}>
            {phaseLabel(phase)}
          </option>
        ))}
      </TextField>
      <TextField
        id="freeboard-step-back-reason"
        label="Reason"
        required
        value={reason}
        onChange={e => setReason(e.target.value)}
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
