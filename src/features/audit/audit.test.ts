import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { translateDatabaseError } from '../../db/postgres-errors.js';
import { DomainError } from '../../errors.js';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import type { Actor } from '../access/schema.js';
import { updateInvestigation } from '../investigations/service.js';
import { recordChange, verifyAudit } from './service.js';

/**
 * A site and an item written the way the application writes them (row and
 * audit entry in one transaction), without depending on those features' code.
 */
async function addAuditedItem(world: TestWorld, actor: Actor): Promise<{ siteId: string; itemId: string }> {
  return world.db.transaction().execute(async (trx) => {
    const now = new Date();
    const site = await trx
      .insertInto('sites')
      .values({
        id: uuidv7(),
        investigation_id: world.investigationId,
        site_type: 'cache',
        name: 'Farm outbuilding',
        names: JSON.stringify({}),
        recovered_on: '2024-03-02',
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(trx, actor, {
      action: 'site.create',
      entityType: 'sites',
      entityId: site.id,
      investigationId: site.investigation_id,
      after: site,
    });
    const item = await trx
      .insertInto('items')
      .values({
        id: uuidv7(),
        investigation_id: world.investigationId,
        site_id: site.id,
        category: 'cartridges',
        quantity: 120,
        condition: 'corroded',
        production_type: 'factory',
        disposal_status: 'moved_to_storage',
        tags: ['boxed', 'headstamped'],
        observations: 'Loose in a crate.',
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(trx, actor, {
      action: 'item.create',
      entityType: 'items',
      entityId: item.id,
      investigationId: item.investigation_id,
      after: item,
    });
    return { siteId: site.id, itemId: item.id };
  });
}

/** Changes audit_log behind the application's back, the way someone with database access could. */
async function tamperAuditLog(world: TestWorld, seq: number, actorLabel: string): Promise<void> {
  await world.db.transaction().execute(async (trx) => {
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(trx);
    await sql`UPDATE audit_log SET actor_label = ${actorLabel} WHERE seq = ${seq}`.execute(trx);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(trx);
  });
}

function isAppendOnlyRefusal(error: unknown): boolean {
  const translated = translateDatabaseError(error);
  return translated instanceof DomainError && translated.code === 'append_only';
}

describe('audit chain', () => {
  let world: TestWorld;
  let itemId: string;
  before(async () => {
    world = await createTestWorld();
    await updateInvestigation(world.db, world.owner, world.investigationId, { version: 1, title: 'Renamed' });
    ({ itemId } = await addAuditedItem(world, world.owner));
  });
  after(async () => {
    await world.close();
  });

  it('verifies after several changes', async () => {
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
    assert.equal(result.ok, true);
    // 3 users, 2 investigations with their owners' memberships, 1 site and 1 item, plus 1 update.
    assert.ok(result.entries >= 10, `${result.entries} entries`);
    assert.equal(result.head?.seq, result.entries);
    assert.ok(result.rows_checked >= 9, `${result.rows_checked} rows checked`);
  });

  it('names an item edited behind the application’s back', async () => {
    await sql`UPDATE items SET quantity = 12 WHERE id = ${itemId}`.execute(world.db);
    const result = await verifyAudit(world.db);
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.problems.map(({ kind, entity_type, entity_id }) => ({ kind, entity_type, entity_id })),
      [{ kind: 'row_changed', entity_type: 'items', entity_id: itemId }],
    );
    assert.match(result.problems[0]!.message, /quantity/);

    await sql`UPDATE items SET quantity = 120 WHERE id = ${itemId}`.execute(world.db);
    assert.equal((await verifyAudit(world.db)).ok, true);
  });

  it('names an investigation edited behind the application’s back', async () => {
    await sql`UPDATE investigations SET title = 'Quietly renamed' WHERE id = ${world.investigationId}`.execute(
      world.db,
    );
    const result = await verifyAudit(world.db);
    assert.deepEqual(
      result.problems.map(({ kind, entity_type, entity_id }) => ({ kind, entity_type, entity_id })),
      [{ kind: 'row_changed', entity_type: 'investigations', entity_id: world.investigationId }],
    );

    await sql`UPDATE investigations SET title = 'Renamed' WHERE id = ${world.investigationId}`.execute(world.db);
    assert.equal((await verifyAudit(world.db)).ok, true);
  });

  it('names a row inserted behind the application’s back', async () => {
    const row = await world.db
      .selectFrom('items')
      .select(['investigation_id', 'site_id', 'created_by'])
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
    const smuggledId = uuidv7();
    await sql`
      INSERT INTO items (id, investigation_id, site_id, category, created_by, created_at, updated_at)
      VALUES (${smuggledId}, ${row.investigation_id}, ${row.site_id}, 'other', ${row.created_by}, now(), now())`.execute(
      world.db,
    );
    const result = await verifyAudit(world.db);
    assert.deepEqual(
      result.problems.map(({ kind, entity_type, entity_id }) => ({ kind, entity_type, entity_id })),
      [{ kind: 'row_unaudited', entity_type: 'items', entity_id: smuggledId }],
    );

    await sql`DELETE FROM items WHERE id = ${smuggledId}`.execute(world.db);
    assert.equal((await verifyAudit(world.db)).ok, true);
  });

  it('refuses a plain UPDATE or DELETE of the audit log', async () => {
    await assert.rejects(
      sql`UPDATE audit_log SET actor_label = 'someone else' WHERE seq = 1`.execute(world.db),
      (error) => isAppendOnlyRefusal(error),
    );
    await assert.rejects(sql`DELETE FROM audit_log WHERE seq = 1`.execute(world.db), (error) =>
      isAppendOnlyRefusal(error),
    );
    assert.equal((await verifyAudit(world.db)).ok, true);
  });

  it('reports a tampered audit entry as a broken link at its seq', async () => {
    const entry = await world.db
      .selectFrom('audit_log')
      .select(['seq', 'actor_label'])
      .where('action', '=', 'investigation.update')
      .executeTakeFirstOrThrow();
    await tamperAuditLog(world, entry.seq, 'not the owner');

    const result = await verifyAudit(world.db);
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.problems.map(({ kind, seq }) => ({ kind, seq })),
      [{ kind: 'broken_link', seq: entry.seq }],
    );

    await tamperAuditLog(world, entry.seq, entry.actor_label);
    assert.equal((await verifyAudit(world.db)).ok, true);
  });

  it('serves GET /api/v1/audit/verify to administrators only', async () => {
    const anonymous = await world.app.inject({ method: 'GET', url: '/api/v1/audit/verify' });
    assert.equal(anonymous.statusCode, 401);

    const owner = await world.app.inject({
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: { cookie: await world.cookieFor('owner') },
    });
    assert.equal(owner.statusCode, 403);
    assert.equal(owner.json().code, 'forbidden');

    const admin = await world.app.inject({
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: { cookie: await world.cookieFor('admin') },
    });
    assert.equal(admin.statusCode, 200, admin.body);
    assert.equal(admin.json().ok, true);
    assert.deepEqual(admin.json().problems, []);
  });
});
