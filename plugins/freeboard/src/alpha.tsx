import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FreeboardClient, freeboardApiRef } from './shared';
import { isFloatOrSinkAvailable } from './decisions/conditions';
import { TRUST_CREDITS_TAB_PATH } from './routes';

/**
 * The kinds that carry trust-credit ledgers: platform capabilities (as
 * components, APIs or systems) and the teams (groups) behind them. Kinds
 * match case-insensitively.
 */
const TRUST_CREDIT_KINDS = {
  kind: { $in: ['component', 'api', 'system', 'group'] },
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
 * The Freeboard plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'freeboard',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    freeboardApi,
    floatOrSinkEntityCard,
    trustCreditsEntityCard,
    trustCreditsEntityContent,
  ],
});
