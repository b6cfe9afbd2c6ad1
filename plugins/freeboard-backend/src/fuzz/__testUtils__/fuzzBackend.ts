import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { notificationService } from '@backstage/plugin-notifications-node';
import { FLOAT_OR_SINK_ANNOTATIONS as A } from '@freeboard/backstage-plugin-common';
import { Knex } from 'knex';
import request from 'supertest';
import { visibilityCatalog } from '../../__testUtils__/portfolioBackend';
import { DECISION_HISTORY_TASK_ID } from '../../decisions/recorder';
import { ADOPTION_SNAPSHOT_TASK_ID } from '../../phases/tasks';
import { freeboardPlugin } from '../../plugin';
import { PORTFOLIO_REFRESH_TASK_ID } from '../../portfolio/refresher';
import { THICKNESS_SNAPSHOT_TASK_ID } from '../../thickness/tasks';

/*
 * One backend with the whole Freeboard plugin for the fuzz suite: a catalog
 * where the outsider sees less, a policy that lets the lead and the
 * stakeholder do everything and refuses the outsider some writes, group
 * memberships, and a scheduler whose tasks run only when triggered (so
 * nothing writes in the background while a request is checked).
 * Notifications are off for the same reason: they are sent after the
 * response, and would change the tables between two fingerprints.
 */

/** A platform lead: may do everything. */
export const LEAD = 'user:default/lead';
/** A member of the security group, which signs off Discovery. */
export const SAM = 'user:default/sam';
/** Sees less of the catalog and may not manage initiatives or revert. */
export const OUTSIDER = 'user:default/outsider';

/** Who may call: users, a service, nobody, or a forged token. */
export type Caller =
  | 'lead'
  | 'sam'
  | 'outsider'
  | 'service'
  | 'anonymous'
  | 'forged';

/** The callers, in the order the arbitraries pick from. */
export const CALLERS: Caller[] = [
  'lead',
  'sam',
  'outsider',
  'service',
  'anonymous',
  'forged',
];

const USERS: Record<string, string> = {
  lead: LEAD,
  sam: SAM,
  outsider: OUTSIDER,
};

const MEMBERSHIPS: Record<string, string[]> = {
  [LEAD]: [LEAD, 'group:default/platform', 'group:default/platform-leads'],
  [SAM]: [SAM, 'group:default/security'],
  [OUTSIDER]: [OUTSIDER],
};

/** Permissions the outsider is refused (the others are allowed to all). */
const REFUSED_TO_OUTSIDER = new Set([
  'freeboard.phases.manage',
  'freeboard.phases.signoff',
  'freeboard.trust.entry.revert',
]);

const DAY_MS = 24 * 60 * 60 * 1000;
const day = (offset: number) =>
  new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);

function entity(
  kind: string,
  name: string,
  options: {
    relations?: Array<[string, string]>;
    annotations?: Record<string, string>;
  } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      ...(options.annotations ? { annotations: options.annotations } : {}),
    },
    spec: {},
    relations: (options.relations ?? []).map(([type, targetRef]) => ({
      type,
      targetRef,
    })),
  };
}

const ownedBy = (team: string): [string, string] => [
  'ownedBy',
  `group:default/${team}`,
];

function catalogEntities(decision: 'float' | 'sink'): Entity[] {
  return [
    entity('Component', 'ci', {
      relations: [
        ownedBy('platform'),
        ['partOf', 'system:default/delivery'],
        ['dependencyOf', 'component:default/app-a'],
        ['dependencyOf', 'component:default/secret-app'],
      ],
      annotations: {
        [A.decision]: decision,
        [A.baseCapability]: 'GitHub Actions',
        [A.reviewBy]: day(-3),
        [A.replacedBy]: 'component:default/runners',
        [A.rationale]: decision === 'float' ? 'Duplicate' : 'Unique',
      },
    }),
    entity('Component', 'runners', {
      relations: [
        ownedBy('platform'),
        ['partOf', 'system:default/delivery'],
        ['dependencyOf', 'component:default/app-b'],
      ],
      annotations: { [A.decision]: 'sink', [A.baseCapability]: 'none' },
    }),
    entity('Component', 'vault', {
      relations: [ownedBy('secret-team')],
      annotations: { [A.decision]: 'sink', [A.reviewBy]: 'not-a-date' },
    }),
    entity('Component', 'app-a', { relations: [ownedBy('team-a')] }),
    entity('Component', 'app-b', { relations: [ownedBy('team-b')] }),
    entity('Component', 'secret-app', { relations: [ownedBy('secret-team')] }),
    entity('API', 'payments', { relations: [ownedBy('team-a')] }),
    entity('System', 'delivery', { relations: [ownedBy('platform')] }),
    entity('Group', 'platform', {
      relations: [['childOf', 'group:default/platform-leads']],
    }),
    ...['platform-leads', 'security', 'team-a', 'team-b', 'secret-team'].map(
      name => entity('Group', name),
    ),
    ...['lead', 'sam', 'outsider'].map(name => entity('User', name)),
  ];
}

