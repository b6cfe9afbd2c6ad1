import { Entity } from '@backstage/catalog-model';
import { FLOAT_OR_SINK_ANNOTATIONS } from '@freeboard/backstage-plugin-common';

/**
 * True when the entity carries a float-or-sink decision annotation; use it
 * with `EntitySwitch` to show `EntityFloatOrSinkCard` only where it applies.
 *
 * @public
 */
export function isFloatOrSinkAvailable(entity: Entity): boolean {
  return Boolean(
    entity.metadata.annotations?.[FLOAT_OR_SINK_ANNOTATIONS.decision],
  );
}
