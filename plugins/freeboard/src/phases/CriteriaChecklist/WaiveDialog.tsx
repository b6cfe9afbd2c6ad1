import { useApi } from '@backstage/core-plugin-api';
import {
  hasControlCharacters,
  PhaseCriterion,
  PhasesConfig,
} from '@freeboard/backstage-plugin-common';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { freeboardApiRef } from '../../shared';
import { daysFromNow, startOfDayIso } from '../format';
import { PanelProps } from '../panelProps';
import { PhaseDialog, settle } from '../PhaseDialog';

/**
 * Waives an exit criterion until a date, with the reason (required). Until
 * then the waiver counts like done; after, it blocks again.
 */
export function WaiveDialog(
  props: Pick<PanelProps, 'entityRef' | 'run'> & {
    criterion: PhaseCriterion;
    config: Pick<PhasesConfig, 'waiverDefaultDays' | 'waiverMaxDays'>;
    onClose: () => void;
  },
) {
  const { entityRef, criterion, config, run, onClose } = props;
  const api = useApi(freeboardApiRef);
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState(
    daysFromNow(Math.min(config.waiverDefaultDays, config.waiverMaxDays)),
  );
  const earliest = daysFromNow(1);
  const latest = daysFromNow(config.waiverMaxDays);

  const submit = async () => {
    const text = reason.trim();
    if (!text) return 'Give a reason: it stays in the history with the waiver.';
    if (hasControlCharacters(text, { multiline: true })) {
      return 'Remove the control characters from the reason.';
    }
    // YYYY-MM-DD strings compare in date order.
    if (!expires || expires < earliest || expires > latest) {
      return `Choose an expiry date from tomorrow to at most ${config.waiverMaxDays} days ahead.`;
    }
    const outcome = await run(expectedVersion =>
      api.setPhaseCriterion(entityRef, criterion.id, {
        state: 'waived',
        reason: text,
        waiverExpiresAt: startOfDayIso(expires),
        expectedVersion,
      }),
    );
    return settle(outcome, onClose);
  };

  return (
    <PhaseDialog
      id="freeboard-waive"
      title="Waive criterion"
      description={`“${criterion.title}” will count as met until the waiver expires; then it blocks again.`}
      submitLabel="Waive"
      onClose={onClose}
      onSubmit={submit}
    >
      <TextField
        id="freeboard-waive-reason"
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
      <TextField
        id="freeboard-waive-expires"
        label="Expires on"
        type="date"
        required
        value={expires}
        onChange={e => setExpires(e.target.value)}
        inputProps={{ min: earliest, max: latest }}
        InputLabelProps={{ shrink: true }}
        helperText={`At most ${config.waiverMaxDays} days ahead`}
        variant="outlined"
        margin="dense"
      />
    </PhaseDialog>
  );
}
