import { parseEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useState } from 'react';
import { toFilterRef } from '../query';

/** `group:default/team-a` → `team-a`; other namespaces and kinds stay visible. */
function refLabel(ref: string, defaultKind: string): string {
  try {
    return humanizeEntityRef(parseEntityRef(ref), { defaultKind });
  } catch {
    return ref;
  }
}

/**
 * Filters by one entity ref (an owner group or a system): pick one of the
 * refs the portfolio knows, or type any ref (`team-a`, `group:ns/team-a`)
 * and press Enter or leave the field. A typed value that is not a ref
 * says so and is not applied.
 */
export function RefFilterField(props: {
  id: string;
  label: string;
  defaultKind: string;
  options: string[];
  value?: string;
  onChange: (ref: string | undefined) => void;
}) {
  const { id, label, defaultKind, options, value, onChange } = props;
  const [problem, setProblem] = useState<string>();

  return (
    <Autocomplete<string, false, false, true>
      id={id}
      freeSolo
      // Typed text counts when the field loses focus, not only on Enter.
      autoSelect
      options={options}
      value={value ?? null}
      getOptionLabel={option => refLabel(option, defaultKind)}
      onChange={(_event, next) => {
        if (next === null || next.trim() === '') {
          setProblem(undefined);
          onChange(undefined);
          return;
        }
        const ref = toFilterRef(next, defaultKind);
        if (ref === undefined) {
          setProblem(`"${next}" is not an entity ref`);
          return;
        }
        setProblem(undefined);
        // Leaving the field re-reads its label; the same ref changes nothing.
        if (ref !== value) onChange(ref);
      }}
      onInputChange={(_event, text, reason) => {
        // Erasing the text clears the filter, as the clear button does.
        if (reason === 'input' && text.trim() === '' && value !== undefined) {
          setProblem(undefined);
          onChange(undefined);
        }
      }}
      style={{ minWidth: 220 }}
      renderInput={params => (
        <TextField
          {...params}
          label={label}
          variant="outlined"
          margin="dense"
          error={Boolean(problem)}
          helperText={problem}
        />
      )}
    />
  );
}
