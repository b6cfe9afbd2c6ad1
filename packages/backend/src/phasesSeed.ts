import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { MvpPhase } from '@freeboard/backstage-plugin-common';
import {
  ImportedPhaseEvent,
  ImportedPhaseEventData,
  freeboardPhasesExtensionPoint,
} from '@freeboard/backstage-plugin-node';
import { waitForCatalog } from './waitForCatalog';

const DAY_MS = 24 * 60 * 60 * 1000;

const ADA = 'user:default/ada.platform';
const GRACE = 'user:default/grace.platform';
// Stakeholders decide for the groups they are members of (examples/org.yaml).
const SAM = 'user:default/sam.security';
const DANA = 'user:default/dana.data';
const FIN = 'user:default/fin.finance';
const SECURITY = 'group:default/security';
const DATA = 'group:default/data-governance';
const FINANCE = 'group:default/finance';
const team = (name: string) => `group:default/${name}`;

/** A calendar day `days` from the seeding (negative: in the past). */
type DayOffset = { daysFromNow: number };

type StoryData =
  | ImportedPhaseEventData
  | { type: 'target-set'; phase: MvpPhase; date: DayOffset }
  | {
      type: 'cohort-added';
      name: string;
      targetDate: DayOffset;
      teamRefs: string[];
    }
  | { type: 'criterion-set'; id: string; state: 'waived'; expiresIn: number };

/** One step of a story: days before the seeding, who, what, why. */
interface Step {
  daysAgo: number;
  by: string;
  data: StoryData;
  reason?: string;
}

const step = (
  daysAgo: number,
  by: string,
  data: StoryData,
  reason?: string,
): Step => ({ daysAgo, by, data, reason });
const tick = (daysAgo: number, by: string, id: string, reason?: string) =>
  step(daysAgo, by, { type: 'criterion-set', id, state: 'done' }, reason);
const approve = (
  daysAgo: number,
  by: string,
  groupRef: string,
  comment: string,
) =>
  step(daysAgo, by, {
    type: 'signoff-decided',
    phase: 'discovery',
    groupRef,
    decision: 'approve',
    comment,
  });
const target = (daysAgo: number, by: string, phase: MvpPhase, days: number) =>
  step(daysAgo, by, {
    type: 'target-set',
    phase,
    date: { daysFromNow: days },
  });

/*
 * Three initiatives at different points; criterion ids are the default
 * templates' (`<phase>.<template id>`, plugins/freeboard-backend config.ts).
 * Observability is in Adoption: of its two cohorts, the first has fully
 * adopted and the second partly, as the catalog's dependsOn edges show
 * (examples/consumers.yaml: Mobile Apps does not depend on it yet).
 * Kubernetes runtime is in Integration with a security review requested.
 * Secrets manager is in Discovery: security has not signed off and the
 * project-management waiver has expired.
 */
