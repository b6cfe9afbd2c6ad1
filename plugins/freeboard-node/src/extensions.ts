import { createExtensionPoint } from '@backstage/backend-plugin-api';
import {
  TrustCategory,
  TrustDirection,
  TrustLedgerEntry,
} from '@freeboard/backstage-plugin-common';

/**
 * An entry that a backend module writes to a trust ledger. Refs must be full
 * entity refs (`kind:namespace/name`).
 *
 * @public
 */
export interface TrustLedgerWrite {
  entityRef: string;
  direction: TrustDirection;
  category: string;
  amount: number;
  title: string;
  description?: string;
  consumerRef?: string;
  evidenceUrl?: string;
  occurredAt?: Date;
  /** The user or service the entry is recorded on behalf of. */
  recordedBy: string;
}

/**
 * What a backend module gets to write trust-credit entries with. Entries it
 * writes carry the module's id as their source.
 *
 * @public
 */
export interface TrustLedgerWriter {
  /** Whether no entry has been recorded yet, on any entity. */
  isEmpty(): Promise<boolean>;
  /**
   * Appends an entry to the ledger, validated and checked like an API
   * request: an unknown entity or consumer is refused with an InputError.
   */
  record(entry: TrustLedgerWrite): Promise<TrustLedgerEntry>;
}

/**
 * Lets backend modules extend the Freeboard backend's trust credits.
 *
 * @public
 */
export interface FreeboardTrustExtensionPoint {
  /**
   * Adds ledger categories beyond the configured ones, for entries that a
   * module records itself. An id that is already known stops the start-up.
   */
  addCategories(...categories: TrustCategory[]): void;

  /**
   * Runs `task` once the ledger is ready, with a writer whose entries carry
   * `moduleId` as their source (see `isValidModuleId`; another id stops the
   * start-up). Start-up waits for it, so keep it short. With several backend
   * replicas, the replicas run a module's task one at a time, never together,
   * so a task that checks `isEmpty()` first writes its entries once.
   */
  addLedgerTask(
    moduleId: string,
    task: (writer: TrustLedgerWriter) => Promise<void>,
  ): void;
}

/**
 * The extension point of the Freeboard backend's trust credits.
 *
 * @public
 */
export const freeboardTrustExtensionPoint =
  createExtensionPoint<FreeboardTrustExtensionPoint>({
    id: 'freeboard.trust',
  });
