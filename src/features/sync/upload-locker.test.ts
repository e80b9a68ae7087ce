// PostgreSQL-only: the locker shares a lock between processes through PostgreSQL sessions; the embedded database
// has one session (and uses tus' MemoryLocker). scripts/run-tests.mjs runs this file in the PostgreSQL pass only,
// and it fails (never skips) when run without DATABASE_URL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ERRORS } from '@tus/server';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { PostgresUploadLocker, UPLOAD_LOCK_SPACE, uploadLockKey } from './upload-locker.js';

if (process.env.DATABASE_URL === undefined || process.env.DATABASE_URL === '') {
  throw new Error('upload-locker.test.ts needs PostgreSQL: run it with DATABASE_URL set (the PostgreSQL pass).');
}

describe('the upload lock shared through PostgreSQL advisory locks', () => {
  let test: TestDatabase;
  // Two lockers on one pool stand for two servers: each holds its locks on a connection of its own.
  let serverA: PostgresUploadLocker;
  let serverB: PostgresUploadLocker;

  before(async () => {
    test = await createTestDatabase();
    serverA = new PostgresUploadLocker(test.db, { pollMs: 50 });
    serverB = new PostgresUploadLocker(test.db, { pollMs: 50, acquireLockTimeoutMs: 5000 });
  });
  after(async () => {
    await test.close();
  });

  async function uploadLocksHeld(): Promise<number> {
    const { rows } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM pg_locks
      WHERE locktype = 'advisory' AND classid = ${UPLOAD_LOCK_SPACE} AND objsubid = 2 AND granted`.execute(test.db);
    return rows[0]!.count;
  }

  it('makes a request on another server wait, asks the holder to let go, and hands the lock over', async () => {
    const id = 'uploads/0190f000-0000-7000-8000-000000000001';
    const holding = serverA.newLock(id);
    let askedToRelease = 0;
    await holding.lock(new AbortController().signal, () => {
      askedToRelease += 1;
      // As tus does: the request asked to stop ends and unlocks.
      void holding.unlock();
    });
    assert.equal(await uploadLocksHeld(), 1);
    const waiting = serverB.newLock(id);
    await waiting.lock(new AbortController().signal, () => undefined);
    assert.equal(askedToRelease, 1, 'the holder was asked once');
    assert.equal(await uploadLocksHeld(), 1, 'handed over, never held twice');
    await waiting.unlock();
    assert.equal(await uploadLocksHeld(), 0);
  });

  it('times out like MemoryLocker when the holder keeps the lock', async () => {
    const id = 'uploads/0190f000-0000-7000-8000-000000000002';
    const holding = serverA.newLock(id);
    await holding.lock(new AbortController().signal, () => undefined);
    const impatient = new PostgresUploadLocker(test.db, { pollMs: 50, acquireLockTimeoutMs: 300 });
    await assert.rejects(
      impatient.newLock(id).lock(new AbortController().signal, () => undefined),
      (error) => error === ERRORS.ERR_LOCK_TIMEOUT,
    );
    // Another upload is not held up by it.
    const other = impatient.newLock('uploads/0190f000-0000-7000-8000-000000000003');
    await other.lock(new AbortController().signal, () => undefined);
    await other.unlock();
    await holding.unlock();
    assert.equal(await uploadLocksHeld(), 0);
  });

  it('names each upload by a stable 32-bit key', () => {
    assert.equal(uploadLockKey('a'), uploadLockKey('a'));
    assert.notEqual(uploadLockKey('a'), uploadLockKey('b'));
    assert.ok(Number.isInteger(uploadLockKey('a')) && Math.abs(uploadLockKey('a')) <= 2 ** 31);
  });
});