const STORIES: Record<string, Step[]> = {
  'component:default/observability-stack': [
    step(200, ADA, { type: 'started' }),
    target(200, ADA, 'discovery', -170),
    step(
      199,
      ADA,
      { type: 'pioneer-set', teamRef: team('payments') },
      'Payments runs the busiest services and asked for per-service dashboards first',
    ),
    target(198, GRACE, 'integration', -140),
    target(198, GRACE, 'deployment', -100),
    target(198, GRACE, 'adoption', 45),
    tick(
      196,
      ADA,
      'discovery.technical-outcomes',
      'One dashboard and alert set per service, generated from the catalog; logs searchable for 30 days',
    ),
    tick(
      192,
      GRACE,
      'discovery.golden-paths',
      'OpenTelemetry SDK in the service templates; the vendor agent as a DaemonSet',
    ),
    tick(
      190,
      ADA,
      'discovery.project-management',
      'Fortnightly steering with Payments and SRE; work on the platform board',
    ),
    tick(
      188,
      ADA,
      'discovery.production-out-of-scope',
      'The MVP runs on staging; production traffic after the pioneer signs off',
    ),
    tick(
      185,
      GRACE,
      'discovery.stakeholders-engaged',
      'Security, data governance and finance briefed at the architecture forum',
    ),
    approve(
      183,
      SAM,
      SECURITY,
      'Vendor DPA reviewed; no secrets in log payloads',
    ),
    approve(
      181,
      DANA,
      DATA,
      'PII scrubbing in the collector pipeline is enough for the MVP',
    ),
    approve(
      178,
      FIN,
      FINANCE,
      'Vendor cost fits the platform budget for two quarters',
    ),
    step(176, ADA, { type: 'advanced', to: 'integration' }),
    tick(
      160,
      GRACE,
      'integration.infrastructure-built',
      'Collector fleet and vendor tenancy provisioned with Terraform',
    ),
    tick(
      150,
      ADA,
      'integration.components-connected',
      'Traces, metrics and logs correlated by the catalog service name',
    ),
    step(148, ADA, { type: 'advanced', to: 'deployment' }),
    tick(
      135,
      GRACE,
      'deployment.representative-apps',
      'payments-api and payments-ledger instrumented on staging',
    ),
    step(
      128,
      ADA,
      { type: 'stepped-back', to: 'integration' },
      "The pioneer's load test dropped 8% of spans at peak: the collectors must scale out",
    ),
    step(127, ADA, {
      type: 'criterion-added',
      phase: 'integration',
      title: "Collector autoscaling proven under the pioneer's peak load",
    }),
    // The criterion above is the story's 21st event: version 21, own-21.
    tick(
      112,
      GRACE,
      'own-21',
      'Load test at three times peak: no dropped spans',
    ),
    step(110, ADA, { type: 'advanced', to: 'deployment' }),
    tick(
      100,
      GRACE,
      'deployment.end-to-end-tested',
      'Incident drill with Payments: from alert to trace to log in under two minutes',
    ),
    step(96, ADA, { type: 'advanced', to: 'adoption' }),
    tick(
      94,
      ADA,
      'adoption.objectives',
      'Every product team on the vendor by the end of Q1; the self-hosted stack switched off',
    ),
    step(92, ADA, {
      type: 'cohort-added',
      name: 'Wave 1',
      targetDate: { daysFromNow: -30 },
      teamRefs: [team('payments'), team('checkout')],
    }),
    step(92, ADA, {
      type: 'cohort-added',
      name: 'Wave 2',
      targetDate: { daysFromNow: 45 },
      teamRefs: [team('identity'), team('mobile-apps'), team('logistics')],
    }),
    tick(
      90,
      GRACE,
      'adoption.cohorts-prioritized',
      'Waves by on-call load: the teams paged most go first',
    ),
    tick(
      80,
      GRACE,
      'adoption.cohort-requirements',
      "Checkout needs synthetic checks; Logistics needs the warehouse scanners' logs",
    ),
    tick(
      70,
      ADA,
      'adoption.communication-plan',
      'Migration guide and weekly office hours announced in #engineering',
    ),
    tick(
      45,
      GRACE,
      'adoption.demo-engineers',
      'Live demo at the engineering all-hands',
    ),
    step(
      40,
      ADA,
      {
        type: 'criterion-set',
        id: 'adoption.demo-leadership',
        state: 'waived',
        expiresIn: 90,
      },
      'The leadership demo is part of the quarterly business review; waived until then',
    ),
  ],

  'component:default/kubernetes-runtime': [
    step(75, ADA, { type: 'started' }),
    target(75, ADA, 'discovery', -45),
    target(75, ADA, 'integration', 20),
    step(
      74,
      ADA,
      { type: 'pioneer-set', teamRef: team('checkout') },
      'Checkout runs the most namespaces and asked for managed clusters first',
    ),
    tick(
      72,
      GRACE,
      'discovery.technical-outcomes',
      'Managed control plane, upgrades without downtime, cost per namespace',
    ),
    tick(
      70,
      ADA,
      'discovery.golden-paths',
      'One Helm chart per service type; Argo CD for every deploy',
    ),
    tick(68, ADA, 'discovery.project-management'),
    tick(
      66,
      GRACE,
      'discovery.production-out-of-scope',
      'Pilot clusters only; production moves in the next iteration',
    ),
    tick(64, ADA, 'discovery.stakeholders-engaged'),
    approve(
      60,
      SAM,
      SECURITY,
      "Pod security standards at 'restricted' on the pilot clusters",
    ),
    approve(58, DANA, DATA, 'No customer data on the pilot clusters'),
    step(57, FIN, {
      type: 'signoff-decided',
      phase: 'discovery',
      groupRef: FINANCE,
      decision: 'reject',
      comment: 'Reserved capacity is not costed yet',
    }),
    approve(52, FIN, FINANCE, 'Reserved capacity costed; within budget'),
    step(50, ADA, { type: 'advanced', to: 'integration' }),
    tick(
      45,
      GRACE,
      'integration.infrastructure-built',
      'Two EKS clusters per region, provisioned with Terraform',
    ),
    step(
      44,
      ADA,
      { type: 'signoff-requested', phase: 'integration', groupRef: SECURITY },
      'Network policies and IAM roles for service accounts need a security review',
    ),
    target(30, GRACE, 'deployment', 50),
  ],

  'component:default/secrets-manager': [
    step(130, GRACE, { type: 'started' }),
    target(130, GRACE, 'discovery', -20),
    tick(
      125,
      ADA,
      'discovery.technical-outcomes',
      'Dynamic database credentials; no static secrets in CI',
    ),
    tick(
      118,
      GRACE,
      'discovery.golden-paths',
      'Secrets mounted by the CSI driver; the SDK only for rotation hooks',
    ),
    step(
      100,
      ADA,
      {
        type: 'criterion-set',
        id: 'discovery.project-management',
        state: 'waived',
        expiresIn: 90,
      },
      'PMO alignment waits for the Q3 planning cycle',
    ),
    tick(95, ADA, 'discovery.production-out-of-scope'),
    approve(80, DANA, DATA, 'Audit log retention meets the records policy'),
    step(75, FIN, {
      type: 'signoff-decided',
      phase: 'discovery',
      groupRef: FINANCE,
      decision: 'reject',
      comment: "The HSM licence is not in this year's budget",
    }),
    approve(60, FIN, FINANCE, "Licence moved to next year's budget line"),
  ],
};

