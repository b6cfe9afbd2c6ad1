import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isFloatOrSinkAvailable } from './conditions';

/**
 * Entity card: a platform capability's float-or-sink decision.
 *
 * @alpha
 */
export const floatOrSinkEntityCard = EntityCardBlueprint.make({
  name: 'float-or-sink',
  params: {
    filter: isFloatOrSinkAvailable,
    loader: () =>
      import('./components/FloatOrSinkCard').then(m => <m.FloatOrSinkCard />),
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
  extensions: [floatOrSinkEntityCard],
});
