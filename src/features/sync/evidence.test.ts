import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { verifyBag } from '../bags/bagit.js';
import { exportBag } from '../bags/service.js';
import { exportInvestigation } from '../export/service.js';
import { createMediaTestApp, type MediaTestApp } from '../../testing/media.js';
import type { SyncResponse } from './schema.js';

// Which device sent each offline write, when the user saved it and when the server received it, is evidence: it
// is audited, exported (JSON and BagIt) and checked by `armtrace verify` like the records themselves.

describe('sync operations as evidence', () => {
  let world: TestWorld;
  let media: MediaTestApp;
  let cookie: string;
  let workDir: string;
  const deviceId = uuidv7();
  const ids = { site: uuidv7(), item: uuidv7(), other: uuidv7(), marking: uuidv7() };
  const opIds = { site: uuidv7(), item: uuidv7(), other: uuidv7() };

  before(async () => {
    world = await createTestWorld();
    media = await createMediaTestApp(world);
    cookie = await world.cookieFor('owner');
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-sync-evidence-'));
    const operation = (opId: string, type: string, recordId: string, body: Record<string, unknown>) => ({
      op_id: opId,
      captured_at: '2026-03-01T10:15:00+03:00',
      type,
      investigation_id: world.investigationId,
      record_id: recordId,
      body,
    });
    const response = await world.app.inject({
      method: 'POST',
      url: '/api/v1/sync',
      headers: { cookie },
      payload: {
        device_id: deviceId,
        device_time: new Date().toISOString(),
        operations: [
          operation(opIds.site, 'site.create', ids.site, { site_type: 'cache', name: 'Orchard' }),
          operation(opIds.item, 'item.create', ids.item, {
            site_id: ids.site,
            category: 'small_arm',
            markings: [{ id: ids.marking, text: 'KL-0471', kind: 'serial' }],
          }),
          operation(opIds.other, 'item.create', ids.other, { site_id: ids.site, category: 'fuze' }),
        ],
      },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(
      response.json<SyncResponse>().results.map((result) => result.status),
      ['created', 'created', 'created'],
    );
  });
  after(async () => {
    await media.close();
    await world.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('audits each received operation in the investigation’s history, with the device and both times', async () => {
    const entries = await world.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'investigation_id', 'after'])
      .where('entity_type', '=', 'sync_operations')
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      entries.map((entry) => [entry.action, entry.entity_id, entry.investigation_id]),
      [opIds.site, opIds.item, opIds.other].map((opId) => ['sync_operation.create', opId, world.investigationId]),
    );
    const after = entries[0]!.after as Record<string, unknown>;
    assert.equal(after.device_id, deviceId);
    assert.equal(after.captured_at_as_sent, '2026-03-01T10:15:00+03:00');
    assert.equal(after.captured_at, '2026-03-01T07:15:00.000Z');
    assert.equal(typeof after.received_at, 'string');
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
  });

  it('exports them with the records, and a bag of chosen items keeps only theirs', async () => {
    const document = await exportInvestigation(world.db, world.owner, world.investigationId);
    const exported = document.records.sync_operations;
    assert.deepEqual(exported.map((row) => row.op_id).sort(), Object.values(opIds).sort());
    const siteRow = exported.find((row) => row.op_id === opIds.site)!;
    assert.deepEqual(
      [siteRow.record_type, siteRow.record_id, siteRow.device_id, siteRow.captured_at_as_sent],
      ['site', ids.site, deviceId, '2026-03-01T10:15:00+03:00'],
    );
    assert.equal(typeof siteRow.received_at, 'string');

    const out = path.join(workDir, 'one-item');
    await exportBag(world.db, media.store, world.owner, world.investigationId, { items: [ids.item] }, out);
    assert.equal((await verifyBag(out)).ok, true);
    const bag = JSON.parse(fs.readFileSync(path.join(out, 'data', 'records.json'), 'utf8')) as {
      records: { sync_operations: { op_id: string }[] };
    };
    // The item and its site; not the other item.
    assert.deepEqual(bag.records.sync_operations.map((row) => row.op_id).sort(), [opIds.site, opIds.item].sort());
    const whole = path.join(workDir, 'whole');
    await exportBag(world.db, media.store, world.owner, world.investigationId, {}, whole);
    const all = JSON.parse(fs.readFileSync(path.join(whole, 'data', 'records.json'), 'utf8')) as {
      records: { sync_operations: unknown[] };
    };
    assert.equal(all.records.sync_operations.length, 3);
  });

  // Last: it alters the database behind the application's back.
  it('verify names a device record altered or added behind the application’s back', async () => {
    await sql`ALTER TABLE sync_operations DISABLE TRIGGER sync_operations_append_only`.execute(world.db);
    await sql`UPDATE sync_operations SET device_id = ${uuidv7()} WHERE op_id = ${opIds.item}`.execute(world.db);
    await sql`ALTER TABLE sync_operations ENABLE TRIGGER sync_operations_append_only`.execute(world.db);
    const forged = uuidv7();
    await sql`INSERT INTO sync_operations (op_id, user_id, investigation_id, operation_type, record_type, record_id,
        body_sha256, device_id, captured_at, captured_at_as_sent, device_time, received_at, clock_offset_seconds,
        clock_skew_flagged)
      VALUES (${forged}, ${world.owner.userId}, ${world.investigationId}, 'item.create', 'item', ${ids.other},
        ${'0'.repeat(64)}, ${deviceId}, now(), '2026-03-01T10:15:00+03:00', now(), now(), 0, false)`.execute(world.db);
    const result = await verifyAudit(world.db);
    assert.deepEqual(
      result.problems.map((problem) => [problem.kind, problem.entity_type, problem.entity_id]),
      [
        ['row_changed', 'sync_operations', opIds.item],
        ['row_unaudited', 'sync_operations', forged],
      ],
    );
    assert.match(result.problems[0]!.message, /device_id/);
  });
});
