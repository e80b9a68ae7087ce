import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { createActor } from '../actors/service.js';
import { verifyAudit } from '../audit/service.js';
import { createIncident } from '../incidents/service.js';
import { addMember } from '../investigations/service.js';
import { createTraceRequest, updateTraceRequest } from '../trace-requests/service.js';
import { createTestItem, createTestSite } from '../../testing/records.js';
import { archiveItem } from './service.js';

interface ProblemJson {
  code: string;
  detail: string;
  fields?: { field: string; code?: string; params?: Record<string, string | number> }[];
}
interface ResultJson {
  changed_item_ids: string[];
  unchanged_item_ids: string[];
  custody_event_ids: string[];
}

describe('bulk item actions: one transaction, all or nothing, each change audited', () => {
  let world: TestWorld;
  let cookie: string;
  let siteId: string;
  let fuzes: string[];

  const bulk = async (payload: Record<string, unknown>, as = cookie, query = '') =>
    world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/items/bulk${query}`,
      headers: { cookie: as },
      payload,
    });
  async function count(table: 'custody_events' | 'audit_log' | 'incident_items' | 'trace_request_items') {
    const row = await world.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string | number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  before(async () => {
    world = await createTestWorld();
    cookie = await world.cookieFor('owner');
    siteId = await createTestSite(world.db, world.owner, world.investigationId);
    fuzes = [];
    for (let index = 0; index < 40; index += 1) {
      fuzes.push(
        await createTestItem(world.db, world.owner, world.investigationId, {
          siteId,
          category: 'fuze',
          externalRef: `F-${String(index).padStart(2, '0')}`,
        }),
      );
    }
    await createTestItem(world.db, world.owner, world.investigationId, { siteId, category: 'small_arm' });
  });
  after(async () => {
    await world.close();
  });

  it('hands 40 fuzes over to the clearance team: a custody event and an audit entry for each', async () => {
    const auditBefore = await count('audit_log');
    const response = await bulk({
      action: 'hand_over',
      item_ids: fuzes,
      from_party: 'Site team',
      to_party: 'Clearance team',
      place: 'Mosul',
    });
    assert.equal(response.statusCode, 200, response.body);
    const result = response.json<ResultJson>();
    assert.equal(result.changed_item_ids.length, 40);
    assert.equal(result.custody_event_ids.length, 40);
    const events = await world.db.selectFrom('custody_events').selectAll().execute();
    assert.equal(events.length, 40);
    assert.deepEqual(new Set(events.map((event) => event.item_id)), new Set(fuzes));
    assert.ok(events.every((event) => event.to_party === 'Clearance team' && event.place === 'Mosul'));
    assert.equal((await count('audit_log')) - auditBefore, 40);
    assert.deepEqual((await verifyAudit(world.db)).problems, []);
  });

  it('counts what a filter matches, and acts on all of it when the count is the one the user saw', async () => {
    const counted = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/items/count?category=fuze`,
      headers: { cookie },
    });
    assert.equal(counted.statusCode, 200, counted.body);
    assert.deepEqual(counted.json(), { count: 40 });
    const stale = await bulk({
      action: 'set_disposal',
      filter: { category: 'fuze' },
      expected_count: 39,
      disposal_status: 'moved_to_storage',
    });
    assert.equal(stale.statusCode, 409, stale.body);
    assert.equal(stale.json<ProblemJson>().fields?.[0]?.field, 'expected_count');
    const done = await bulk({
      action: 'set_disposal',
      filter: { category: 'fuze' },
      expected_count: 40,
      disposal_status: 'moved_to_storage',
      note: 'Referred to the clearance team',
    });
    assert.equal(done.statusCode, 200, done.body);
    const statuses = await world.db
      .selectFrom('items')
      .select(['disposal_status', 'disposal_note'])
      .where('category', '=', 'fuze')
      .execute();
    assert.ok(statuses.every((row) => row.disposal_status === 'moved_to_storage'));
    const audited = await world.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string | number>().as('count'))
      .where('action', '=', 'item.disposal')
      .executeTakeFirstOrThrow();
    assert.equal(Number(audited.count), 40);
  });

  it('changes nothing when one item blocks the action, and names that item', async () => {
    const blocked = await createTestItem(world.db, world.owner, world.investigationId, {
      siteId,
      category: 'fuze',
      externalRef: 'ARCHIVED-1',
    });
    await archiveItem(world.db, world.owner, blocked, { version: 1, reason: 'recorded twice' });
    const eventsBefore = await count('custody_events');
    const auditBefore = await count('audit_log');
    const response = await bulk({
      action: 'hand_over',
      item_ids: [...fuzes.slice(0, 5), blocked],
      from_party: 'Site team',
      to_party: 'Evidence store',
    });
    assert.equal(response.statusCode, 409, response.body);
    const problem = response.json<ProblemJson>();
    assert.equal(problem.code, 'archived');
    assert.match(problem.detail, /ARCHIVED-1/);
    const itemField = problem.fields?.find((field) => field.field === 'items');
    assert.ok(itemField?.params !== undefined, response.body);
    assert.equal(itemField.params.item_id, blocked);
    assert.equal(itemField.params.external_ref, 'ARCHIVED-1');
    assert.equal(await count('custody_events'), eventsBefore);
    assert.equal(await count('audit_log'), auditBefore);

    // An investigator changes only the items they recorded: one of someone else's blocks the whole action.
    await createTestUser(world.db, 'field-investigator');
    await addMember(world.db, world.owner, world.investigationId, {
      username: 'field-investigator',
      role: 'investigator',
    });
    const investigator = await world.cookieFor('field-investigator');
    const refused = await bulk(
      { action: 'set_disposal', item_ids: fuzes.slice(0, 3), disposal_status: 'destroyed' },
      investigator,
    );
    assert.equal(refused.statusCode, 403, refused.body);
    assert.match(refused.json<ProblemJson>().detail, /F-00/);
    const unchanged = await world.db
      .selectFrom('items')
      .select('disposal_status')
      .where('id', 'in', fuzes.slice(0, 3))
      .execute();
    assert.ok(unchanged.every((row) => row.disposal_status === 'moved_to_storage'));
  });

  it('covers items by an open trace request, leaving those already covered as they were; a dry run writes nothing', async () => {
    const maker = await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'manufacturer',
      name: 'Maker',
    });
    const request = await createTraceRequest(world.db, world.owner, world.investigationId, {
      addressee_id: maker.id,
      subject: 'Fuzes',
      item_ids: [fuzes[0]!],
    });
    const linksBefore = await count('trace_request_items');
    const auditBefore = await count('audit_log');
    const dry = await bulk(
      { action: 'add_to_trace_request', item_ids: fuzes.slice(0, 10), trace_request_id: request.id },
      cookie,
      '?dry_run=true',
    );
    assert.equal(dry.statusCode, 200, dry.body);
    assert.equal(dry.json<ResultJson>().changed_item_ids.length, 9);
    assert.equal(await count('trace_request_items'), linksBefore);
    assert.equal(await count('audit_log'), auditBefore);
    const done = await bulk({
      action: 'add_to_trace_request',
      item_ids: fuzes.slice(0, 10),
      trace_request_id: request.id,
    });
    assert.equal(done.statusCode, 200, done.body);
    assert.deepEqual(done.json<ResultJson>().unchanged_item_ids, [fuzes[0]]);
    assert.equal((await count('trace_request_items')) - linksBefore, 9);
    assert.equal((await count('audit_log')) - auditBefore, 9);

    const closed = await updateTraceRequest(world.db, world.owner, request.id, { version: 1, status: 'closed' });
    const refused = await bulk({
      action: 'add_to_trace_request',
      item_ids: fuzes.slice(10, 12),
      trace_request_id: closed.id,
    });
    assert.equal(refused.statusCode, 422, refused.body);
    assert.equal(refused.json<ProblemJson>().fields?.[0]?.field, 'trace_request_id');
  });

  it('links items to an incident of the investigation', async () => {
    const incident = await createIncident(world.db, world.owner, world.investigationId, {
      incident_type: 'accident',
      title: 'Explosion at the depot',
    });
    const response = await bulk({ action: 'link_incident', item_ids: fuzes.slice(0, 4), incident_id: incident.id });
    assert.equal(response.statusCode, 200, response.body);
    const links = await world.db
      .selectFrom('incident_items')
      .selectAll()
      .where('incident_id', '=', incident.id)
      .execute();
    assert.equal(links.length, 4);
    assert.deepEqual((await verifyAudit(world.db)).problems, []);
  });

  it('keeps its limits and its access rules', async () => {
    const tooMany = await bulk({
      action: 'link_incident',
      item_ids: Array.from({ length: 1001 }, () => fuzes[0]),
      incident_id: fuzes[0],
    });
    assert.equal(tooMany.statusCode, 400, tooMany.body);
    assert.equal(tooMany.json<ProblemJson>().fields?.[0]?.code, 'too_many');
    const neither = await bulk({ action: 'set_disposal', disposal_status: 'destroyed' });
    assert.equal(neither.statusCode, 400, neither.body);
    const both = await bulk({
      action: 'set_disposal',
      disposal_status: 'destroyed',
      item_ids: [fuzes[0]],
      filter: { category: 'fuze' },
      expected_count: 40,
    });
    assert.equal(both.statusCode, 400, both.body);
    const foreign = await createTestItem(world.db, world.outsider, world.otherInvestigationId);
    const elsewhere = await bulk({
      action: 'set_disposal',
      disposal_status: 'destroyed',
      item_ids: [fuzes[0], foreign],
    });
    assert.equal(elsewhere.statusCode, 422, elsewhere.body);
    assert.equal(elsewhere.json<ProblemJson>().fields?.[0]?.field, 'item_ids.1');
    await createTestUser(world.db, 'reader');
    await addMember(world.db, world.owner, world.investigationId, { username: 'reader', role: 'viewer' });
    const viewer = await bulk(
      { action: 'set_disposal', disposal_status: 'destroyed', item_ids: [fuzes[0]] },
      await world.cookieFor('reader'),
    );
    assert.equal(viewer.statusCode, 403, viewer.body);
    const outsider = await bulk(
      { action: 'set_disposal', disposal_status: 'destroyed', item_ids: [fuzes[0]] },
      await world.cookieFor('outsider'),
    );
    assert.equal(outsider.statusCode, 404, outsider.body);
  });

  it('acts on every item matching a filter except those left out, in one transaction, each audited', async () => {
    const [keptOut, alsoKeptOut] = [fuzes[0]!, fuzes[1]!];
    const live = await world.db
      .selectFrom('items')
      .select('id')
      .where('category', '=', 'fuze')
      .where('archived_at', 'is', null)
      .execute();
    const expected = live.map((row) => row.id).filter((id) => id !== keptOut && id !== alsoKeptOut);
    const stale = await bulk({
      action: 'set_disposal',
      filter: { category: 'fuze' },
      excluded_item_ids: [keptOut, alsoKeptOut],
      expected_count: live.length,
      disposal_status: 'rendered_safe',
    });
    assert.equal(stale.statusCode, 409, stale.body);
    const withoutFilter = await bulk({
      action: 'set_disposal',
      item_ids: [keptOut],
      excluded_item_ids: [alsoKeptOut],
      disposal_status: 'rendered_safe',
    });
    assert.equal(withoutFilter.statusCode, 400, withoutFilter.body);
    assert.equal(withoutFilter.json<ProblemJson>().fields?.[0]?.field, 'excluded_item_ids');
    const auditBefore = await count('audit_log');
    const done = await bulk({
      action: 'set_disposal',
      filter: { category: 'fuze' },
      excluded_item_ids: [keptOut, alsoKeptOut, keptOut],
      expected_count: expected.length,
      disposal_status: 'rendered_safe',
    });
    assert.equal(done.statusCode, 200, done.body);
    assert.deepEqual(new Set(done.json<ResultJson>().changed_item_ids), new Set(expected));
    const safe = await world.db
      .selectFrom('items')
      .select('id')
      .where('disposal_status', '=', 'rendered_safe')
      .execute();
    assert.deepEqual(new Set(safe.map((row) => row.id)), new Set(expected));
    assert.equal((await count('audit_log')) - auditBefore, expected.length);
    assert.deepEqual((await verifyAudit(world.db)).problems, []);
  });
});
