import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/*
 * Cursors are input: a client can edit them. They are sealed with AES-256-GCM
 * under a key that every replica shares (kept in the database), so that a
 * cursor reveals nothing of the row it points at and any edit fails to open.
 * What opens is still checked field by field by the caller's parser.
 */

const SECRET_NAME = 'cursor-key';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The message every unusable cursor gets, whatever was wrong with it. */
export const BAD_CURSOR = 'cursor: is not a cursor this API returned';

export class CursorCodec {
  /** Loads the shared key, creating it on first start (once across replicas). */
  static async create(db: Knex): Promise<CursorCodec> {
    await db('freeboard_secrets')
      .insert({
        name: SECRET_NAME,
        value: randomBytes(32).toString('base64'),
      })
      .onConflict('name')
      .ignore();
    const row = await db('freeboard_secrets')
      .where({ name: SECRET_NAME })
      .first();
    return new CursorCodec(Buffer.from(row.value, 'base64'));
  }

  private constructor(private readonly key: Buffer) {}

  /**
   * Seals `parts` into a cursor. `purpose` is bound into the seal, so a cursor
   * of one listing does not open as another's.
   */
  encode(purpose: string, parts: unknown[]): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(purpose, 'utf8'));
    const body = Buffer.concat([
      cipher.update(JSON.stringify(parts), 'utf8'),
      cipher.final(),
    ]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /**
   * Opens a cursor sealed for `purpose` and hands its parts to `parse`, which
   * returns the typed value or undefined. Throws a 400 for anything else.
   */
  decode<T>(
    purpose: string,
    cursor: string,
    parse: (parts: unknown[]) => T | undefined,
  ): T {
    let parts: unknown;
    try {
      const raw = Buffer.from(cursor, 'base64url');
      if (raw.length <= IV_BYTES + TAG_BYTES || raw.length > 4096) {
        throw new Error('length');
      }
      const decipher = createDecipheriv(
        'aes-256-gcm',
        this.key,
        raw.subarray(0, IV_BYTES),
      );
      decipher.setAAD(Buffer.from(purpose, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      parts = JSON.parse(
        Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8'),
      );
    } catch {
      throw new InputError(BAD_CURSOR);
    }
    const value = Array.isArray(parts) ? parse(parts) : undefined;
    if (value === undefined) throw new InputError(BAD_CURSOR);
    return value;
  }
}

/** A whole number that is safe to compare and to bind as bigint. */
export function isSafeId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

/** An epoch-milliseconds time that makes a valid Date in any database. */
export function isSafeTimeMs(value: unknown): value is number {
  return (
    Number.isSafeInteger(value) &&
    (value as number) >= 0 &&
    (value as number) <= 253402300799999 // 9999-12-31T23:59:59.999Z
  );
}
