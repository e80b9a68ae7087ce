import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { canonicalJson } from '../../db/serialize.js';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { createInvestigation } from '../investigations/service.js';
import { createCheckpoint, listCheckpoints, parseExternalCheckpoints } from './checkpoint.js';
import { findHead } from './repository.js';
import { verifyAudit } from './service.js';

/**
 * Rewrites the chain from entry `fromSeq` on, as an attacker with database
 * access would: the changed entry and every later one get consistent hashes,
 * so walking the chain alone finds nothing.
 */
async function rewriteChainFrom(world: TestWorld, fromSeq: number, newLabel: string): Promise<void> {
  await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(world.db);
  try {
    const rows = await world.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', fromSeq)
      .orderBy('seq')
      .execute();
    const previous = await world.db
      .selectFrom('audit_log')
      .select('hash')
      .where('seq', '=', fromSeq - 1)
      .executeTakeFirstOrThrow();
    let prevHash = previous.hash;
    for (const row of rows) {
      const fields = {
        seq: row.seq,
        at: row.at.toISOString(),
        actor_id: row.actor_id,
        actor_label: row.seq === fromSeq ? newLabel : row.actor_label,
        via: row.via,
        action: row.action,
        entity_type: row.entity_type,
        entity_id: row.entity_id,
        investigation_id: row.investigation_id,
        before: row.before,
        after: row.after,
        prev_hash: prevHash,
      };
      const hash = createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
      await world.db
        .updateTable('audit_log')
        .set({ actor_label: fields.actor_label, prev_hash: prevHash, hash })
        .where('seq', '=', row.seq)
        .execute();
      prevHash = hash;
    }
  } finally {
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(world.db);
  }
}

describe('audit checkpoints', () => {
  let world: TestWorld;
  before(async () => {
    world = await createTestWorld();
  });
  after(async () => {
    await world.close();
  });

  it('records the head of the chain for administrators only', async () => {
    const head = await findHead(world.db);
    const checkpoint = await createCheckpoint(world.db, world.admin, { note: 'published in the annual report' });
    assert.equal(checkpoint.seq, head!.seq);
    assert.equal(checkpoint.hash, head!.hash);
    assert.equal(checkpoint.entries, head!.seq);
    assert.equal(checkpoint.created_by_label, 'admin');
    assert.equal(checkpoint.note, 'published in the annual report');
    await assert.rejects(
      createCheckpoint(world.db, world.owner),
      (error: Error & { code?: string }) => error.code === 'forbidden',
    );
    assert.deepEqual(
      (await listCheckpoints(world.db, world.admin)).map((entry) => entry.id),
      [checkpoint.id],
    );
    await assert.rejects(sql`UPDATE audit_checkpoints SET hash = ${'0'.repeat(64)}`.execute(world.db), /append-only/);
  });

  it('verifies the chain against every checkpoint, including ones published elsewhere', async () => {
    await createInvestigation(world.db, world.owner, { title: 'Later work' });
    const checkpoint = await createCheckpoint(world.db, world.admin);
    const result = await verifyAudit(world.db, undefined, {
      checkpoints: parseExternalCheckpoints([`${checkpoint.seq}:${checkpoint.hash.toUpperCase()}`]),
    });
    assert.deepEqual(result.problems, []);
    assert.equal(result.checkpoints_checked, 3);

    const wrong = await verifyAudit(world.db, undefined, {
      checkpoints: parseExternalCheckpoints([
        `${checkpoint.seq}:${'a'.repeat(64)}`,
        `${checkpoint.seq + 50}:${'b'.repeat(64)}`,
      ]),
    });
    assert.deepEqual(
      wrong.problems.map(({ kind, seq }) => ({ kind, seq })),
      [
        { kind: 'checkpoint_mismatch', seq: checkpoint.seq },
        { kind: 'checkpoint_mismatch', seq: checkpoint.seq + 50 },
      ],
    );
    assert.match(wrong.problems[1]!.message, /no longer exists/);
    assert.throws(
      () => parseExternalCheckpoints(['12:abc']),
      (error: Error & { code?: string }) => error.code === 'validation_failed',
    );
  });

  it('catches a chain rewritten consistently after a checkpoint', async () => {
    const checkpoint = await createCheckpoint(world.db, world.admin);
    await rewriteChainFrom(world, 2, 'someone else');
    const result = await verifyAudit(world.db);
    // The rewritten chain is internally consistent: only the checkpoints give it away.
    assert.ok(result.problems.length >= 1);
    assert.ok(result.problems.every((problem) => problem.kind === 'checkpoint_mismatch'));
    assert.ok(result.problems.some((problem) => problem.seq === checkpoint.seq));
    assert.match(result.problems.at(-1)!.message, /rewritten at or before entry/);
  });

  it('serves checkpoints over HTTP to administrators', async () => {
    const admin = await world.cookieFor('admin');
    const created = await world.app.inject({
      method: 'POST',
      url: '/api/v1/audit/checkpoints',
      headers: { cookie: admin },
      payload: { note: 'sent to the panel' },
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.match(created.json().hash, /^[0-9a-f]{64}$/);
    const listed = await world.app.inject({
      method: 'GET',
      url: '/api/v1/audit/checkpoints',
      headers: { cookie: admin },
    });
    assert.equal(listed.statusCode, 200, listed.body);
    assert.ok(listed.json().items.length >= 4);
    const owner = await world.cookieFor('owner');
    const refused = await world.app.inject({
      method: 'POST',
      url: '/api/v1/audit/checkpoints',
      headers: { cookie: owner },
      payload: {},
    });
    assert.equal(refused.statusCode, 403);
    const badNote = await world.app.inject({
      method: 'POST',
      url: '/api/v1/audit/checkpoints',
      headers: { cookie: admin },
      payload: { note: '' },
    });
    assert.equal(badNote.statusCode, 400);
    assert.equal(badNote.json().fields[0].field, 'note');
  });
});
