import { CursorCodec, isSafeId, isSafeTimeMs } from '../shared/cursors';
import { EntryPosition, LeaderboardPosition } from './store/TrustStore';

/** The largest id of an `integer` column. */
const MAX_INT4 = 2147483647;

/**
 * The trust listings' cursors: sealed positions, bound to the listing they
 * came from (an entity's ledger, a leaderboard order).
 */
export class TrustCursors {
  constructor(private readonly codec: CursorCodec) {}

  sealEntries(entityRef: string, position: EntryPosition): string {
    return this.codec.encode(`trust-entries:${entityRef}`, [
      position.occurredAtMs,
      position.id,
    ]);
  }

  openEntries(entityRef: string, cursor: string): EntryPosition {
    return this.codec.decode(`trust-entries:${entityRef}`, cursor, parts => {
      const [occurredAtMs, id] = parts;
      return parts.length === 2 && isSafeTimeMs(occurredAtMs) && isSafeId(id)
        ? { occurredAtMs, id }
        : undefined;
    });
  }

  sealLeaderboard(order: string, position: LeaderboardPosition): string {
    return this.codec.encode(`trust-leaderboard:${order}`, [
      position.landmarkMs,
      position.storedBalance,
      position.entityId,
    ]);
  }

  openLeaderboard(order: string, cursor: string): LeaderboardPosition {
    return this.codec.decode(`trust-leaderboard:${order}`, cursor, parts => {
      const [landmarkMs, storedBalance, entityId] = parts;
      return parts.length === 3 &&
        isSafeTimeMs(landmarkMs) &&
        typeof storedBalance === 'number' &&
        Number.isFinite(storedBalance) &&
        isSafeId(entityId) &&
        entityId <= MAX_INT4
        ? { landmarkMs, storedBalance, entityId }
        : undefined;
    });
  }
}
