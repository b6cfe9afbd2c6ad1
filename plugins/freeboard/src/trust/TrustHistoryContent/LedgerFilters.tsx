import {
  TrustConfig,
  TrustDirection,
} from '@freeboard/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import { ConsumerPicker } from '../../shared/ConsumerPicker';
import { LedgerFilter } from './useLedger';

const ANY = '';

function parseDirection(value: string): TrustDirection | undefined {
  return value === 'earn' || value === 'spend' ? value : undefined;
}

/** Narrows the ledger by direction, category and consumer team. */
export function LedgerFilters(props: {
  config: TrustConfig;
  filter: LedgerFilter;
  onChange: (filter: LedgerFilter) => void;
}) {
  const { config, filter, onChange } = props;
  const byDirection = (direction: TrustDirection) =>
    config.categories.filter(c => c.direction === direction);

  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="flex-start"
      style={{ gap: 16 }}
      mb={1}
    >
      <TextField
        select
        id="freeboard-ledger-direction"
        label="Direction"
        value={filter.direction ?? ANY}
        onChange={e =>
          onChange({
            ...filter,
            direction: parseDirection(e.target.value),
          })
        }
        SelectProps={{ native: true }}
        // A native select always shows a value, so the label stays raised.
        InputLabelProps={{ shrink: true }}
        variant="outlined"
        margin="dense"
        style={{ minWidth: 140 }}
      >
        <option value={ANY}>All</option>
        <option value="earn">Earned</option>
        <option value="spend">Spent</option>
      </TextField>
      <TextField
        select
        id="freeboard-ledger-category"
        label="Category"
        value={filter.category ?? ANY}
        onChange={e =>
          onChange({ ...filter, category: e.target.value || undefined })
        }
        SelectProps={{ native: true }}
        // A native select always shows a value, so the label stays raised.
        InputLabelProps={{ shrink: true }}
        variant="outlined"
        margin="dense"
        style={{ minWidth: 240 }}
      >
        <option value={ANY}>All categories</option>
        <optgroup label="Earned">
          {byDirection('earn').map(c => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </optgroup>
        <optgroup label="Spent">
          {byDirection('spend').map(c => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </optgroup>
      </TextField>
      <Box minWidth={280}>
        <ConsumerPicker
          id="freeboard-ledger-consumer"
          value={filter.consumerRef}
          onChange={consumerRef => onChange({ ...filter, consumerRef })}
        />
      </Box>
    </Box>
  );
}
