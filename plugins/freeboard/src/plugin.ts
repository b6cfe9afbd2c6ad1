import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
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
});

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
