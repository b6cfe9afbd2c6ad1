import { InputError } from '@backstage/errors';
import { TrustLedgerEntry } from '@freeboard/backstage-plugin-common';
import {
  TrustLedgerWrite,
  TrustLedgerWriter,
} from '@freeboard/backstage-plugin-node';
import { TrustStore } from '../database/TrustStore';
import { normalizeRef, parse, recordEntrySchema } from '../service/validation';
import { TrustService } from './TrustService';

/**
 * The writer handed to backend modules: the same validation as the HTTP API,
 * with the module's id as the entries' source.
 */
export function createLedgerWriter(options: {
  store: TrustStore;
  service: TrustService;
  source: string;
}): TrustLedgerWriter {
  const { store, service, source } = options;
  return {
    isEmpty: () => store.isEmpty(),
    async record(write: TrustLedgerWrite): Promise<TrustLedgerEntry> {
      const now = service.currentTime();
      // Modules may write history, so only the future bound applies.
      const body = parse(recordEntrySchema(service.config, now), {
        direction: write.direction,
        category: write.category,
        amount: write.amount,
        title: write.title,
        description: write.description,
        consumerRef: write.consumerRef,
        evidenceUrl: write.evidenceUrl,
        occurredAt: write.occurredAt?.toISOString(),
      });
      let entityRef: string;
      let recordedBy: string;
      try {
        entityRef = normalizeRef(write.entityRef);
        recordedBy = normalizeRef(write.recordedBy);
      } catch (error) {
        throw new InputError(`entityRef or recordedBy: ${error}`);
      }
      const { entry } = await store.appendEntry({
        ...body,
        entityRef,
        occurredAt: body.occurredAt ?? now,
        recordedBy,
        source,
      });
      return entry;
    },
  };
}
