import { TrustLedgerEntry } from '@freeboard/backstage-plugin-common';
import {
  TrustLedgerWrite,
  TrustLedgerWriter,
} from '@freeboard/backstage-plugin-node';
import { z } from 'zod';
import { entityRef, parse } from '../shared/validation';
import { TrustReadStore } from './store/TrustStore';
import { TrustWriteService } from './TrustWriteService';
import { recordEntrySchema } from './validation';

const moduleRefs = z.object({ entityRef, recordedBy: entityRef });

/**
 * The writer handed to backend modules: the same validation, visibility
 * checks and store call as an HTTP write, with the module's id as the
 * entries' source. Modules are trusted code, so no permission is asked.
 */
export function createModuleWriter(options: {
  reads: TrustReadStore;
  writes: TrustWriteService;
  config: Parameters<typeof recordEntrySchema>[0];
  now: () => Date;
  moduleId: string;
}): TrustLedgerWriter {
  const { reads, writes, config, now, moduleId } = options;
  return {
    isEmpty: () => reads.isEmpty(),
    async record(write: TrustLedgerWrite): Promise<TrustLedgerEntry> {
      const refs = parse(moduleRefs, {
        entityRef: write.entityRef,
        recordedBy: write.recordedBy,
      });
      const input = parse(recordEntrySchema(config, now()), {
        direction: write.direction,
        category: write.category,
        amount: write.amount,
        title: write.title,
        description: write.description,
        consumerRef: write.consumerRef,
        evidenceUrl: write.evidenceUrl,
        occurredAt: write.occurredAt?.toISOString(),
      });
      const { entry } = await writes.recordEntry(refs.entityRef, input, {
        type: 'module',
        moduleId,
        recordedBy: refs.recordedBy,
      });
      return entry;
    },
  };
}
