/**
 * The path of the "Trust credits" entity tab, relative to the entity page.
 * The card's "View history" link points here.
 */
export const TRUST_CREDITS_TAB_PATH = 'trust-credits';

/**
 * The path of the "Phases" entity tab, relative to the entity page. The MVP
 * phase card's "Open phases" link points here.
 */
export const PHASES_TAB_PATH = 'phases';
