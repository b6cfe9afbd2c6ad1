import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  PreflightResult,
  TrustConfig,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import { errorMessage, freeboardApiRef } from '../../shared';
import { recordableCategories } from '../categories';
import { formatCredits } from '../format';
import { PreflightVerdictChip } from '../TrustChips';

function PreflightProjection(props: { result: PreflightResult }) {
  const { result } = props;
  return (
    <Box mt={2} aria-live="polite">
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="subtitle2">Overall:</Typography>
        <Typography variant="body2">
          {formatCredits(result.balance)} →{' '}
          {formatCredits(result.projectedBalance)}
        </Typography>
        <PreflightVerdictChip verdict={result.verdict} />
      </Box>
      {result.consumers.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No consumer teams were found in the catalog (nothing depends on this
          entity or consumes its APIs), so only the overall balance is
          projected.
        </Typography>
      ) : (
        <Table size="small" aria-label="Projected balance per consumer team">
          <TableHead>
            <TableRow>
              <TableCell>Team</TableCell>
              <TableCell align="right">Balance now</TableCell>
              <TableCell align="right">Projected</TableCell>
              <TableCell>Verdict</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {result.consumers.map(consumer => (
              <TableRow key={consumer.consumerRef}>
                <TableCell>
                  <EntityRefLink
                    entityRef={consumer.consumerRef}
                    defaultKind="group"
                  />
                </TableCell>
                <TableCell align="right">
                  {formatCredits(consumer.balance)}
                </TableCell>
                <TableCell align="right">
                  {formatCredits(consumer.projectedBalance)}
                </TableCell>
                <TableCell>
                  <PreflightVerdictChip verdict={consumer.verdict} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}

/**
 * Values a caller can open the pre-flight with, e.g. the float-or-sink
 * card's migration plan. A category that is not a configured spend category
 * is ignored.
 */
export interface PreflightInitialValues {
  category?: string;
  /** Per team; the category's default amount when absent. */
  amount?: number;
  /**
   * The teams to project the spend on. When absent the backend takes the
   * teams that depend on the entity in the catalog.
   */
  consumerRefs?: string[];
}

const describeTeams = (count: number) =>
  count === 1 ? 'the team below' : `each of the ${count} teams below`;

function ConsumerList(props: { consumerRefs: string[] }) {
  return (
    <Box mt={1}>
      <Typography variant="subtitle2" component="h3">
        Teams the spend is projected on
      </Typography>
      <Box
        component="ul"
        aria-label="Teams the spend is projected on"
        display="flex"
        flexWrap="wrap"
        m={0}
        p={0}
        style={{ listStyle: 'none', gap: 12 }}
      >
        {props.consumerRefs.map(ref => (
          <li key={ref}>
            <EntityRefLink entityRef={ref} defaultKind="group" />
          </li>
        ))}
      </Box>
    </Box>
  );
}

/**
 * "If we spend N on each team that depends on this, where do we end up?"
 * Projects a planned spend without recording anything.
 */
export function PreflightDialog(props: {
  entityRef: string;
  config: TrustConfig;
  open: boolean;
  onClose: () => void;
  initial?: PreflightInitialValues;
}) {
  const { entityRef, config, open, onClose, initial } = props;
  const api = useApi(freeboardApiRef);
  const spendCategories = recordableCategories(config, 'spend');
  const initialCategory =
    spendCategories.find(c => c.id === initial?.category) ?? spendCategories[0];
  // An empty list would project on no team at all: treat it as absent.
  const consumerRefs = initial?.consumerRefs?.length
    ? initial.consumerRefs
    : undefined;
  const [category, setCategory] = useState(initialCategory?.id ?? '');
  const [amount, setAmount] = useState(
    String(initial?.amount ?? initialCategory?.defaultAmount ?? ''),
  );
  const [result, setResult] = useState<PreflightResult>();
  const [error, setError] = useState<string>();
  const [running, setRunning] = useState(false);

  const changeCategory = (id: string) => {
    setCategory(id);
    const chosen = spendCategories.find(c => c.id === id);
    if (chosen) setAmount(String(chosen.defaultAmount));
    setResult(undefined);
  };

  const run = async (event: FormEvent) => {
    event.preventDefault();
    const value = Number(amount);
    if (!category || !Number.isFinite(value) || value <= 0) {
      setError('Pick a spend category and an amount greater than 0');
      return;
    }
    setRunning(true);
    setError(undefined);
    try {
      setResult(
        await api.runPreflight(entityRef, {
          category,
          amount: value,
          ...(consumerRefs ? { consumerRefs } : {}),
        }),
      );
    } catch (e) {
      setResult(undefined);
      setError(errorMessage(e));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      aria-labelledby="freeboard-preflight-dialog-title"
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={run} noValidate>
        <DialogTitle id="freeboard-preflight-dialog-title">
          Pre-flight a spend
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {consumerRefs
              ? `Projects the spend on ${describeTeams(consumerRefs.length)}.`
              : 'Projects the spend on each team that depends on this entity.'}{' '}
            Nothing is recorded.
          </DialogContentText>
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
          <Box display="flex" style={{ gap: 16 }}>
            <TextField
              select
              id="freeboard-preflight-category"
              label="Spend category"
              value={category}
              onChange={e => changeCategory(e.target.value)}
              SelectProps={{ native: true }}
              variant="outlined"
              margin="dense"
              fullWidth
            >
              {spendCategories.map(c => (
                <option key={c.id} value={c.id}>
                  {c.title}
                </option>
              ))}
            </TextField>
            <TextField
              id="freeboard-preflight-amount"
              label="Amount"
              type="number"
              value={amount}
              onChange={e => {
                setAmount(e.target.value);
                setResult(undefined);
              }}
              inputProps={{ min: 0, max: config.maxAmount, step: 'any' }}
              variant="outlined"
              margin="dense"
              style={{ maxWidth: 140 }}
            />
          </Box>
          {consumerRefs && !result && (
            <ConsumerList consumerRefs={consumerRefs} />
          )}
          {result && <PreflightProjection result={result} />}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Close</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={running}
          >
            Run
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
