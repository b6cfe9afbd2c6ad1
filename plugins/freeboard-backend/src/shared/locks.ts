import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';

/*
 * A lease in `freeboard_locks` lets one replica at a time run a piece of work
 * that must not run twice at once (a module's ledger task at start-up). A
 * lease expires, so a replica that dies holding it blocks the others only
 * until then.
 */

export interface LeaseOptions {
  /** How long the lease holds if its holder dies. */
  ttlMs: number;
  /** How long to wait for another holder before giving up. */
  waitMs: number;
  /** Between two attempts. */
  pollMs?: number;
}

async function tryAcquire(
  db: Knex,
  name: string,
  holder: string,
  ttlMs: number,
): Promise<boolean> {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlMs);
  // Take a free name, or one whose lease has run out, in one statement.
  const taken = await db('freeboard_locks')
    .insert({ name, holder, expires_at: expiresAt })
    .onConflict('name')
    .merge({ holder, expires_at: expiresAt })
    .where('freeboard_locks.expires_at', '<', now)
    .returning('holder');
  return taken.length > 0 && taken[0].holder === holder;
}

/**
 * Runs `work` while holding the lease `name`, waiting for another replica
 * that holds it. Throws when the lease cannot be had within `waitMs`.
 */
export async function withLease<T>(
  db: Knex,
  name: string,
  options: LeaseOptions,
  work: () => Promise<T>,
): Promise<T> {
  const holder = randomUUID();
  const deadline = Date.now() + options.waitMs;
  while (!(await tryAcquire(db, name, holder, options.ttlMs))) {
    if (Date.now() > deadline) {
      throw new Error(
        `Gave up waiting ${options.waitMs} ms for the lock "${name}"`,
      );
    }
    await new Promise(r => setTimeout(r, options.pollMs ?? 250));
  }
  try {
    return await work();
  } finally {
    await db('freeboard_locks').where({ name, holder }).delete();
  }
}
