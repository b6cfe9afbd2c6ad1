import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  phasesManagePermission,
  phasesSignoffPermission,
  trustEntryCreatePermission,
  trustEntryRevertPermission,
  trustPulseCreatePermission,
} from '@freeboard/backstage-plugin-common';
import {
  createFreeboardConditionalDecision,
  createFreeboardTrustEntryConditionalDecision,
  freeboardConditions,
  freeboardTrustEntryConditions,
} from '@freeboard/backstage-plugin-node';

/**
 * The demo's permission policy, and the shape we suggest to adopters:
 * - members of the platform-leads group may record trust credits anywhere;
 * - owners of an entity (the user or one of its groups) may record on it;
 * - leads may revert any entry; owners only the entries they recorded;
 * - every signed-in user may send a feedback pulse;
 * - leads may manage any entity's MVP initiative; owners their entities';
 * - every signed-in user may decide sign-offs: the Freeboard backend lets
 *   only members of the signing group do so, whatever the policy says;
 * - everything else (the catalog, ...) is allowed, as in a fresh Backstage.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  constructor(private readonly platformLeadsGroup?: string) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    const leads = this.platformLeadsGroup?.toLocaleLowerCase('en-US');
    const isLead = Boolean(
      leads && claims.some(c => c.toLocaleLowerCase('en-US') === leads),
    );

    if (isPermission(request.permission, trustEntryRevertPermission)) {
      if (!user) return { result: AuthorizeResult.DENY };
      if (isLead) return { result: AuthorizeResult.ALLOW };
      return createFreeboardTrustEntryConditionalDecision(request.permission, {
        allOf: [
          freeboardTrustEntryConditions.isEntityOwner({ claims }),
          freeboardTrustEntryConditions.isRecordedBy({
            claims: [user.info.userEntityRef],
          }),
        ],
      });
    }

    if (
      isPermission(request.permission, trustEntryCreatePermission) ||
      isPermission(request.permission, phasesManagePermission)
    ) {
      if (!user) return { result: AuthorizeResult.DENY };
      if (isLead) {
        return { result: AuthorizeResult.ALLOW };
      }
      return createFreeboardConditionalDecision(
        request.permission,
        freeboardConditions.isEntityOwner({ claims }),
      );
    }

    if (
      isPermission(request.permission, trustPulseCreatePermission) ||
      isPermission(request.permission, phasesSignoffPermission)
    ) {
      return { result: user ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }

    return { result: AuthorizeResult.ALLOW };
  }
}

export const permissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'freeboard-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          new DemoPermissionPolicy(
            config.getOptionalString('freeboard.platformLeadsGroup'),
          ),
        );
      },
    });
  },
});
