/**
 * The lock of a tus upload in progress, shared by every server on one PostgreSQL. @tus/server locks an upload for
 * each request that reads or writes it (HEAD, PATCH, DELETE); its default MemoryLocker only knows the requests of
 * its own process, so two servers behind a load balancer could append to the same upload at once. This locker
 * takes, in addition to the in-process lock, a PostgreSQL session advisory lock named by the upload id, so a
 * request on another server waits for it (or fails with tus' lock timeout), exactly as one on the same server does.
 */
import { createHash } from 'node:crypto';
import { ERRORS, MemoryLocker, type Lock, type Locker, type RequestRelease } from '@tus/server';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';

/**
 * The first key of the two-key advisory locks (`pg_advisory_lock(int4, int4)`): uploads in progress. A distinct
 * lock space from the audit chain's one-key `pg_advisory_xact_lock(bigint)`, so they never meet.
 */
export const UPLOAD_LOCK_SPACE = 0x61747573; // 'atus'
/** Held (shared) by a request waiting for an upload another server holds: asks that server to let it go. */
export const UPLOAD_RELEASE_REQUEST_SPACE = UPLOAD_LOCK_SPACE + 1;

/** The second key: 32 bits of the upload id's SHA-256 (two ids that share it only wait for each other). */
export function uploadLockKey(id: string): number {
  return createHash('sha256').update(id).digest().readInt32BE(0);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One pooled connection, reserved while this process holds or waits for at least one upload lock. */
class LockSession {
  private users = 0;
  private current: Promise<{ conn: Kysely<DB>; end: () => Promise<void> }> | undefined;

  constructor(private readonly db: Kysely<DB>) {}

  async enter(): Promise<Kysely<DB>> {
    this.users += 1;
    this.current ??= this.open();
    try {
      return (await this.current).conn;
    } catch (error) {
      this.users -= 1;
      this.current = undefined;
      throw error;
    }
  }

  async leave(): Promise<void> {
    this.users -= 1;
    if (this.users > 0 || this.current === undefined) return;
    const session = this.current;
    this.current = undefined;
    await (await session).end();
  }

  private open(): Promise<{ conn: Kysely<DB>; end: () => Promise<void> }> {
    return new Promise((resolve, reject) => {
      let finish: () => void = () => undefined;
      const released = new Promise<void>((done) => (finish = done));
      const ended = this.db
        .connection()
        .execute(async (conn) => {
          resolve({
            conn,
            end: async () => {
              finish();
              await ended;
            },
          });
          await released;
          // Never hand a pooled connection back with a lock still on it (an unlock that failed half-way).
          await sql`SELECT pg_advisory_unlock_all()`.execute(conn);
        })
        .catch(reject);
    });
  }
}

/**
 * A {@link Locker} for @tus/server backed by PostgreSQL session advisory locks (one reserved connection per
 * process while any upload is locked; none otherwise). Within the process it behaves as MemoryLocker (which it
 * uses first); across processes a waiting request polls `pg_try_advisory_lock` and meanwhile holds a shared
 * "release request" lock on the same key, which the holder's process notices (it looks at `pg_locks` every
 * `pollMs`) and answers as MemoryLocker answers a local waiter: it asks its request to stop (tus then ends that
 * PATCH, keeping what was written), so a device that resumes through another server after a broken connection
 * does not wait for the old request to time out. Needs a session (no pgbouncer in transaction mode).
 *
 * @example
 * const server = new Server({ path: '/api/v1/uploads', datastore, locker: new PostgresUploadLocker(db) });
 */
export class PostgresUploadLocker implements Locker {
  readonly local: MemoryLocker;
  readonly session: LockSession;
  /** Locks this process holds in PostgreSQL: key (as pg_locks shows it, unsigned) → how to ask its request to stop. */
  readonly held = new Map<number, { requestRelease: RequestRelease; asked: boolean }>();
  private watch: NodeJS.Timeout | undefined;

  constructor(
    db: Kysely<DB>,
    readonly options: { acquireLockTimeoutMs?: number; pollMs?: number } = {},
  ) {
    this.local = new MemoryLocker({ acquireLockTimeout: this.timeoutMs });
    this.session = new LockSession(db);
  }

  get timeoutMs(): number {
    return this.options.acquireLockTimeoutMs ?? 30_000;
  }

  get pollMs(): number {
    return this.options.pollMs ?? 250;
  }

  newLock(id: string): Lock {
    return new PostgresUploadLock(this, id);
  }

  /** While locks are held, looks for requests of other servers asking for one of them. */
  watchReleaseRequests(conn: Kysely<DB>): void {
    if (this.watch !== undefined) return;
    this.watch = setInterval(() => {
      if (this.held.size === 0) {
        clearInterval(this.watch);
        this.watch = undefined;
        return;
      }
      void sql<{ key: number }>`SELECT objid::bigint AS key FROM pg_locks
        WHERE locktype = 'advisory' AND classid = ${UPLOAD_RELEASE_REQUEST_SPACE} AND objsubid = 2
          AND pid <> pg_backend_pid()`
        .execute(conn)
        .then(({ rows }) => {
          for (const { key } of rows) {
            const holder = this.held.get(key);
            if (holder === undefined || holder.asked) continue;
            holder.asked = true;
            void Promise.resolve(holder.requestRelease()).catch(() => undefined);
          }
        })
        .catch(() => undefined);
    }, this.pollMs);
    this.watch.unref();
  }
}

class PostgresUploadLock implements Lock {
  private readonly local: Lock;
  private readonly key: number;
  private conn: Kysely<DB> | undefined;

  constructor(
    private readonly locker: PostgresUploadLocker,
    id: string,
  ) {
    this.local = locker.local.newLock(id);
    this.key = uploadLockKey(id);
  }

  async lock(signal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    await this.local.lock(signal, requestRelease);
    try {
      this.conn = await this.locker.session.enter();
      await this.acquire(this.conn, signal);
    } catch (error) {
      if (this.conn !== undefined) await this.locker.session.leave();
      this.conn = undefined;
      await this.local.unlock();
      throw error;
    }
    this.locker.held.set(this.key >>> 0, { requestRelease, asked: false });
    this.locker.watchReleaseRequests(this.conn);
  }

  private async acquire(conn: Kysely<DB>, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + this.locker.timeoutMs;
    let knocking = false;
    try {
      for (;;) {
        const { rows } = await sql<{
          locked: boolean;
        }>`SELECT pg_try_advisory_lock(${UPLOAD_LOCK_SPACE}, ${this.key}) AS locked`.execute(conn);
        if (rows[0]?.locked === true) return;
        // tus answers its own error objects (here 500 "failed to acquire lock before timeout"), as MemoryLocker throws.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        if (signal.aborted || Date.now() >= deadline) throw ERRORS.ERR_LOCK_TIMEOUT;
        if (!knocking) {
          await sql`SELECT pg_advisory_lock_shared(${UPLOAD_RELEASE_REQUEST_SPACE}, ${this.key})`.execute(conn);
          knocking = true;
        }
        await sleep(this.locker.pollMs);
      }
    } finally {
      if (knocking) {
        await sql`SELECT pg_advisory_unlock_shared(${UPLOAD_RELEASE_REQUEST_SPACE}, ${this.key})`.execute(conn);
      }
    }
  }

  async unlock(): Promise<void> {
    const conn = this.conn;
    if (conn === undefined) throw new Error('Releasing an unlocked lock!');
    this.conn = undefined;
    this.locker.held.delete(this.key >>> 0);
    try {
      await sql`SELECT pg_advisory_unlock(${UPLOAD_LOCK_SPACE}, ${this.key})`.execute(conn);
    } finally {
      await this.locker.session.leave();
      await this.local.unlock();
    }
  }
}
