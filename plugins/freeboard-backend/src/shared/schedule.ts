import {
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { ConfigReader, JsonObject } from '@backstage/config';

/**
 * A task schedule read from `key` (frequency, timeout, initialDelay as in any
 * Backstage task schedule) over `defaults`. The scope is always global:
 * Freeboard's tasks append history, and two replicas running one would
 * append it twice. A schedule that cannot be read stops start-up.
 */
export function readGlobalSchedule(
  config: RootConfigService,
  key: string,
  defaults: JsonObject,
): SchedulerServiceTaskScheduleDefinition {
  const own = config.getOptionalConfig(key);
  const merged = new ConfigReader(
    { ...defaults, ...(own?.get<JsonObject>() ?? {}) },
    key,
  );
  return {
    ...readSchedulerServiceTaskScheduleDefinitionFromConfig(merged),
    scope: 'global',
  };
}
