import {
  createComponentExtension,
  createPlugin,
} from '@backstage/core-plugin-api';

/**
 * The Freeboard plugin for the legacy frontend system.
 *
 * @public
 */
export const freeboardPlugin = createPlugin({
  id: 'freeboard',
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
        import('./components/FloatOrSinkCard').then(m => m.FloatOrSinkCard),
    },
  }),
);
