import {
  AuthService,
  PermissionsRegistryService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  FREEBOARD_ENTITY_RESOURCE_TYPE,
  freeboardPermissions,
} from '@freeboard/backstage-plugin-common';
import {
  freeboardEntityResourceRef,
  freeboardPermissionRules,
} from '@freeboard/backstage-plugin-node';

/**
 * Registers the `freeboard-entity` resource type that every instrument's
 * writes are decided on: the catalog entity, loaded as the plugin.
 */
export function registerEntityResource(options: {
  registry: PermissionsRegistryService;
  catalog: CatalogService;
  auth: AuthService;
}): void {
  const { catalog, auth } = options;
  options.registry.addResourceType({
    resourceRef: freeboardEntityResourceRef,
    permissions: freeboardPermissions.filter(
      p =>
        'resourceType' in p &&
        p.resourceType === FREEBOARD_ENTITY_RESOURCE_TYPE,
    ),
    rules: freeboardPermissionRules,
    async getResources(resourceRefs) {
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: resourceRefs },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      return items.map(item => item ?? undefined);
    },
  });
}
