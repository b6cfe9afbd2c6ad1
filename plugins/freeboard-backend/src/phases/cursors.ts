import { CursorCodec, isSafeId } from '../shared/cursors';
import { MAX_VERSION } from './validation';

/**
 * The phases listings' cursors: sealed positions bound to the initiative
 * they page, so a cursor of one history does not page another.
 */
export class PhaseCursors {
  constructor(private readonly codec: CursorCodec) {}

  /** A cursor to the events before `version`. */
  sealHistory(entityRef: string, beforeVersion: number): string {
    return this.codec.encode(`phases-history:${entityRef}`, [beforeVersion]);
  }

  /** The version the next page starts before. */
  openHistory(entityRef: string, cursor: string): number {
    return this.codec.decode(`phases-history:${entityRef}`, cursor, parts => {
      const [beforeVersion] = parts;
      return parts.length === 1 &&
        isSafeId(beforeVersion) &&
        beforeVersion <= MAX_VERSION
        ? beforeVersion
        : undefined;
    });
  }
}
