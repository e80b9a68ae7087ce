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

  it('exports every record with the audit head', async () => {
    const document = await exportInvestigation(world.db, world.admin, investigationId);
    assert.equal(document.records.sites.length, 4);
    assert.equal(document.records.zones.length, 3);
    assert.equal(document.records.items.length, 10);
    assert.equal(document.records.incident_items.length, 2);
    assert.notEqual(document.audit_head, null);
  });
});
