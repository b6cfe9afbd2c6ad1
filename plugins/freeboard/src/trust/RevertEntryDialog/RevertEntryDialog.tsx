import { useApi } from '@backstage/core-plugin-api';
import {
  hasControlCharacters,
  TrustEntryResult,
  TrustLedgerEntry,
} from '@freeboard/backstage-plugin-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import { errorMessage, freeboardApiRef } from '../../shared';
import { formatSignedAmount } from '../format';

/**
 * Reverts a ledger entry. The ledger is append-only, so this records a
 * correction that cancels the entry, with the reason as its description.
 */
export function RevertEntryDialog(props: {
  entityRef: string;
  entry: TrustLedgerEntry;
  open: boolean;
  onClose: () => void;
  onReverted: (result: TrustEntryResult) => void;
}) {
  const { entityRef, entry, open, onClose, onReverted } = props;
  const api = useApi(freeboardApiRef);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitting) return;
    if (!reason.trim()) {
      setError('Give a reason: it stays in the ledger with the correction.');
      return;
    }
    if (hasControlCharacters(reason, { multiline: true })) {
      setError('Remove the control characters from the reason.');
      return;
    }
    setSubmitting(true);
    setError(undefined);
    try {
      onReverted(
        await api.revertTrustEntry(entityRef, entry.id, reason.trim()),
      );
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={submitting ? undefined : onClose}
      aria-labelledby="freeboard-revert-dialog-title"
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="freeboard-revert-dialog-title">
          Revert entry
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            “{entry.title}” ({formatSignedAmount(entry.amount, entry.direction)}
            ) will be cancelled by a correction entry. The original stays in the
            ledger, marked as reverted.
          </DialogContentText>
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
          <TextField
            id="freeboard-revert-reason"
            label="Reason"
            value={reason}
            onChange={e => setReason(e.target.value)}
            inputProps={{ maxLength: 1000 }}
            variant="outlined"
            margin="dense"
            multiline
            minRows={2}
            fullWidth
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={submitting}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="secondary"
            variant="contained"
            disabled={submitting}
          >
            Revert entry
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
