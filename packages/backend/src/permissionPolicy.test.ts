import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  PermissionCriteria,
  PermissionCondition,
} from '@backstage/plugin-permission-common';
import {
  phasesManagePermission,
  phasesSignoffPermission,
  trustEntryCreatePermission,
  trustEntryRevertPermission,
  trustPulseCreatePermission,
} from '@freeboard/backstage-plugin-common';
import {
  FreeboardTrustEntryResource,
  freeboardPermissionRules,
  freeboardTrustEntryPermissionRules,
} from '@freeboard/backstage-plugin-node';
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

  it('lets leads revert anything, owners only what they recorded', async () => {
    expect(
      await policy.handle(
        { permission: trustEntryRevertPermission },
        user('user:default/ada', ['group:default/platform-leads']),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });

    const guest = user('user:default/guest', ['group:default/platform-team']);
    const decision = await policy.handle(
      { permission: trustEntryRevertPermission },
      guest,
    );
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    // Evaluate the conditions the way the Freeboard backend does.
    const apply = (
      criteria: PermissionCriteria<PermissionCondition>,
      resource: FreeboardTrustEntryResource,
    ): boolean => {
      if ('allOf' in criteria)
        return criteria.allOf.every(c => apply(c, resource));
      if ('anyOf' in criteria)
        return criteria.anyOf.some(c => apply(c, resource));
      if ('not' in criteria) return !apply(criteria.not, resource);
      const rule = freeboardTrustEntryPermissionRules.find(
        r => r.name === criteria.rule,
      )!;
      return rule.apply(resource, criteria.params as any);
    };
    const resource = (recordedBy: string): FreeboardTrustEntryResource => ({
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'kubernetes-runtime' },
        relations: [
          { type: 'ownedBy', targetRef: 'group:default/platform-team' },
        ],
      },
      entry: {
        id: '1',
        entityRef: 'component:default/kubernetes-runtime',
        direction: 'spend',
        category: 'migration',
        amount: 20,
        title: 'Migration',
        occurredAt: '2026-11-01T00:00:00Z',
        recordedAt: '2026-11-01T00:00:00Z',
        recordedBy,
        source: 'manual',
      },
    });
    const conditions = (decision as any).conditions;
    expect(apply(conditions, resource('user:default/guest'))).toBe(true);
    expect(apply(conditions, resource('user:default/ada'))).toBe(false);
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

  describe('MVP phases', () => {
    const lead = user('user:default/ada', ['group:default/platform-leads']);
    const platformMember = user('user:default/guest', [
      'group:default/platform-team',
    ]);
    const payments = user('user:default/paula', ['group:default/payments']);
    const sam = user('user:default/sam.security', ['group:default/security']);
    const capability = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'kubernetes-runtime' },
      relations: [
        { type: 'ownedBy', targetRef: 'group:default/platform-team' },
      ],
    };
    // Evaluates a conditional decision the way the Freeboard backend does.
    const allows = (decision: any, entity = capability): boolean => {
      expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
      const { rule, params } = decision.conditions;
      return freeboardPermissionRules
        .find(r => r.name === rule)!
        .apply(entity, params);
    };

    it('lets platform leads manage any initiative', async () => {
      expect(
        await policy.handle({ permission: phasesManagePermission }, lead),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    });

    it("lets owners manage their entities' initiatives, nobody else", async () => {
      const owner = await policy.handle(
        { permission: phasesManagePermission },
        platformMember,
      );
      expect(owner).toMatchObject({
        result: AuthorizeResult.CONDITIONAL,
        resourceType: 'freeboard-entity',
        conditions: { rule: 'IS_ENTITY_OWNER' },
      });
      expect(allows(owner)).toBe(true);
      const other = await policy.handle(
        { permission: phasesManagePermission },
        payments,
      );
      expect(allows(other)).toBe(false);
      // A stakeholder signs off but does not manage.
      expect(
        allows(
          await policy.handle({ permission: phasesManagePermission }, sam),
        ),
      ).toBe(false);
      expect(
        await policy.handle({ permission: phasesManagePermission }),
      ).toEqual({ result: AuthorizeResult.DENY });
    });

    it('lets every signed-in user sign off; the backend checks membership', async () => {
      for (const who of [sam, payments, platformMember]) {
        expect(
          await policy.handle({ permission: phasesSignoffPermission }, who),
        ).toEqual({ result: AuthorizeResult.ALLOW });
      }
      expect(
        await policy.handle({ permission: phasesSignoffPermission }),
      ).toEqual({ result: AuthorizeResult.DENY });
    });
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
