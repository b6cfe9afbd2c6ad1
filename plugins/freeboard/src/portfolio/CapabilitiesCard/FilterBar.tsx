import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import { ReactNode } from 'react';
import { phaseLabel } from '../../phases/format';
import { trustLevelLabel } from '../../trust/TrustChips';
import {
  DECISION_FILTERS,
  isFiltered,
  PHASE_FILTERS,
  TRUST_LEVELS,
} from '../query';
import { PortfolioViewState } from '../usePortfolioView';
import { RefFilterField } from './RefFilterField';
import { SearchField } from './SearchField';

const ANY = '';

const DECISION_LABELS: Record<(typeof DECISION_FILTERS)[number], string> = {
  float: 'Float',
  sink: 'Sink',
  none: 'No decision',
  invalid: 'Invalid annotations',
};

/** One of `values`, or undefined for "any" (and anything else). */
function pick<T extends string>(values: readonly T[], value: string) {
  return values.find(v => v === value);
}

/** A native select with "All" first, like the ledger's filters. */
function FilterSelect(props: {
  id: string;
  label: string;
  value?: string;
  onChange: (value: string) => void;
  children: ReactNode;
}) {
  return (
    <TextField
      select
      id={props.id}
      label={props.label}
      value={props.value ?? ANY}
      onChange={e => props.onChange(e.target.value)}
      SelectProps={{ native: true }}
      // A native select always shows a value, so the label stays raised.
      InputLabelProps={{ shrink: true }}
      variant="outlined"
      margin="dense"
      style={{ minWidth: 150 }}
    >
      <option value={ANY}>All</option>
      {props.children}
    </TextField>
  );
}

/**
 * The table's search and filters: owner (a group and its child groups),
 * system, decision, trust level, MVP phase and overdue reviews. Every change
 * goes to the URL and back to the first page.
 */
export function FilterBar(props: {
  state: PortfolioViewState;
  /** Owner groups to suggest: those the portfolio knows. */
  groups: string[];
  /** Systems to suggest. */
  systems: string[];
}) {
  const { state, groups, systems } = props;
  const { view, setFilters, clearFilters } = state;

  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 12 }}
      mb={1}
    >
      <SearchField value={view.q} onSearch={q => setFilters({ q })} />
      <RefFilterField
        id="freeboard-portfolio-owner"
        label="Owner"
        defaultKind="group"
        options={groups}
        value={view.owner}
        onChange={owner => setFilters({ owner })}
      />
      <RefFilterField
        id="freeboard-portfolio-system"
        label="System"
        defaultKind="system"
        options={systems}
        value={view.system}
        onChange={system => setFilters({ system })}
      />
      <FilterSelect
        id="freeboard-portfolio-decision"
        label="Decision"
        value={view.decision}
        onChange={v => setFilters({ decision: pick(DECISION_FILTERS, v) })}
      >
        {DECISION_FILTERS.map(d => (
          <option key={d} value={d}>
            {DECISION_LABELS[d]}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect
        id="freeboard-portfolio-level"
        label="Trust level"
        value={view.level}
        onChange={v => setFilters({ level: pick(TRUST_LEVELS, v) })}
      >
        {TRUST_LEVELS.map(level => (
          <option key={level} value={level}>
            {trustLevelLabel(level)}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect
        id="freeboard-portfolio-phase"
        label="MVP phase"
        value={view.phase}
        onChange={v => setFilters({ phase: pick(PHASE_FILTERS, v) })}
      >
        {PHASE_FILTERS.map(phase => (
          <option key={phase} value={phase}>
            {phase === 'none' ? 'No initiative' : phaseLabel(phase)}
          </option>
        ))}
      </FilterSelect>
      <FormControlLabel
        control={
          <Switch
            checked={view.overdue === true}
            onChange={e =>
              setFilters({ overdue: e.target.checked ? true : undefined })
            }
            color="primary"
          />
        }
        label="Overdue reviews only"
      />
      {isFiltered(view) && (
        <Button variant="text" onClick={clearFilters}>
          Clear filters
        </Button>
      )}
    </Box>
  );
}
