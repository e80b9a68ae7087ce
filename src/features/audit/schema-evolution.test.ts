import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from './service.js';

describe('audit verification across schema changes', () => {
  let world: TestWorld;
  before(async () => {
    world = await createTestWorld();
  });
  after(async () => {
    await world.close();
  });

  it('does not report rows as changed when a later migration adds a column', async () => {
    await sql`ALTER TABLE investigations ADD COLUMN added_later text NOT NULL DEFAULT 'x'`.execute(world.db);
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
  });

  it('still reports a recorded column changed behind the application’s back', async () => {
    await sql`UPDATE investigations SET title = 'Altered' WHERE id = ${world.investigationId}`.execute(world.db);
    const result = await verifyAudit(world.db);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0]!.kind, 'row_changed');
    assert.match(result.problems[0]!.message, /title/);
  });
});
