import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /**
   * Configuration of the Freeboard suite. Its task schedules are Backstage
   * task schedules (`frequency`, `timeout`, `initialDelay`); Freeboard runs
   * every one of them once across replicas, whatever `scope` says.
   */
  freeboard?: {
    /**
     * Members of this group (an entity ref such as `group:default/platform-leads`)
     * are platform leads. The demo's permission policy lets them record trust
     * credits on any entity; adopters can do the same in their own policy.
     */
    platformLeadsGroup?: string;

    /** Trust credits. */
    trust?: {
      /**
       * Days after which an entry counts half: 7 to 3650. Default 180. A
       * change rebuilds the running sums once, in the database, within a
       * minute of the first replica starting with it.
       */
      halfLifeDays?: number;
      /** The largest amount one entry may carry: 1 to 1,000,000. Default 100. */
      maxAmount?: number;
      /** Balances from `healthy` are healthy, from `strong` strong. Defaults 10 and 50. */
      levels?: {
        healthy?: number;
        strong?: number;
      };
      /**
       * Days after which the ledger of an entity that has disappeared from
       * the catalog is deleted. Default 90.
       */
      orphanRetentionDays?: number;
      /** Safety limits of the daily retention sweep. */
      retention?: {
        /**
         * The largest share (0 to 1) of all ledgers one sweep may delete.
         * A sweep that would delete more deletes nothing and logs a warning,
         * so a catalog location removed by mistake cannot wipe ledgers.
         * Default 0.1.
         */
        maxDeleteShare?: number;
      };
      /**
       * The upkeep of the trust sums: applies a changed half-life, moves the
       * decay landmark, prunes old daily history and expired idempotency
       * keys. It runs once across replicas. Default: every hour, 30 seconds
       * after start-up, with a 10-minute timeout.
       */
      maintenance?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * The sweep that deletes the ledgers of entities gone from the catalog
       * (after `orphanRetentionDays`, within `retention.maxDeleteShare`). It
       * runs once across replicas. Default: every 24 hours, 5 minutes after
       * start-up, with a 30-minute timeout.
       */
      retentionSweep?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Ledger categories; replaces the defaults. The pulse categories
       * `pulse-up` and `pulse-down` are always present.
       */
      categories?: Array<{
        id: string;
        direction: 'earn' | 'spend';
        title: string;
        defaultAmount?: number;
      }>;
    };

    /** MVP phases. */
    phases?: {
      /**
       * Exit criteria every initiative starts with, per phase; a phase left
       * out keeps the suite's defaults (drawn from the MVP seed). Ids are
       * unique within their phase (1 to 64 lower-case letters, digits and
       * dashes); a criterion's id becomes `<phase>.<id>`. A criterion with a
       * `measure` is computed and cannot be ticked by hand. Changes apply to
       * initiatives started afterwards: each copies the templates at start.
       */
      templates?: {
        [phase in
          | 'discovery'
          | 'integration'
          | 'deployment'
          | 'adoption']?: Array<{
          id: string;
          title: string;
          description?: string;
          /**
           * `pioneer-selected`: the initiative has a pioneer team.
           * `pioneer-adopted`: the pioneer team has adopted the entity.
           * `cohort-adopted`: at least `percent` % (default 80) of the teams
           * of cohort number `cohort` (default 1) have adopted it.
           * `trust-level`: the entity's trust level is at least `level`.
           * `float-or-sink-decided`: the entity carries a valid decision.
           */
          measure?: {
            type:
              | 'pioneer-selected'
              | 'pioneer-adopted'
              | 'cohort-adopted'
              | 'trust-level'
              | 'float-or-sink-decided';
            cohort?: number;
            percent?: number;
            level?: 'overdrawn' | 'thin' | 'healthy' | 'strong';
          };
        }>;
      };
      /**
       * Groups (entity refs such as `group:default/security`) whose sign-off
       * every initiative needs before leaving a phase, per phase. Setting it
       * replaces the defaults (Discovery: `group:default/security`,
       * `group:default/data-governance` and `group:default/finance`); a phase
       * left out then needs none. Only members of a group may decide its
       * sign-off. Applies to initiatives started afterwards.
       */
      signoffs?: {
        [phase in
          | 'discovery'
          | 'integration'
          | 'deployment'
          | 'adoption']?: string[];
      };
      /** Days a waiver lasts when no expiry is given: 1 to `waiverMaxDays`. Default 90. */
      waiverDefaultDays?: number;
      /** The longest a waiver may last, in days: 1 to 3650. Default 365. */
      waiverMaxDays?: number;
      /**
       * The adoption snapshot that dates each team's adoption and draws the
       * adoption curve. It runs once across replicas. Default: every 24
       * hours, a minute after start-up, with a 10-minute timeout.
       */
      adoptionSnapshot?: SchedulerServiceTaskScheduleDefinitionConfig;
    };

    /** Float-or-sink decisions. */
    decisions?: {
      /**
       * The recorder that learns changes of the decision annotations from
       * the catalog and appends them to each entity's history. It runs once
       * across replicas. Default: every 10 minutes, with a 10-minute timeout.
       */
      history?: SchedulerServiceTaskScheduleDefinitionConfig;
    };

    /** The portfolio page: which entities are platform capabilities, and how often they are read. */
    portfolio?: {
      /**
       * A catalog filter (as in `queryEntities`): an object, or a list of
       * objects (a list is an OR), of `key: value` or `key: [values]`. When
       * set, the capabilities are the entities matching it; by default, every
       * entity carrying a decision annotation, a trust ledger or an MVP
       * initiative.
       */
      filter?:
        | Record<string, string | string[]>
        | Array<Record<string, string | string[]>>;
      /**
       * The task that copies the capabilities, their consumer teams and the group hierarchy from the catalog. It runs once across replicas. Default: every 10 minutes, with a 10-minute timeout.
       */
      refresh?: SchedulerServiceTaskScheduleDefinitionConfig;
    };

    /** The thinnest-viable-platform meter. */
    thickness?: {
      /**
       * The daily snapshot of each capability's thickness category and weight, from which the trend is read. It runs once across replicas. Default: every 24 hours, first 1 minute after start-up.
       */
      snapshot?: SchedulerServiceTaskScheduleDefinitionConfig;
    };

    /**
     * Notifications through Backstage's notifications backend (which must be
     * installed). Every kind is on by default; set one to `false` to stop it.
     */
    notifications?: {
      /** `false` stops every Freeboard notification. Default `true`. */
      enabled?: boolean;
      /** A sign-off is requested: to the members of the stakeholder group. */
      signoffRequested?: boolean;
      /** A sign-off is given or rejected: to the initiative's owners. */
      signoffDecided?: boolean;
      /** An initiative advances or steps back: to its owners and its pioneer team. */
      phaseChanged?: boolean;
      /** An entity's trust level falls to thin or overdrawn: to its owners. */
      trustLevelFell?: boolean;
      /** A consumer becomes overdrawn on an entity: to the entity's owners and that consumer. */
      consumerOverdrawn?: boolean;
      /** A spend is recorded against a consumer: to that consumer. */
      spendRecorded?: boolean;
      /** A float-or-sink review becomes overdue: to the entity's owners, once. */
      reviewOverdue?: boolean;
      /** A criterion's waiver expires within 7 days: to the initiative's owners, once. */
      waiverExpiring?: boolean;
      /**
       * The task that sends the once-per-event reminders (overdue reviews,
       * expiring waivers). It runs once across replicas. Default: every
       * hour, first 2 minutes after start-up, with a 10-minute timeout.
       */
      reminders?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
