import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useMemo } from 'react';
import { ConsumerOption, useGroupOptions } from '../ConsumerPicker';

/**
 * Picks several teams (catalog Groups) by name. The value is their entity
 * refs, in the order picked; refs not among the loaded groups stay, shown as
 * they are.
 */
export function TeamsPicker(props: {
  value: string[];
  onChange: (teamRefs: string[]) => void;
  label?: string;
  helperText?: string;
  error?: boolean;
  id?: string;
}) {
  const { value, onChange, label = 'Teams', helperText, error } = props;
  const groups = useGroupOptions();
  const options = useMemo(() => groups.value ?? [], [groups.value]);
  const selected = value.map(
    ref => options.find(o => o.ref === ref) ?? { ref, label: ref },
  );

  return (
    <Autocomplete<ConsumerOption, true>
      id={props.id}
      multiple
      options={options}
      value={selected}
      loading={groups.loading}
      filterSelectedOptions
      getOptionLabel={option => option.label}
      getOptionSelected={(option, current) => option.ref === current.ref}
      onChange={(_event, picked) => onChange(picked.map(option => option.ref))}
      renderOption={option => (
        <div>
          <Typography variant="body2">{option.label}</Typography>
          <Typography variant="caption" color="textSecondary">
            {option.ref}
          </Typography>
        </div>
      )}
      renderInput={params => (
        <TextField
          {...params}
          label={label}
          variant="outlined"
          margin="dense"
          error={error || Boolean(groups.error)}
          helperText={
            groups.error
              ? `Could not load teams from the catalog: ${groups.error.message}`
              : helperText
          }
        />
      )}
    />
  );
}
