/**
 * The path of the "Trust credits" entity tab, relative to the entity page.
 * The card's "View history" link points here.
 */
export const TRUST_CREDITS_TAB_PATH = 'trust-credits';
