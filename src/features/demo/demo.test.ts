import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { exportInvestigation } from '../export/service.js';
import { loadExampleInvestigation } from './service.js';

describe('example investigation', () => {
  let world: TestWorld;
  let investigationId: string;
  before(async () => {
    world = await createTestWorld();
    investigationId = (await loadExampleInvestigation(world.db, world.admin)).id;
  });
  after(async () => {
    await world.close();
  });

  it('loads through the audited services and verifies', async () => {
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
    assert.ok(result.entries > 30);
  });

  it('puts the fuzed projectiles and the unconfirmed mortar bombs on the hazard list', async () => {
    const cookie = await world.cookieFor('admin');
    const response = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${investigationId}/hazards`,
      headers: { cookie },
    });
    assert.equal(response.statusCode, 200, response.body);
    const refs = (response.json().items as { external_ref: string }[]).map((item) => item.external_ref).sort();
    assert.deepEqual(refs, ['MSL-C1-001', 'MSL-C2-001']);
  });

  it('puts part of it through the review by a second member, audited, so the profiles differ', async () => {
    const reviews = await world.db
      .selectFrom('audit_log')
      .innerJoin('users', 'users.id', 'audit_log.actor_id')
      .select(['audit_log.action', 'users.username'])
      .where('audit_log.investigation_id', '=', investigationId)
      .where('audit_log.action', 'like', 'review.%')
      .execute();
    const count = (action: string, username: string) =>
      reviews.filter((entry) => entry.action === action && entry.username === username).length;
    assert.equal(count('review.submit', 'admin'), 14);
    assert.equal(count('review.verify', 'example.reviewer'), 13);
    assert.equal(count('review.publish', 'example.reviewer'), 5);
    assert.equal(count('review.verify', 'admin') + count('review.publish', 'admin'), 0);

    const publicExport = await exportInvestigation(world.db, world.admin, investigationId, { profile: 'public' });
    assert.deepEqual(
      publicExport.records.sites.map((site) => site.external_ref),
      ['MSL-W1'],
    );
    assert.deepEqual(publicExport.records.items.map((item) => item.external_ref).sort(), [
      'MSL-W1-001',
      'MSL-W1-002',
      'MSL-W1-003',
    ]);
    assert.equal(publicExport.records.markings.length, 1);
    const partner = await exportInvestigation(world.db, world.admin, investigationId, { profile: 'partner' });
    assert.deepEqual(partner.records.sites.map((site) => site.external_ref).sort(), ['MSL-C2', 'MSL-W1']);
    assert.equal(partner.records.items.length, 6);
    assert.equal(partner.records.provenance_claims.length, 0, 'the restricted claim stays inside');
  });

  it('loads a second time beside the first, reusing the reviewer', async () => {
    const second = await loadExampleInvestigation(world.db, world.admin);
    assert.notEqual(second.id, investigationId);
    const reviewers = await world.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'example.reviewer')
      .execute();
    assert.equal(reviewers.length, 1);
  });

  it('exports every record with the audit head', async () => {
    const document = await exportInvestigation(world.db, world.admin, investigationId);
    assert.equal(document.records.sites.length, 4);
    assert.equal(document.records.zones.length, 3);
    assert.equal(document.records.items.length, 10);
    assert.equal(document.records.incident_items.length, 2);
    assert.notEqual(document.audit_head, null);
  });
});
