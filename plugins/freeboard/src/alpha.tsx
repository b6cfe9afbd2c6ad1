import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import AssessmentIcon from '@material-ui/icons/Assessment';
import { FreeboardClient, freeboardApiRef } from './shared';
import { isFloatOrSinkAvailable } from './decisions/conditions';
import {
  PHASES_TAB_PATH,
  PORTFOLIO_PATH,
  rootRouteRef,
  TRUST_CREDITS_TAB_PATH,
} from './routes';

/**
 * The kinds that carry trust-credit ledgers: platform capabilities (as
 * components, APIs or systems) and the teams (groups) behind them. Kinds
 * match case-insensitively.
 */
const TRUST_CREDIT_KINDS = {
  kind: { $in: ['component', 'api', 'system', 'group'] },
};

/**
 * The kinds that run as MVP initiatives: platform capabilities, as
 * components, APIs or systems. Kinds match case-insensitively.
 */
const INITIATIVE_KINDS = {
  kind: { $in: ['component', 'api', 'system'] },
};

/**
 * The Freeboard API, backed by {@link FreeboardClient}.
 *
 * @alpha
 */
export const freeboardApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: freeboardApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new FreeboardClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * Entity card: a platform capability's float-or-sink decision.
 *
 * @alpha
 */
export const floatOrSinkEntityCard = EntityCardBlueprint.make({
  name: 'float-or-sink',
  params: {
    // A decision about the entity, like its metadata: beside "About".
    type: 'info',
    filter: isFloatOrSinkAvailable,
    loader: () =>
      import('./decisions/FloatOrSinkCard').then(m => <m.FloatOrSinkCard />),
  },
});

/**
 * Entity card: trust-credit balance, level, trend, consumers, latest entries
 * and pulses, with the Record and Pre-flight dialogs for those allowed.
 *
 * @alpha
 */
export const trustCreditsEntityCard = EntityCardBlueprint.make({
  name: 'trust-credits',
  params: {
    filter: TRUST_CREDIT_KINDS,
    loader: () =>
      import('./trust/TrustCreditsCard').then(m => <m.TrustCreditsCard />),
  },
});

/**
 * Entity tab "Trust credits": the trend and the whole ledger.
 *
 * @alpha
 */
export const trustCreditsEntityContent = EntityContentBlueprint.make({
  name: 'trust-credits',
  params: {
    path: TRUST_CREDITS_TAB_PATH,
    title: 'Trust credits',
    filter: TRUST_CREDIT_KINDS,
    loader: () =>
      import('./trust/TrustHistoryContent').then(m => (
        <m.TrustHistoryContent />
      )),
  },
});

/**
 * Entity card "MVP phase": the initiative's phase, iteration, exit-criteria
 * progress, pending sign-offs, pioneer team, adoption and target date, with
 * a link to the Phases tab; Start for those allowed, before it starts.
 *
 * @alpha
 */
export const mvpPhaseEntityCard = EntityCardBlueprint.make({
  name: 'mvp-phase',
  params: {
    filter: INITIATIVE_KINDS,
    loader: () => import('./phases/MvpPhaseCard').then(m => <m.MvpPhaseCard />),
  },
});

/**
 * Entity tab "Phases": the leads' workspace for the MVP initiative,
 * read-only for everyone who may not manage it.
 *
 * @alpha
 */
export const phasesEntityContent = EntityContentBlueprint.make({
  name: 'phases',
  params: {
    path: PHASES_TAB_PATH,
    title: 'Phases',
    filter: INITIATIVE_KINDS,
    loader: () =>
      import('./phases/PhasesContent').then(m => <m.PhasesContent />),
  },
});

/**
 * The portfolio page at `/freeboard`, "How is our platform doing as a
 * product?": the capabilities table, the thickness meter and the panels.
 * Its title and icon make the app's sidebar list it as "Freeboard" (nav
 * items come from pages since `NavItemBlueprint` was removed).
 *
 * @alpha
 */
export const portfolioPage = PageBlueprint.make({
  params: {
    path: PORTFOLIO_PATH,
    routeRef: rootRouteRef,
    title: 'Freeboard',
    icon: <AssessmentIcon fontSize="inherit" />,
    loader: () => import('./portfolio').then(m => <m.PortfolioPageContent />),
  },
});

/**
 * The Freeboard plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'freeboard',
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [
    freeboardApi,
    portfolioPage,
    floatOrSinkEntityCard,
    trustCreditsEntityCard,
    trustCreditsEntityContent,
    mvpPhaseEntityCard,
    phasesEntityContent,
  ],
});
