import { Config } from '@backstage/config';
import {
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

/** Pulses are ledger entries in these categories; they are always present. */
export const PULSE_CATEGORY = { up: 'pulse-up', down: 'pulse-down' } as const;

const DEFAULTS = {
  halfLifeDays: 180,
  maxAmount: 100,
  levels: { healthy: 10, strong: 50 },
};

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
  if (!(halfLifeDays > 0)) {
    throw new Error('freeboard.trust.halfLifeDays must be a positive number');
  }
  if (!(maxAmount > 0)) {
    throw new Error('freeboard.trust.maxAmount must be a positive number');
  }
  if (!(levels.healthy >= 0 && levels.strong > levels.healthy)) {
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
    Object.values(PULSE_CATEGORY).includes(c.id as any),
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
