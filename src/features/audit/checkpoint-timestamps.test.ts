import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { TimestampingConfig } from '../../config/config.js';
import { DomainError } from '../../errors.js';
import { buildApp } from '../../http/app.js';
import type { ApiApp } from '../../http/types.js';
import { startLocalTsa, unreachableTsaUrl, type LocalTsa } from '../../testing/local-tsa.js';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { createInvestigation } from '../investigations/service.js';
import {
  checkpointImprintInput,
  createTimestampedCheckpoint,
  listTimestampedCheckpoints,
  timestampMissingCheckpoints,
} from './checkpoint-timestamps.js';
import { verifyAudit } from './service.js';

describe('RFC 3161 timestamps of audit checkpoints (local openssl TSA)', () => {
  let world: TestWorld;
  let tsa: LocalTsa;
  let timestamping: TimestampingConfig;
  let app: ApiApp;
  let unreachable: TimestampingConfig;

  before(async () => {
    world = await createTestWorld();
    tsa = await startLocalTsa();
    timestamping = { url: tsa.url, caFiles: [tsa.caFile], timeoutMs: 30_000 };
    unreachable = { url: await unreachableTsaUrl(), caFiles: [tsa.caFile], timeoutMs: 5_000 };
    app = await buildApp({ db: world.db, config: { ...world.config, timestamping }, logger: false });
  });
  after(async () => {
    await app.close();
    await tsa.close();
    await world.close();
  });

  it('stores a token over SEQ:HASH that verify checks against the TSA CA', async () => {
    const checkpoint = await createTimestampedCheckpoint(world.db, world.admin, { note: 'first' }, timestamping);
    assert.equal(checkpoint.timestamp.problem_code, null);
    assert.equal(checkpoint.timestamp.verified, true, checkpoint.timestamp.detail);
    assert.match(checkpoint.timestamp.tsa_name ?? '', /CN=armtrace test TSA/);
    assert.ok(checkpoint.timestamp.timestamped_at !== null);
    const row = await world.db
      .selectFrom('audit_checkpoint_timestamps')
      .selectAll()
      .where('checkpoint_id', '=', checkpoint.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.tsa_url, tsa.url);
    assert.equal(row.gen_time.toISOString(), checkpoint.timestamp.timestamped_at);
    assert.equal(checkpointImprintInput(checkpoint), `${checkpoint.seq}:${checkpoint.hash}`);

    const result = await verifyAudit(world.db, undefined, { timestamping });
    assert.deepEqual(result.problems, []);
    assert.equal(result.timestamps_checked, 1);

    // Without the CA to trust, the same token is not verified, and verify says why.
    const untrusted = await verifyAudit(world.db, undefined, {
      timestamping: { ...timestamping, caFiles: [tsa.otherCaFile] },
    });
    assert.equal(untrusted.problems.length, 1);
    assert.equal(untrusted.problems[0]!.kind, 'timestamp_invalid');
    assert.match(untrusted.problems[0]!.message, /does not chain to a trusted TSA CA/);
  });

  it('keeps the checkpoint when the TSA is unreachable, says so clearly, and --retry stamps it later', async () => {
    await createInvestigation(world.db, world.owner, { title: 'Moves the chain on' });
    const checkpoint = await createTimestampedCheckpoint(world.db, world.admin, {}, unreachable);
    assert.equal(checkpoint.timestamp.problem_code, 'timestamp_failed');
    assert.match(checkpoint.timestamp.detail, /could not be reached/);
    assert.match(checkpoint.timestamp.detail, /armtrace audit timestamp --retry/);
    let listed = await listTimestampedCheckpoints(world.db, world.admin, timestamping);
    const missing = listed.find((entry) => entry.id === checkpoint.id);
    assert.ok(missing !== undefined);
    assert.equal(missing.timestamp.timestamped_at, null);
    assert.equal(missing.timestamp.verified, false);

    await assert.rejects(
      timestampMissingCheckpoints(world.db, world.admin, unreachable),
      (error: unknown) =>
        error instanceof DomainError &&
        error.code === 'timestamp_failed' &&
        error.message.includes(checkpoint.id) &&
        /could not be reached/.test(error.message),
    );
    await assert.rejects(
      timestampMissingCheckpoints(world.db, world.admin, { ...timestamping, url: undefined }),
      (error: unknown) => error instanceof DomainError && error.code === 'timestamp_not_configured',
    );
    await assert.rejects(
      timestampMissingCheckpoints(world.db, world.owner, timestamping),
      (error: unknown) => error instanceof DomainError && error.code === 'forbidden',
    );

    const stamped = await timestampMissingCheckpoints(world.db, world.admin, timestamping);
    assert.deepEqual(
      stamped.map((entry) => entry.id),
      [checkpoint.id],
    );
    assert.equal(stamped[0]!.timestamp.verified, true);
    assert.deepEqual(await timestampMissingCheckpoints(world.db, world.admin, timestamping), []);
    listed = await listTimestampedCheckpoints(world.db, world.admin, timestamping);
    assert.ok(listed.every((entry) => entry.timestamp.verified));
    assert.deepEqual((await verifyAudit(world.db, undefined, { timestamping })).problems, []);
  });

  it('says when no TSA is configured, and the API shows time, TSA and verified per checkpoint', async () => {
    const plain = await createTimestampedCheckpoint(world.db, world.admin, {}, { ...timestamping, url: undefined });
    assert.equal(plain.timestamp.problem_code, null);
    assert.match(plain.timestamp.detail, /no time-stamping authority is configured/);

    const cookie = await world.cookieFor('admin');
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/audit/checkpoints',
      headers: { cookie },
      payload: { note: 'over HTTP' },
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().timestamp.verified, true);
    const retried = await app.inject({
      method: 'POST',
      url: '/api/v1/audit/checkpoints/timestamps',
      headers: { cookie },
    });
    assert.equal(retried.statusCode, 200, retried.body);
    assert.deepEqual(
      retried.json<{ items: { id: string }[] }>().items.map((entry) => entry.id),
      [plain.id],
    );
    const listed = await app.inject({ method: 'GET', url: '/api/v1/audit/checkpoints', headers: { cookie } });
    assert.equal(listed.statusCode, 200);
    for (const entry of listed.json().items as {
      timestamp: { verified: boolean; tsa_name: string; timestamped_at: string };
    }[]) {
      assert.equal(entry.timestamp.verified, true);
      assert.match(entry.timestamp.tsa_name, /armtrace test TSA/);
      assert.ok(!Number.isNaN(Date.parse(entry.timestamp.timestamped_at)));
    }
    const verified = await app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: { cookie } });
    assert.equal(verified.json().ok, true, verified.body);
    assert.equal(verified.json().timestamps_checked, listed.json().items.length);
    const forbidden = await app.inject({
      method: 'POST',
      url: '/api/v1/audit/checkpoints/timestamps',
      headers: { cookie: await world.cookieFor('owner') },
    });
    assert.equal(forbidden.statusCode, 403);
  });

  it('refuses a token for another checkpoint, naming the checkpoint it covers', async () => {
    await createInvestigation(world.db, world.owner, { title: 'A line of its own' });
    const earlier = await createTimestampedCheckpoint(world.db, world.admin, {}, timestamping);
    await createInvestigation(world.db, world.owner, { title: 'Moves the chain on again' });
    const later = await createTimestampedCheckpoint(world.db, world.admin, {}, { ...timestamping, url: undefined });
    const token = await world.db
      .selectFrom('audit_checkpoint_timestamps')
      .selectAll()
      .where('checkpoint_id', '=', earlier.id)
      .executeTakeFirstOrThrow();
    // As someone with database access would: give the later checkpoint the earlier one's token.
    await sql`INSERT INTO audit_checkpoint_timestamps (checkpoint_id, token, imprint_sha256, gen_time, tsa_name, tsa_url)
      VALUES (${later.id}, ${Buffer.from(token.token)}, ${token.imprint_sha256}, ${token.gen_time}, ${token.tsa_name}, ${token.tsa_url})`.execute(
      world.db,
    );
    const result = await verifyAudit(world.db, undefined, { timestamping });
    assert.equal(result.ok, false);
    assert.equal(result.problems.length, 1);
    const problem = result.problems[0]!;
    assert.equal(problem.kind, 'timestamp_invalid');
    assert.equal(problem.seq, later.seq);
    assert.match(problem.message, new RegExp(`checkpoint ${later.id}`));
    assert.match(problem.message, new RegExp(`another checkpoint, ${earlier.id} \\(${earlier.seq}:${earlier.hash}\\)`));
    const listed = await listTimestampedCheckpoints(world.db, world.admin, timestamping);
    assert.equal(listed.find((entry) => entry.id === later.id)?.timestamp.verified, false);
    // Tokens are append-only, like the checkpoints.
    await assert.rejects(
      sql`DELETE FROM audit_checkpoint_timestamps WHERE checkpoint_id = ${later.id}`.execute(world.db),
    );
  });
});
