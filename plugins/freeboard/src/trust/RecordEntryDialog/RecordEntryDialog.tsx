import { useApi } from '@backstage/core-plugin-api';
import {
  hasControlCharacters,
  isHttpUrl,
  RecordTrustEntryRequest,
  TrustConfig,
  TrustEntryResult,
} from '@freeboard/backstage-plugin-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useRef, useState } from 'react';
import { errorMessage, freeboardApiRef, newIdempotencyKey } from '../../shared';
import { ConsumerPicker } from '../../shared/ConsumerPicker';
import { recordableCategories } from '../categories';

interface FormState {
  category: string;
  amount: string;
  title: string;
  description: string;
  consumerRef?: string;
  evidenceUrl: string;
}

type FieldErrors = Partial<Record<keyof FormState, string>>;

const EMPTY_FORM: FormState = {
  category: '',
  amount: '',
  title: '',
  description: '',
  evidenceUrl: '',
};

/**
 * Catches the obvious mistakes before a round trip; the backend's validation
 * stays the authority and its message is shown as it is.
 */
function validate(form: FormState, config: TrustConfig): FieldErrors {
  const errors: FieldErrors = {};
  if (!form.category) errors.category = 'Pick a category';
  const amount = Number(form.amount);
  if (form.amount.trim() === '' || !Number.isFinite(amount) || amount <= 0) {
    errors.amount = 'Enter a number greater than 0';
  } else if (amount > config.maxAmount) {
    errors.amount = `At most ${config.maxAmount}`;
  }
  if (!form.title.trim()) errors.title = 'Say what happened';
  else if (hasControlCharacters(form.title)) {
    errors.title = 'Remove the control characters';
  }
  if (hasControlCharacters(form.description, { multiline: true })) {
    errors.description = 'Remove the control characters';
  }
  if (form.evidenceUrl.trim() && !isHttpUrl(form.evidenceUrl.trim())) {
    errors.evidenceUrl = 'Enter an http or https URL';
  }
  return errors;
}

function toRequest(form: FormState): RecordTrustEntryRequest {
  const optional = (value: string) => value.trim() || undefined;
  return {
    category: form.category,
    amount: Number(form.amount),
    title: form.title.trim(),
    description: optional(form.description),
    consumerRef: form.consumerRef,
    evidenceUrl: optional(form.evidenceUrl),
  };
}

/**
 * Records an earning or spending entry in the entity's ledger. Mount it when
 * it opens, so each opening starts with an empty form.
 */
export function RecordEntryDialog(props: {
  entityRef: string;
  config: TrustConfig;
  open: boolean;
  onClose: () => void;
  onRecorded: (result: TrustEntryResult) => void;
}) {
  const { entityRef, config, open, onClose, onRecorded } = props;
  const api = useApi(freeboardApiRef);
  const [form, setForm] = useState<FormState>(EMPTY_FORM);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [serverError, setServerError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  // One key per distinct body: a retry of the same entry after a lost
  // response replays it instead of recording it twice; an edited entry is new.
  const idempotency = useRef<{ body: string; key: string }>();

  const earn = recordableCategories(config, 'earn');
  const spend = recordableCategories(config, 'spend');

  const update = (changes: Partial<FormState>) => {
    setForm(current => ({ ...current, ...changes }));
    setFieldErrors(current => {
      const next = { ...current };
      for (const key of Object.keys(changes) as Array<keyof FormState>) {
        delete next[key];
      }
      return next;
    });
  };

  const changeCategory = (categoryId: string) => {
    const previous = config.categories.find(c => c.id === form.category);
    const next = config.categories.find(c => c.id === categoryId);
    update({
      category: categoryId,
      amount: next ? String(next.defaultAmount) : form.amount,
      // Suggest the category's title until the user writes their own.
      title:
        next && (!form.title.trim() || form.title === previous?.title)
          ? next.title
          : form.title,
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitting) return;
    const errors = validate(form, config);
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;

    const request = toRequest(form);
    const body = JSON.stringify(request);
    if (idempotency.current?.body !== body) {
      idempotency.current = { body, key: newIdempotencyKey() };
    }
    setSubmitting(true);
    setServerError(undefined);
    try {
      const result = await api.recordTrustEntry(entityRef, request, {
        idempotencyKey: idempotency.current.key,
      });
      onRecorded(result);
    } catch (error) {
      setServerError(errorMessage(error));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={submitting ? undefined : onClose}
      aria-labelledby="freeboard-record-dialog-title"
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="freeboard-record-dialog-title">
          Record trust credits
        </DialogTitle>
        <DialogContent>
          {serverError && (
            <Alert severity="error" role="alert">
              {serverError}
            </Alert>
          )}
          <TextField
            select
            id="freeboard-record-category"
            label="Category"
            value={form.category}
            onChange={e => changeCategory(e.target.value)}
            SelectProps={{ native: true }}
            error={Boolean(fieldErrors.category)}
            helperText={
              fieldErrors.category ??
              'Earned: something that eased the teams’ work. Spent: a cost imposed on them.'
            }
            variant="outlined"
            margin="dense"
            fullWidth
          >
            <option value="" disabled>
              Choose a category
            </option>
            <optgroup label="Earned">
              {earn.map(c => (
                <option key={c.id} value={c.id}>
                  {c.title}
                </option>
              ))}
            </optgroup>
            <optgroup label="Spent">
              {spend.map(c => (
                <option key={c.id} value={c.id}>
                  {c.title}
                </option>
              ))}
            </optgroup>
          </TextField>
          <TextField
            id="freeboard-record-amount"
            label="Amount"
            type="number"
            value={form.amount}
            onChange={e => update({ amount: e.target.value })}
            inputProps={{ min: 0, max: config.maxAmount, step: 'any' }}
            error={Boolean(fieldErrors.amount)}
            helperText={
              fieldErrors.amount ??
              `Credits, at most ${config.maxAmount}. Balances halve every ${config.halfLifeDays} days.`
            }
            variant="outlined"
            margin="dense"
            fullWidth
          />
          <TextField
            id="freeboard-record-title"
            label="Title"
            value={form.title}
            onChange={e => update({ title: e.target.value })}
            inputProps={{ maxLength: 200 }}
            error={Boolean(fieldErrors.title)}
            helperText={fieldErrors.title}
            variant="outlined"
            margin="dense"
            fullWidth
          />
          <TextField
            id="freeboard-record-description"
            label="Description"
            value={form.description}
            onChange={e => update({ description: e.target.value })}
            inputProps={{ maxLength: 4000 }}
            error={Boolean(fieldErrors.description)}
            helperText={fieldErrors.description ?? 'Optional.'}
            variant="outlined"
            margin="dense"
            multiline
            minRows={2}
            fullWidth
          />
          <ConsumerPicker
            id="freeboard-record-consumer"
            value={form.consumerRef}
            onChange={consumerRef => update({ consumerRef })}
            helperText="Optional. The team that gained or paid the most."
          />
          <TextField
            id="freeboard-record-evidence"
            label="Evidence URL"
            type="url"
            value={form.evidenceUrl}
            onChange={e => update({ evidenceUrl: e.target.value })}
            error={Boolean(fieldErrors.evidenceUrl)}
            helperText={
              fieldErrors.evidenceUrl ??
              'Optional. A pull request, incident, announcement or thread.'
            }
            variant="outlined"
            margin="dense"
            fullWidth
          />
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
            Record entry
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
