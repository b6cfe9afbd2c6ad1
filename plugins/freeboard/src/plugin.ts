import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { rootRouteRef } from './routes';
import { FreeboardClient, freeboardApiRef } from './shared';

/**
 * The Freeboard plugin for the legacy frontend system.
 *
 * @public
 */
export const freeboardPlugin = createPlugin({
  id: 'freeboard',
  apis: [
    createApiFactory({
      api: freeboardApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new FreeboardClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/**
 * The portfolio page, "How is our platform doing as a product?", for
 * everyone: every platform capability the user can see with its trust
 * balance, MVP phase and float-or-sink decision, filterable, sortable and
 * exportable as CSV; the thinnest-viable-platform meter; overdue reviews,
 * overdrawn teams, phases at a glance and the teams' rollups. Mount it at
 * `/freeboard`, e.g. `<Route path="/freeboard" element={<FreeboardPortfolioPage />} />`,
 * and link to it from the sidebar.
 *
 * @public
 */
export const FreeboardPortfolioPage = freeboardPlugin.provide(
  createRoutableExtension({
    name: 'FreeboardPortfolioPage',
    component: () => import('./portfolio').then(m => m.PortfolioPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Shows a platform capability's float-or-sink decision from its annotations.
 *
 * @public
 */
export const EntityFloatOrSinkCard = freeboardPlugin.provide(
  createComponentExtension({
    name: 'EntityFloatOrSinkCard',
    component: {
      lazy: () =>
        import('./decisions/FloatOrSinkCard').then(m => m.FloatOrSinkCard),
    },
  }),
);

/**
 * Entity card: the entity's trust-credit balance and level, its 90-day trend,
 * the teams that paid the most, the latest entries, and "This helped" /
 * "This hurt" pulses. People allowed to record also get the Record and
 * Pre-flight dialogs. Its "View history" link points at the entity's
 * `trust-credits` tab, where {@link EntityTrustCreditsContent} belongs.
 *
 * @public
 */
export const EntityTrustCreditsCard = freeboardPlugin.provide(
  createComponentExtension({
    name: 'EntityTrustCreditsCard',
    component: {
      lazy: () =>
        import('./trust/TrustCreditsCard').then(m => m.TrustCreditsCard),
    },
  }),
);

/**
 * Entity tab: the trust-credit trend (30, 90 or 365 days) and the whole
 * ledger, filterable, with reverts for people allowed to record. Mount it at
 * `/trust-credits` of the entity page, e.g.
 * `<EntityLayout.Route path="/trust-credits" title="Trust credits">`.
 *
 * @public
 */
export const EntityTrustCreditsContent = freeboardPlugin.provide(
  // A plain component: the entity layout's route gives it its path, and the
  // card links to it relative to the entity page.
  createComponentExtension({
    name: 'EntityTrustCreditsContent',
    component: {
      lazy: () =>
        import('./trust/TrustHistoryContent').then(m => m.TrustHistoryContent),
    },
  }),
);

/**
 * Entity card "MVP phase": the entity's MVP initiative at a glance, for
 * everyone: a stepper with the current phase and iteration, exit-criteria
 * progress, pending sign-offs, the pioneer team, adoption by cohort and the
 * target date. "Open phases" links to the entity's `phases` tab, where
 * {@link EntityPhasesContent} belongs. Before the initiative starts, it
 * explains MVP phases, with Start for those allowed
 * `freeboard.phases.manage`.
 *
 * @public
 */
export const EntityMvpPhaseCard = freeboardPlugin.provide(
  createComponentExtension({
    name: 'EntityMvpPhaseCard',
    component: {
      lazy: () => import('./phases/MvpPhaseCard').then(m => m.MvpPhaseCard),
    },
  }),
);

/**
 * Entity tab "Phases": the platform leads' workspace for the MVP initiative:
 * advance and step back, exit criteria (tick, waive, own ones), sign-offs,
 * pioneer team and cohorts with measured adoption, the history, an "as of"
 * view of the past and the steering report. Read-only for everyone without
 * `freeboard.phases.manage`. Mount it at `/phases` of the entity page, e.g.
 * `<EntityLayout.Route path="/phases" title="Phases">`.
 *
 * @public
 */
export const EntityPhasesContent = freeboardPlugin.provide(
  // A plain component, like the trust tab: the entity layout's route gives
  // it its path, and the card links to it relative to the entity page.
  createComponentExtension({
    name: 'EntityPhasesContent',
    component: {
      lazy: () => import('./phases/PhasesContent').then(m => m.PhasesContent),
    },
  }),
);
