import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, ReactNode, useState } from 'react';
import { WriteOutcome } from '../useInitiative';

/**
 * What a dialog does with a write's outcome: closes when it is done, and
 * also when the initiative changed or is blocked (the tab's notice says so
 * and shows the latest state); otherwise the message to show in the dialog.
 */
export function settle(
  outcome: WriteOutcome,
  close: () => void,
): string | undefined {
  if (outcome.status === 'failed') return outcome.message;
  close();
  return undefined;
}

/**
 * A form in a dialog, for the tab's writes: it validates and submits with
 * `onSubmit`, which answers an error message to show, or nothing once done
 * (the caller then closes it). Mount it only while open, so every opening
 * starts afresh.
 */
export function PhaseDialog(props: {
  /** Unique in the page: names the title for screen readers. */
  id: string;
  title: string;
  description?: ReactNode;
  submitLabel: string;
  onClose: () => void;
  onSubmit: () => Promise<string | undefined>;
  children?: ReactNode;
}) {
  const { id, title, description, submitLabel, onClose, onSubmit } = props;
  const [error, setError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitting) return;
    setSubmitting(true);
    setError(undefined);
    try {
      const message = await onSubmit();
      if (message) setError(message);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open
      onClose={submitting ? undefined : onClose}
      aria-labelledby={`${id}-title`}
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={`${id}-title`}>{title}</DialogTitle>
        <DialogContent>
          {description && <DialogContentText>{description}</DialogContentText>}
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
          {props.children}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={submitting}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={submitting}
          >
            {submitLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
