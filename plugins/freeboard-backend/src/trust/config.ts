import { Config } from '@backstage/config';
import {
  TRUST_PULSE_CATEGORIES,
  TrustCategory,
  TrustConfig,
  TrustLevelThresholds,
} from '@freeboard/backstage-plugin-common';

/** The categories a ledger starts with; `freeboard.trust.categories` replaces them. */
export const DEFAULT_TRUST_CATEGORIES: TrustCategory[] = [
  {
    id: 'pain-point-removed',
    direction: 'earn',
    title: 'Removed a pain point',
    defaultAmount: 10,
  },
  {
    id: 'self-service',
    direction: 'earn',
    title: 'Shipped a self-service capability',
    defaultAmount: 15,
  },
  {
    id: 'fast-support',
    direction: 'earn',
    title: 'Answered support fast',
    defaultAmount: 3,
  },
  {
    id: 'docs-improved',
    direction: 'earn',
    title: 'Improved documentation',
    defaultAmount: 5,
  },
  {
    id: 'feedback-acted-on',
    direction: 'earn',
    title: 'Acted on feedback',
    defaultAmount: 8,
  },
  {
    id: 'demo-delivered',
    direction: 'earn',
    title: 'Delivered a demo',
    defaultAmount: 4,
  },
  {
    id: 'migration',
    direction: 'spend',
    title: 'Required a migration',
    defaultAmount: 20,
  },
  {
    id: 'breaking-change',
    direction: 'spend',
    title: 'Shipped a breaking change',
    defaultAmount: 15,
  },
  {
    id: 'mandate',
    direction: 'spend',
    title: 'Imposed a mandate',
    defaultAmount: 10,
  },
  {
    id: 'outage',
    direction: 'spend',
    title: 'Caused an outage',
    defaultAmount: 12,
  },
  {
    id: 'deprecation',
    direction: 'spend',
    title: 'Deprecated a capability',
    defaultAmount: 8,
  },
  {
    id: 'pulse-up',
    direction: 'earn',
    title: 'Developer pulse: this helped',
    defaultAmount: 1,
  },
  {
    id: 'pulse-down',
    direction: 'spend',
    title: 'Developer pulse: this hurt',
    defaultAmount: 1,
  },
];

const DEFAULTS = {
  halfLifeDays: 180,
  maxAmount: 100,
  levels: { healthy: 10, strong: 50 },
  orphanRetentionDays: 90,
  maxDeleteShare: 0.1,
};

/**
 * Bounds that keep every running sum finite: between two hourly rebases a
 * weight grows by at most 2^(16 + 1/24h), and amounts up to a million times
 * that stay far inside a double even after years without maintenance.
 */
export const HALF_LIFE_DAYS_RANGE = { min: 7, max: 3650 };
export const MAX_AMOUNT_LIMIT = 1_000_000;

/** When and how much the retention sweep may delete. */
export interface TrustRetentionConfig {
  orphanRetentionDays: number;
  maxDeleteShare: number;
}

/** Reads `freeboard.trust.orphanRetentionDays` and `.retention`. */
export function readTrustRetentionConfig(config: Config): TrustRetentionConfig {
  const trust = config.getOptionalConfig('freeboard.trust');
  const orphanRetentionDays =
    trust?.getOptionalNumber('orphanRetentionDays') ??
    DEFAULTS.orphanRetentionDays;
  const maxDeleteShare =
    trust?.getOptionalNumber('retention.maxDeleteShare') ??
    DEFAULTS.maxDeleteShare;
  if (!(Number.isFinite(orphanRetentionDays) && orphanRetentionDays >= 1)) {
    throw new Error('freeboard.trust.orphanRetentionDays must be at least 1');
  }
  if (!(maxDeleteShare >= 0 && maxDeleteShare <= 1)) {
    throw new Error(
      'freeboard.trust.retention.maxDeleteShare must be between 0 and 1',
    );
  }
  return { orphanRetentionDays, maxDeleteShare };
}

/**
 * Reads `freeboard.trust` from the app config, with the suite's defaults.
 * Bad values stop the backend at start-up with a message naming the key.
 */
export function readTrustConfig(
  config: Config,
  extraCategories: TrustCategory[] = [],
): TrustConfig {
  const trust = config.getOptionalConfig('freeboard.trust');
  const halfLifeDays =
    trust?.getOptionalNumber('halfLifeDays') ?? DEFAULTS.halfLifeDays;
  const maxAmount = trust?.getOptionalNumber('maxAmount') ?? DEFAULTS.maxAmount;
  const levels: TrustLevelThresholds = {
    healthy:
      trust?.getOptionalNumber('levels.healthy') ?? DEFAULTS.levels.healthy,
    strong: trust?.getOptionalNumber('levels.strong') ?? DEFAULTS.levels.strong,
  };
  const { min, max } = HALF_LIFE_DAYS_RANGE;
  if (!(halfLifeDays >= min && halfLifeDays <= max)) {
    throw new Error(
      `freeboard.trust.halfLifeDays must be between ${min} and ${max} days`,
    );
  }
  if (!(maxAmount >= 1 && maxAmount <= MAX_AMOUNT_LIMIT)) {
    throw new Error(
      `freeboard.trust.maxAmount must be between 1 and ${MAX_AMOUNT_LIMIT}`,
    );
  }
  if (
    !(
      Number.isFinite(levels.strong) &&
      levels.healthy >= 0 &&
      levels.strong > levels.healthy
    )
  ) {
    throw new Error(
      'freeboard.trust.levels must satisfy 0 <= healthy < strong',
    );
  }

  const configured = trust
    ?.getOptionalConfigArray('categories')
    ?.map((c, index): TrustCategory => {
      const direction = c.getString('direction');
      if (direction !== 'earn' && direction !== 'spend') {
        throw new Error(
          `freeboard.trust.categories[${index}].direction must be "earn" or "spend"`,
        );
      }
      return {
        id: c.getString('id'),
        direction,
        title: c.getString('title'),
        defaultAmount: c.getOptionalNumber('defaultAmount') ?? 1,
      };
    });

  const categories = [...(configured ?? DEFAULT_TRUST_CATEGORIES)];
  for (const pulse of DEFAULT_TRUST_CATEGORIES.filter(c =>
    Object.values<string>(TRUST_PULSE_CATEGORIES).includes(c.id),
  )) {
    if (!categories.some(c => c.id === pulse.id)) categories.push(pulse);
  }
  for (const extra of extraCategories) {
    if (categories.some(c => c.id === extra.id)) {
      throw new Error(`Trust category "${extra.id}" is defined twice`);
    }
    categories.push(extra);
  }
  for (const c of categories) {
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(c.id)) {
      throw new Error(
        `Trust category id "${c.id}" must be lowercase letters, digits and dashes (at most 64)`,
      );
    }
    if (!(c.defaultAmount > 0 && c.defaultAmount <= maxAmount)) {
      throw new Error(
        `Trust category "${c.id}" has a default amount outside (0, ${maxAmount}]`,
      );
    }
  }
  return { halfLifeDays, maxAmount, levels, categories };
}