/** What the outsider cannot see. */
const HIDDEN_FROM_OUTSIDER = [
  'group:default/secret-team',
  'component:default/secret-app',
  'component:default/vault',
];

/** Refs the fuzz suite builds requests from: real, hidden and absent. */
export const FUZZ_REFS = {
  capabilities: [
    'component:default/ci',
    'component:default/runners',
    'component:default/vault',
  ],
  others: [
    'component:default/app-a',
    'component:default/secret-app',
    'api:default/payments',
    'system:default/delivery',
    'user:default/lead',
    'component:default/nowhere',
  ],
  groups: [
    'group:default/platform',
    'group:default/platform-leads',
    'group:default/security',
    'group:default/team-a',
    'group:default/team-b',
    'group:default/secret-team',
    'group:default/nobody',
  ],
};

const CONFIG = {
  freeboard: {
    notifications: { enabled: false },
    phases: {
      templates: {
        discovery: [{ id: 'outcomes', title: 'Technical outcomes agreed' }],
        integration: [{ id: 'tested', title: 'Tested with a pioneer' }],
        deployment: [],
        adoption: [],
      },
      signoffs: { discovery: ['group:default/security'] },
    },
  },
};

/**
 * Starts the backend on `knex`. `call(caller)` gives supertest requests
 * carrying that caller's credentials.
 */
export async function startFuzzBackend(knex: Knex) {
  const catalog = visibilityCatalog(catalogEntities('float'), {
    [OUTSIDER]: HIDDEN_FROM_OUTSIDER,
  });
  const permissions = mockServices.permissions.mock({
    authorizeConditional: jest.fn(async (requests: any[], opts: any) =>
      requests.map(({ permission }: { permission: { name: string } }) => {
        const user = opts?.credentials?.principal?.userEntityRef;
        if (user !== OUTSIDER) return { result: AuthorizeResult.ALLOW };
        if (permission.name === catalogEntityReadPermission.name) {
          return {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'catalog',
            resourceType: 'catalog-entity',
            conditions: {
              rule: 'IS_ENTITY_OWNER',
              resourceType: 'catalog-entity',
              params: { claims: [] },
            },
          };
        }
        return {
          result: REFUSED_TO_OUTSIDER.has(permission.name)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        };
      }),
    ) as any,
    authorize: jest.fn(async (requests: any[], opts: any) =>
      requests.map(({ permission }: { permission: { name: string } }) => ({
        result:
          opts?.credentials?.principal?.userEntityRef === OUTSIDER &&
          REFUSED_TO_OUTSIDER.has(permission.name)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      })),
    ) as any,
  });
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: jest.fn(async (credentials: any) => {
      const userEntityRef = credentials.principal.userEntityRef;
      return {
        userEntityRef,
        ownershipEntityRefs: MEMBERSHIPS[userEntityRef] ?? [userEntityRef],
      };
    }) as any,
  });
  const scheduler = mockServices.scheduler();
  const backend = await startTestBackend({
    features: [
      freeboardPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data: CONFIG }),
      catalog.catalog.factory,
      permissions.factory,
      userInfo.factory,
      mockServices.logger.mock().factory,
      (scheduler as any).factory({ skipTaskRunOnStartup: true }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: async () => {} }),
      }),
    ],
  });
  const { server } = backend;

  /** A request of `method` to `url` as `caller`. */
  const call = (caller: Caller, method: string, url: string) => {
    const test = (request(server) as any)[method](url) as request.Test;
    if (USERS[caller]) {
      test.set('authorization', mockCredentials.user.header(USERS[caller]));
    } else if (caller === 'service') {
      test.set('authorization', mockCredentials.service.header());
    } else if (caller === 'forged') {
      test.set('authorization', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.');
    }
    return test;
  };

  /** Runs every scheduled task of the plugin once, as a day would. */
  const runTasks = async () => {
    for (const id of [
      PORTFOLIO_REFRESH_TASK_ID,
      DECISION_HISTORY_TASK_ID,
      THICKNESS_SNAPSHOT_TASK_ID,
      ADOPTION_SNAPSHOT_TASK_ID,
    ]) {
      await scheduler.triggerTask(id);
    }
  };

  return {
    server,
    call,
    runTasks,
    /** Changes the decision of `ci` in the catalog, for decision history. */
    flipDecision: () => catalog.set(catalogEntities('sink')),
    stop: async () => {
      await backend.stop();
      await knex.destroy();
    },
  };
}

/** The backend {@link startFuzzBackend} answers. */
export type FuzzBackend = Awaited<ReturnType<typeof startFuzzBackend>>;
