import {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionResourceRef,
  createConditionAuthorizer,
} from '@backstage/plugin-permission-node';

/**
 * Decides a resource permission on a resource the route has already loaded:
 * a conditional decision is evaluated here against that resource, so no
 * second lookup happens and the decision cannot see a different version.
 */
export class ResourceAuthorizer<TResource, TResourceType extends string> {
  private readonly applyConditions: ReturnType<
    typeof createConditionAuthorizer<TResource, unknown>
  >;

  constructor(
    private readonly permissions: PermissionsService,
    registry: PermissionsRegistryService,
    resourceRef: PermissionResourceRef<TResource, unknown, TResourceType>,
  ) {
    this.applyConditions = createConditionAuthorizer(
      registry.getPermissionRuleset(resourceRef),
    );
  }

  /** Throws NotAllowedError (403) unless the caller may. */
  async authorize(
    permission: ResourcePermission<TResourceType>,
    resource: TResource,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    const allowed =
      decision.result === AuthorizeResult.ALLOW ||
      (decision.result === AuthorizeResult.CONDITIONAL &&
        this.applyConditions(decision, resource));
    if (!allowed) {
      throw new NotAllowedError(
        `You are not allowed to ${permission.name} here`,
      );
    }
  }
}
