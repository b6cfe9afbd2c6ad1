import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { parseFloatOrSinkAnnotations } from '@freeboard/backstage-plugin-common';

/** From a floating capability to the entity that replaces it. */
export const RELATION_REPLACED_BY = 'freeboard.dev/replacedBy';
/** From the replacing entity back to the capability it replaces. */
export const RELATION_REPLACES = 'freeboard.dev/replaces';

// A vendor product name ("Amazon EKS") is free text; an entity ref has a kind
// and no spaces ("component:default/managed-registry").
const ENTITY_REF_SHAPE = /^[a-z0-9-]+:([a-z0-9._-]+\/)?[a-z0-9._-]+$/i;

/**
 * Validates `freeboard.dev/` float-or-sink annotations, reporting bad values
 * on the entity, and emits `replaced-by` relations in both directions.
 */
export class FloatOrSinkProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'FreeboardFloatOrSinkProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const { decision, problems } = parseFloatOrSinkAnnotations(
      entity.metadata.annotations,
    );
    for (const problem of problems) {
      emit(processingResult.inputError(location, problem));
    }
    const replacedBy = decision?.replacedBy;
    if (replacedBy && ENTITY_REF_SHAPE.test(replacedBy)) {
      const self = getCompoundEntityRef(entity);
      const target = parseEntityRef(replacedBy, {
        defaultNamespace: self.namespace,
      });
      emit(
        processingResult.relation({
          source: self,
          type: RELATION_REPLACED_BY,
          target,
        }),
      );
      emit(
        processingResult.relation({
          source: target,
          type: RELATION_REPLACES,
          target: self,
        }),
      );
    }
    return entity;
  }
}
