import {
  Entity,
  getCompoundEntityRef,
  GroupEntity,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { normalizeEntityRef } from '@freeboard/backstage-plugin-common';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';

/** A team to pick: its ref (lower case) and how people know it. */
export interface ConsumerOption {
  ref: string;
  label: string;
}

/** Only what the picker shows, so large catalogs stay cheap to load. */
const GROUP_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'spec.profile.displayName',
];

function toOption(entity: Entity): ConsumerOption {
  const group = entity as Partial<GroupEntity>;
  return {
    ref: normalizeEntityRef(getCompoundEntityRef(entity)),
    label:
      group.spec?.profile?.displayName ||
      entity.metadata.title ||
      entity.metadata.name,
  };
}

/** The catalog's groups, sorted by name, to pick a consumer team from. */
function useGroupOptions() {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Group' },
      fields: GROUP_FIELDS,
    });
    return items.map(toOption).sort((a, b) => a.label.localeCompare(b.label));
  }, [catalogApi]);
}

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
