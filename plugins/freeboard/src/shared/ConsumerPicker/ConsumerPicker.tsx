import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useMemo } from 'react';
import { ConsumerOption, useGroupOptions } from './useGroupOptions';

/**
 * Picks one consumer team (a catalog Group) by name. The value is the
 * group's entity ref, or undefined for none.
 */
export function ConsumerPicker(props: {
  value?: string;
  onChange: (consumerRef: string | undefined) => void;
  label?: string;
  helperText?: string;
  disabled?: boolean;
  id?: string;
}) {
  const { value, onChange, label = 'Consumer', helperText, disabled } = props;
  const groups = useGroupOptions();
  const options = useMemo(() => groups.value ?? [], [groups.value]);
  // A ref that is not (or not yet) among the loaded groups is still shown.
  const selected =
    value === undefined
      ? null
      : options.find(o => o.ref === value) ?? { ref: value, label: value };

  return (
    <Autocomplete<ConsumerOption>
      id={props.id}
      options={options}
      value={selected}
      loading={groups.loading}
      disabled={disabled}
      getOptionLabel={option => option.label}
      getOptionSelected={(option, current) => option.ref === current.ref}
      onChange={(_event, option) => onChange(option?.ref)}
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
          error={Boolean(groups.error)}
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
