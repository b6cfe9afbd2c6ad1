import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  trustEntryCreatePermission,
  trustPulseCreatePermission,
} from '@freeboard/backstage-plugin-common';
import { DemoPermissionPolicy } from './permissionPolicy';

function user(ref: string, groups: string[]): PolicyQueryUser {
  return {
    credentials: mockCredentials.user(ref),
    info: { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
  };
}

describe('DemoPermissionPolicy', () => {
  const policy = new DemoPermissionPolicy('group:default/platform-leads');

  it('lets platform leads record anywhere', async () => {
    const decision = await policy.handle(
      { permission: trustEntryCreatePermission },
      user('user:default/ada', ['group:default/platform-leads']),
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets other users record only on entities they own', async () => {
    const decision = await policy.handle(
      { permission: trustEntryCreatePermission },
      user('user:default/guest', ['group:default/platform-team']),
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'freeboard',
      resourceType: 'freeboard-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'freeboard-entity',
        params: {
          claims: ['user:default/guest', 'group:default/platform-team'],
        },
      },
    });
  });

  it('lets every signed-in user pulse, and nobody else', async () => {
    expect(
      await policy.handle(
        { permission: trustPulseCreatePermission },
        user('user:default/mia', ['group:default/mobile-apps']),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle({ permission: trustPulseCreatePermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('allows other plugins’ permissions', async () => {
    const other = createPermission({
      name: 'catalog.entity.read',
      attributes: {},
    });
    expect(await policy.handle({ permission: other })).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});
