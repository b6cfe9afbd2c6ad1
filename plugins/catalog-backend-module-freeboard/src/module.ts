import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { FloatOrSinkProcessor } from './FloatOrSinkProcessor';

/**
 * Adds the Freeboard float-or-sink processor to the catalog.
 *
 * @public
 */
export const catalogModuleFreeboard = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'freeboard',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ catalog }) {
        catalog.addProcessor(new FloatOrSinkProcessor());
      },
    });
  },
});
