import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';

/**
 * An action context for `input`, run by `user` (ada by default), with a
 * logger and outputs the test can read back.
 */
type ActionInput = NonNullable<
  Parameters<typeof createMockActionContext>[0]
>['input'];

export function actionContext(
  input: ActionInput,
  options: { isDryRun?: boolean; user?: string; taskId?: string } = {},
) {
  const logger = mockServices.logger.mock();
  const base = createMockActionContext({
    input,
    logger,
    ...(options.taskId ? { task: { id: options.taskId } } : {}),
  });
  const ctx = {
    ...base,
    isDryRun: options.isDryRun,
    getInitiatorCredentials: async () =>
      mockCredentials.user(options.user ?? 'user:default/ada'),
  };
  return {
    ctx,
    outputs: (): Record<string, unknown> =>
      Object.fromEntries((base.output as jest.Mock).mock.calls),
    /** Every message logged, at any level, in order. */
    logged: (): string =>
      [logger.info, logger.warn, logger.error]
        .flatMap(fn => fn.mock.calls.map(call => String(call[0])))
        .join('\n'),
  };
}
