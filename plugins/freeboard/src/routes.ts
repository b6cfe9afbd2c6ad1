import { createRouteRef } from '@backstage/core-plugin-api';

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

/**
 * The portfolio page's route: the plugin's root, mounted at `/freeboard` in
 * the new frontend system (and wherever a legacy app mounts
 * `FreeboardPortfolioPage`). A legacy route ref, which both frontend
 * systems accept.
 */
export const rootRouteRef = createRouteRef({ id: 'freeboard' });

/** Where the portfolio page sits in the new frontend system. */
export const PORTFOLIO_PATH = '/freeboard';
