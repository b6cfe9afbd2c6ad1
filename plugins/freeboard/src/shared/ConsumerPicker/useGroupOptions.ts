import {
  Entity,
  getCompoundEntityRef,
  GroupEntity,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { normalizeEntityRef } from '@freeboard/backstage-plugin-common';
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

/** The catalog's groups, sorted by name, to pick teams from. */
export function useGroupOptions() {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Group' },
      fields: GROUP_FIELDS,
    });
    return items.map(toOption).sort((a, b) => a.label.localeCompare(b.label));
  }, [catalogApi]);
}