function day(now: number, offset: DayOffset): string {
  return new Date(now + offset.daysFromNow * DAY_MS).toISOString().slice(0, 10);
}

/** A story's steps as the events the writer imports, dated from `now`. */
export function seedEvents(steps: Step[], now: number): ImportedPhaseEvent[] {
  return steps.map(({ daysAgo, by, reason, data }) => {
    const occurredAt = new Date(now - daysAgo * DAY_MS);
    let imported: ImportedPhaseEventData;
    if (
      data.type === 'target-set' &&
      data.date &&
      typeof data.date === 'object'
    ) {
      imported = { ...data, date: day(now, data.date) };
    } else if (
      data.type === 'cohort-added' &&
      typeof data.targetDate === 'object'
    ) {
      imported = { ...data, targetDate: day(now, data.targetDate) };
    } else if (data.type === 'criterion-set' && 'expiresIn' in data) {
      const { expiresIn, ...rest } = data;
      imported = {
        ...rest,
        waiverExpiresAt: new Date(occurredAt.getTime() + expiresIn * DAY_MS),
      };
    } else {
      imported = data as ImportedPhaseEventData;
    }
    return {
      occurredAt,
      actorRef: by,
      ...(reason ? { reason } : {}),
      data: imported,
    };
  });
}

/** The demo's initiatives: entity ref → history, dated from `now`. */
export function demoInitiatives(now: number) {
  return Object.entries(STORIES).map(([entityRef, steps]) => ({
    entityRef,
    events: seedEvents(steps, now),
  }));
}

/**
 * Demo only: imports three initiatives' histories, each once, into a
 * database that does not hold them yet. Real installations do not add this module; an adopter's own
 * import (from a spreadsheet or Jira) looks the same.
 */
export const demoPhasesSeedModule = createBackendModule({
  pluginId: 'freeboard',
  moduleId: 'demo-phases-seed',
  register(reg) {
    reg.registerInit({
      deps: {
        phases: freeboardPhasesExtensionPoint,
        logger: coreServices.logger,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ phases, logger, auth, catalog }) {
        phases.addInitiativeTask('demo-seed', async writer => {
          // Each once: an initiative that exists is never touched again.
          const initiatives = [];
          for (const initiative of demoInitiatives(Date.now())) {
            if (!(await writer.hasInitiative(initiative.entityRef))) {
              initiatives.push(initiative);
            }
          }
          if (initiatives.length === 0) return;
          const refs = [
            ...initiatives.map(i => i.entityRef),
            SECURITY,
            DATA,
            FINANCE,
            ...[
              'payments',
              'checkout',
              'identity',
              'mobile-apps',
              'logistics',
            ].map(team),
          ];
          if (!(await waitForCatalog({ catalog, auth, refs }))) {
            logger.warn(
              'The catalog never held the sample entities; not seeding',
            );
            return;
          }
          for (const { entityRef, events } of initiatives) {
            await writer.importInitiative(entityRef, events);
          }
          logger.info('Seeded the demo MVP initiatives', {
            initiatives: initiatives.length,
          });
        });
      },
    });
  },
});
