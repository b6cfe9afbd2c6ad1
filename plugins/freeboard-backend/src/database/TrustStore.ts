/**
 * Storage of the trust-credit ledger and its running aggregates.
 */
export interface TrustStore {
  /** Resolves when the database answers. */
  ping(): Promise<void>;
}
