import { useApi } from '@backstage/core-plugin-api';
import {
  hasControlCharacters,
  MvpPhase,
} from '@freeboard/backstage-plugin-common';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { freeboardApiRef } from '../../shared';
import { phaseLabel, refName } from '../format';
import { PanelProps } from '../panelProps';
import { PhaseDialog, settle } from '../PhaseDialog';

/**
 * Approves or rejects a sign-off on behalf of a group the user is in, with
 * a comment (required to reject, so the leads know what to fix).
 */
export function DecideSignoffDialog(
  props: Pick<PanelProps, 'entityRef' | 'run'> & {
    phase: MvpPhase;
    groupRef: string;
    decision: 'approve' | 'reject';
    onClose: () => void;
  },
) {
  const { entityRef, phase, groupRef, decision, run, onClose } = props;
  const api = useApi(freeboardApiRef);
  const [comment, setComment] = useState('');
  const verb = decision === 'approve' ? 'Approve' : 'Reject';

  const submit = async () => {
    const text = comment.trim();
    if (decision === 'reject' && !text) {
      return 'Say what has to change: the comment stays with the rejection.';
    }
    if (hasControlCharacters(text, { multiline: true })) {
      return 'Remove the control characters from the comment.';
    }
    const outcome = await run(expectedVersion =>
      api.decidePhaseSignoff(entityRef, {
        phase,
        groupRef,
        decision,
        ...(text ? { comment: text } : {}),
        expectedVersion,
      }),
    );
    return settle(outcome, onClose);
  };

  return (
    <PhaseDialog
      id="freeboard-decide-signoff"
      title={`${verb} ${phaseLabel(phase)} for ${refName(groupRef)}`}
      description={
        decision === 'approve'
          ? 'Your approval lets the initiative leave the phase, once nothing else blocks it.'
          : 'A rejection blocks the initiative until the group approves.'
      }
      submitLabel={verb}
      onClose={onClose}
      onSubmit={submit}
    >
      <TextField
        id="freeboard-signoff-comment"
        label={decision === 'approve' ? 'Comment (optional)' : 'Comment'}
        required={decision === 'reject'}
        value={comment}
        onChange={e => setComment(e.target.value)}
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
