import {
  TRUST_PULSE_CATEGORIES,
  TrustCategory,
  TrustConfig,
  TrustDirection,
} from '@freeboard/backstage-plugin-common';

/**
 * The pulse categories. Pulses are sent with the pulse buttons, so the
 * dialogs leave them out; the ledger still shows them.
 */
const PULSE_CATEGORY_IDS: ReadonlySet<string> = new Set(
  Object.values(TRUST_PULSE_CATEGORIES),
);

/** Categories a person records by hand, in one direction or both. */
export function recordableCategories(
  config: TrustConfig,
  direction?: TrustDirection,
): TrustCategory[] {
  return config.categories.filter(
    c =>
      !PULSE_CATEGORY_IDS.has(c.id) &&
      (direction === undefined || c.direction === direction),
  );
}

/** The category's title, or its id when the config no longer has it. */
export function categoryTitle(config: TrustConfig, id: string): string {
  return config.categories.find(c => c.id === id)?.title ?? id;
}
