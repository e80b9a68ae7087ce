import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { DB } from '../../db/tables.js';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import type { Actor } from '../access/schema.js';
import { createActor } from '../actors/service.js';
import { recordChange, verifyAudit } from '../audit/service.js';
import { addMember } from '../investigations/service.js';
import { normalizeMarking } from '../../parsing/marking-text.js';
import { createTraceRequest } from './service.js';
import { createProvenanceClaim } from '../provenance/service.js';

/** One field of every record in a list response. */
function pluck(body: unknown, list: 'items' | 'claims', field: string): unknown[] {
  return (body as Record<string, Record<string, unknown>[]>)[list]!.map((entry) => entry[field]);
}

/** A site holding one item with the given lot markings, written and audited as the services would. */
async function createTestItem(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
  lotMarkings: string[] = [],
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const now = new Date();
    const stamp = { created_by: user.userId, created_at: now, updated_at: now };
    const site = await trx
      .insertInto('sites')
      .values({
        id: uuidv7(),
        investigation_id: investigationId,
        site_type: 'cache',
        name: 'Cache A',
        names: '{}',
        ...stamp,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(trx, user, {
      action: 'site.create',
      entityType: 'sites',
      entityId: site.id,
      investigationId,
      after: site,
    });
    const item = await trx
      .insertInto('items')
      .values({
        id: uuidv7(),
        investigation_id: investigationId,
        site_id: site.id,
        category: 'cartridges',
        quantity: 120,
        production_type: 'factory',
        disposal_status: 'in_place',
        ...stamp,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(trx, user, {
      action: 'item.create',
      entityType: 'items',
      entityId: item.id,
      investigationId,
      after: item,
    });
    for (const text of lotMarkings) {
      const marking = await trx
        .insertInto('markings')
        .values({
          id: uuidv7(),
          investigation_id: investigationId,
          item_id: item.id,
          text,
          normalized: normalizeMarking(text),
          kind: 'lot',
          legibility: 'legible',
          ...stamp,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordChange(trx, user, {
        action: 'marking.create',
        entityType: 'markings',
        entityId: marking.id,
        investigationId,
        after: marking,
      });
    }
    return item.id;
  });
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

describe('trace requests API', () => {
  let world: TestWorld;
  let cookie: string;
  let manufacturerId: string;
  let itemId: string;
  before(async () => {
    world = await createTestWorld();
    cookie = await world.cookieFor('owner');
    manufacturerId = (
      await createActor(world.db, world.owner, world.investigationId, {
        actor_type: 'manufacturer',
        name: 'Factory 10',
      })
    ).id;
    itemId = await createTestItem(world.db, world.owner, world.investigationId);
  });
  after(async () => {
    await world.close();
  });

  const listUrl = () => `/api/v1/investigations/${world.investigationId}/trace-requests`;

  it('creates a request covering items, follows the workflow and archives it', async () => {
    const created = await world.app.inject({
      method: 'POST',
      url: listUrl(),
      headers: { cookie },
      payload: {
        addressee_id: manufacturerId,
        subject: 'Cartridges, lot 12-34',
        lot_marking: '12-34',
        item_ids: [itemId],
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const request = created.json();
    assert.equal(request.status, 'draft');
    assert.equal(request.addressee_name, 'Factory 10');
    assert.deepEqual(request.item_ids, [itemId]);
    assert.equal(request.overdue, false);

    const sent = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/trace-requests/${request.id}`,
      headers: { cookie },
      payload: { version: 1, status: 'sent' },
    });
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal(sent.json().status, 'sent');
    assert.equal(sent.json().sent_on, todayUtc());

    const backwards = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/trace-requests/${request.id}`,
      headers: { cookie },
      payload: { version: 2, status: 'draft' },
    });
    assert.equal(backwards.statusCode, 422);
    assert.equal(backwards.json().code, 'constraint_violated');
    assert.equal(backwards.json().fields[0].field, 'status');
    assert.match(backwards.json().fields[0].message, /acknowledged, answered, no_response, declined, closed/);

    // A stale version: test/contract/versioned-records.test.ts (every versioned record).

    const answered = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/trace-requests/${request.id}`,
      headers: { cookie },
      payload: { version: 2, status: 'answered', response_text: 'Lot 12-34 was delivered to the Ministry of Defence.' },
    });
    assert.equal(answered.statusCode, 200, answered.body);
    assert.equal(answered.json().version, 3);

    const secondItemId = await createTestItem(world.db, world.owner, world.investigationId);
    const linked = await world.app.inject({
      method: 'POST',
      url: `/api/v1/trace-requests/${request.id}/items`,
      headers: { cookie },
      payload: { item_id: secondItemId },
    });
    assert.equal(linked.statusCode, 201, linked.body);
    assert.deepEqual(linked.json().item_ids, [itemId, secondItemId].sort());
    const again = await world.app.inject({
      method: 'POST',
      url: `/api/v1/trace-requests/${request.id}/items`,
      headers: { cookie },
      payload: { item_id: secondItemId },
    });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'already_exists');

    // A link made in error is removed; the audit log keeps the link and its removal.
    const unlinked = await world.app.inject({
      method: 'DELETE',
      url: `/api/v1/trace-requests/${request.id}/items/${secondItemId}`,
      headers: { cookie },
    });
    assert.equal(unlinked.statusCode, 200, unlinked.body);
    assert.deepEqual(unlinked.json().item_ids, [itemId]);
    const notCovered = await world.app.inject({
      method: 'DELETE',
      url: `/api/v1/trace-requests/${request.id}/items/${secondItemId}`,
      headers: { cookie },
    });
    assert.equal(notCovered.statusCode, 404, notCovered.body);
    const removal = await world.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'trace_request.unlink_item')
      .where('entity_id', '=', request.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(removal.before, { trace_request_id: request.id, item_id: secondItemId });
    assert.equal(removal.after, null);
    const relinked = await world.app.inject({
      method: 'POST',
      url: `/api/v1/trace-requests/${request.id}/items`,
      headers: { cookie },
      payload: { item_id: secondItemId },
    });
    assert.equal(relinked.statusCode, 201, relinked.body);

    const read = await world.app.inject({
      method: 'GET',
      url: `/api/v1/trace-requests/${request.id}`,
      headers: { cookie },
    });
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().item_ids.length, 2);

    const links = await world.db
      .selectFrom('audit_log')
      .select(['entity_type', 'entity_id', 'after'])
      .where('action', '=', 'trace_request.link_item')
      .where('entity_id', '=', request.id)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      links.map((entry) => entry.after),
      [
        { trace_request_id: request.id, item_id: itemId },
        { trace_request_id: request.id, item_id: secondItemId },
        // Linked again after the removal.
        { trace_request_id: request.id, item_id: secondItemId },
      ],
    );
    assert.ok(links.every((entry) => entry.entity_type === 'trace_request_items'));

    const archived = await world.app.inject({
      method: 'POST',
      url: `/api/v1/trace-requests/${request.id}/archive`,
      headers: { cookie },
      payload: { version: 3, reason: 'entered twice' },
    });
    assert.equal(archived.statusCode, 200, archived.body);
    const linkArchived = await world.app.inject({
      method: 'POST',
      url: `/api/v1/trace-requests/${request.id}/items`,
      headers: { cookie },
      payload: { item_id: itemId },
    });
    assert.equal(linkArchived.statusCode, 409);
    assert.equal(linkArchived.json().code, 'archived');
  });

  it('lists overdue requests: sent or acknowledged and past their due date', async () => {
    const overdue = await createTraceRequest(world.db, world.owner, world.investigationId, {
      addressee_id: manufacturerId,
      subject: 'Overdue one',
      status: 'sent',
      sent_on: '2020-01-01',
      due_on: '2020-02-01',
    });
    assert.equal(overdue.overdue, true);
    await createTraceRequest(world.db, world.owner, world.investigationId, {
      addressee_id: manufacturerId,
      subject: 'Draft with a past due date',
      due_on: '2020-02-01',
    });
    await createTraceRequest(world.db, world.owner, world.investigationId, {
      addressee_id: manufacturerId,
      subject: 'Sent, not yet due',
      status: 'sent',
      due_on: '2999-01-01',
    });
    const response = await world.app.inject({ method: 'GET', url: `${listUrl()}?overdue=true`, headers: { cookie } });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(pluck(response.json(), 'items', 'subject'), ['Overdue one']);
    const drafts = await world.app.inject({ method: 'GET', url: `${listUrl()}?status=draft`, headers: { cookie } });
    assert.deepEqual(pluck(drafts.json(), 'items', 'subject'), ['Draft with a past due date']);
  });

  it('names the field of bad input and of a broken date rule', async () => {
    const earlyDue = await world.app.inject({
      method: 'POST',
      url: listUrl(),
      headers: { cookie },
      payload: { addressee_id: manufacturerId, subject: 'Dates', sent_on: '2024-05-02', due_on: '2024-05-01' },
    });
    assert.equal(earlyDue.statusCode, 400);
    assert.equal(earlyDue.json().fields[0].field, 'due_on');

    const badStatus = await world.app.inject({
      method: 'POST',
      url: listUrl(),
      headers: { cookie },
      payload: { addressee_id: manufacturerId, subject: 'Status', status: 'lost' },
    });
    assert.equal(badStatus.statusCode, 400);
    assert.equal(badStatus.json().fields[0].field, 'status');

    const request = await createTraceRequest(world.db, world.owner, world.investigationId, {
      addressee_id: manufacturerId,
      subject: 'Sent in May',
      status: 'sent',
      sent_on: '2024-05-02',
    });
    const dueBeforeSent = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/trace-requests/${request.id}`,
      headers: { cookie },
      payload: { version: 1, due_on: '2024-04-01' },
    });
    assert.equal(dueBeforeSent.statusCode, 422);
    assert.equal(dueBeforeSent.json().fields[0].field, 'due_on');
  });

  it('rejects an addressee or an item of another investigation', async () => {
    const foreignActor = await createActor(world.db, world.outsider, world.otherInvestigationId, {
      actor_type: 'state',
      name: 'Foreign state',
    });
    const response = await world.app.inject({
      method: 'POST',
      url: listUrl(),
      headers: { cookie },
      payload: { addressee_id: foreignActor.id, subject: 'Wrong addressee' },
    });
    assert.equal(response.statusCode, 422);
    assert.equal(response.json().code, 'reference_invalid');
    assert.equal(response.json().fields[0].field, 'addressee_id');

    const foreignItemId = await createTestItem(world.db, world.outsider, world.otherInvestigationId);
    const request = await createTraceRequest(world.db, world.owner, world.investigationId, {
      addressee_id: manufacturerId,
      subject: 'Link check',
    });
    const link = await world.app.inject({
      method: 'POST',
      url: `/api/v1/trace-requests/${request.id}/items`,
      headers: { cookie },
      payload: { item_id: foreignItemId },
    });
    assert.equal(link.statusCode, 422);
    assert.equal(link.json().fields[0].field, 'item_id');
  });

  it('hides another team’s requests and keeps viewers from writing', async () => {
    const foreignActor = await createActor(world.db, world.outsider, world.otherInvestigationId, {
      actor_type: 'company',
      name: 'Broker',
    });
    const foreign = await createTraceRequest(world.db, world.outsider, world.otherInvestigationId, {
      addressee_id: foreignActor.id,
      subject: 'Theirs',
    });
    const read = await world.app.inject({
      method: 'GET',
      url: `/api/v1/trace-requests/${foreign.id}`,
      headers: { cookie },
    });
    assert.equal(read.statusCode, 404);
    const list = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.otherInvestigationId}/trace-requests`,
      headers: { cookie },
    });
    assert.equal(list.statusCode, 404);

    await createTestUser(world.db, 'trace-viewer');
    await addMember(world.db, world.owner, world.investigationId, { username: 'trace-viewer', role: 'viewer' });
    const viewerCookie = await world.cookieFor('trace-viewer');
    const create = await world.app.inject({
      method: 'POST',
      url: listUrl(),
      headers: { cookie: viewerCookie },
      payload: { addressee_id: manufacturerId, subject: 'By a viewer' },
    });
    assert.equal(create.statusCode, 403);
    const own = await createTraceRequest(world.db, world.owner, world.investigationId, {
      addressee_id: manufacturerId,
      subject: 'Owner’s',
    });
    const change = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/trace-requests/${own.id}`,
      headers: { cookie: viewerCookie },
      payload: { version: 1, status: 'sent' },
    });
    assert.equal(change.statusCode, 403);
  });

  it('audits every write with the row as stored', async () => {
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
  });
});

describe('provenance claims API', () => {
  let world: TestWorld;
  let cookie: string;
  let itemId: string;
  let factoryId: string;
  let stateId: string;
  before(async () => {
    world = await createTestWorld();
    cookie = await world.cookieFor('owner');
    itemId = await createTestItem(world.db, world.owner, world.investigationId, ['LOT 12-34']);
    factoryId = (
      await createActor(world.db, world.owner, world.investigationId, {
        actor_type: 'manufacturer',
        name: 'Factory 10',
      })
    ).id;
    stateId = (
      await createActor(world.db, world.owner, world.investigationId, { actor_type: 'state', name: 'State A' })
    ).id;
  });
  after(async () => {
    await world.close();
  });

  const listUrl = () => `/api/v1/investigations/${world.investigationId}/provenance-claims`;

  it('gives an item its own claims and those about a lot it carries, in event order', async () => {
    const recovered = await world.app.inject({
      method: 'POST',
      url: listUrl(),
      headers: { cookie },
      payload: { item_id: itemId, event_type: 'recovered', occurred_from: '2023-03-01', confidence: 'confirmed' },
    });
    assert.equal(recovered.statusCode, 201, recovered.body);
    const exported = await world.app.inject({
      method: 'POST',
      url: listUrl(),
      headers: { cookie },
      payload: {
        lot_marking: 'lot 12/34',
        event_type: 'exported',
        actor_id: stateId,
        occurred_from: '2015-01-01',
        occurred_to: '2015-12-31',
        confidence: 'probable',
      },
    });
    assert.equal(exported.statusCode, 201, exported.body);
    assert.equal(exported.json().lot_normalized, 'lot1234');
    await createProvenanceClaim(world.db, world.owner, world.investigationId, {
      lot_marking: 'LOT 12-34',
      event_type: 'produced',
      actor_id: factoryId,
      occurred_from: '2014-06-01',
      confidence: 'possible',
    });
    await createProvenanceClaim(world.db, world.owner, world.investigationId, {
      lot_marking: 'LOT 99',
      event_type: 'produced',
      confidence: 'possible',
    });
    // The same lot in another team's investigation says nothing about this item.
    await createProvenanceClaim(world.db, world.outsider, world.otherInvestigationId, {
      lot_marking: 'LOT 12-34',
      event_type: 'diverted',
      confidence: 'possible',
    });

    const response = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${itemId}/provenance`,
      headers: { cookie },
    });
    assert.equal(response.statusCode, 200, response.body);
    const claims = response.json().claims as { event_type: string; inherited_from_lot: string | null }[];
    assert.deepEqual(
      claims.map((claim) => [claim.event_type, claim.inherited_from_lot]),
      [
        ['produced', 'LOT 12-34'],
        ['exported', 'LOT 12-34'],
        ['recovered', null],
      ],
    );

    const byLot = await world.app.inject({
      method: 'GET',
      url: `${listUrl()}?lot_marking=${encodeURIComponent('Lot 12.34')}`,
      headers: { cookie },
    });
    assert.equal(byLot.statusCode, 200);
    assert.equal(byLot.json().items.length, 2);
    const byItem = await world.app.inject({
      method: 'GET',
      url: `${listUrl()}?item_id=${itemId}`,
      headers: { cookie },
    });
    assert.deepEqual(pluck(byItem.json(), 'items', 'event_type'), ['recovered']);
  });

  it('updates with a version check, keeps one subject, and archives', async () => {
    const claim = await createProvenanceClaim(world.db, world.owner, world.investigationId, {
      lot_marking: 'LOT 55',
      event_type: 'transferred',
      actor_id: stateId,
      counterpart_id: factoryId,
      confidence: 'possible',
    });
    const both = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/provenance-claims/${claim.id}`,
      headers: { cookie },
      payload: { version: 1, item_id: itemId },
    });
    assert.equal(both.statusCode, 422);
    assert.equal(both.json().fields[0].field, 'item_id');

    const moved = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/provenance-claims/${claim.id}`,
      headers: { cookie },
      payload: { version: 1, item_id: itemId, lot_marking: null, confidence: 'probable' },
    });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(moved.json().lot_normalized, null);
    assert.equal(moved.json().version, 2);

    const stale = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/provenance-claims/${claim.id}`,
      headers: { cookie },
      payload: { version: 1, notes: 'Lost update' },
    });
    assert.equal(stale.statusCode, 409);

    const archived = await world.app.inject({
      method: 'POST',
      url: `/api/v1/provenance-claims/${claim.id}/archive`,
      headers: { cookie },
      payload: { version: 2, reason: 'the source was withdrawn' },
    });
    assert.equal(archived.statusCode, 200, archived.body);
    const provenance = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${itemId}/provenance`,
      headers: { cookie },
    });
    assert.ok(!pluck(provenance.json(), 'claims', 'id').includes(claim.id));
  });

  it('names the field of bad input', async () => {
    const neither = await world.app.inject({
      method: 'POST',
      url: listUrl(),
      headers: { cookie },
      payload: { event_type: 'produced', confidence: 'possible' },
    });
    assert.equal(neither.statusCode, 400);
    assert.equal(neither.json().fields[0].field, 'item_id');
    const both = await world.app.inject({
      method: 'POST',
      url: listUrl(),
      headers: { cookie },
      payload: { item_id: itemId, lot_marking: 'LOT 1', event_type: 'produced', confidence: 'possible' },
    });
    assert.equal(both.statusCode, 400);
    assert.equal(both.json().fields[0].field, 'item_id');
    const badRange = await world.app.inject({
      method: 'POST',
      url: listUrl(),
      headers: { cookie },
      payload: {
        item_id: itemId,
        event_type: 'produced',
        occurred_from: '2020-01-02',
        occurred_to: '2020-01-01',
        confidence: 'possible',
      },
    });
    assert.equal(badRange.statusCode, 400);
    assert.equal(badRange.json().fields[0].field, 'occurred_to');
    const badEvent = await world.app.inject({
      method: 'POST',
      url: listUrl(),
      headers: { cookie },
      payload: { item_id: itemId, event_type: 'smuggled', confidence: 'possible' },
    });
    assert.equal(badEvent.statusCode, 400);
    assert.equal(badEvent.json().fields[0].field, 'event_type');
  });

  it('rejects an item or actor of another investigation', async () => {
    const foreignItemId = await createTestItem(world.db, world.outsider, world.otherInvestigationId);
    const response = await world.app.inject({
      method: 'POST',
      url: listUrl(),
      headers: { cookie },
      payload: { item_id: foreignItemId, event_type: 'recovered', confidence: 'confirmed' },
    });
    assert.equal(response.statusCode, 422);
    assert.equal(response.json().code, 'reference_invalid');
    assert.equal(response.json().fields[0].field, 'item_id');

    const foreignActor = await createActor(world.db, world.outsider, world.otherInvestigationId, {
      actor_type: 'unit',
      name: 'Their unit',
    });
    const counterpart = await world.app.inject({
      method: 'POST',
      url: listUrl(),
      headers: { cookie },
      payload: { item_id: itemId, event_type: 'recovered', counterpart_id: foreignActor.id, confidence: 'confirmed' },
    });
    assert.equal(counterpart.statusCode, 422);
    assert.equal(counterpart.json().fields[0].field, 'counterpart_id');
  });

  it('hides another team’s provenance and keeps viewers from writing', async () => {
    const foreignItemId = await createTestItem(world.db, world.outsider, world.otherInvestigationId);
    const provenance = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${foreignItemId}/provenance`,
      headers: { cookie },
    });
    assert.equal(provenance.statusCode, 404);
    const list = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.otherInvestigationId}/provenance-claims`,
      headers: { cookie },
    });
    assert.equal(list.statusCode, 404);
    const foreign = await createProvenanceClaim(world.db, world.outsider, world.otherInvestigationId, {
      item_id: foreignItemId,
      event_type: 'recovered',
      confidence: 'confirmed',
    });
    const read = await world.app.inject({
      method: 'GET',
      url: `/api/v1/provenance-claims/${foreign.id}`,
      headers: { cookie },
    });
    assert.equal(read.statusCode, 404);

    await createTestUser(world.db, 'claim-viewer');
    await addMember(world.db, world.owner, world.investigationId, { username: 'claim-viewer', role: 'viewer' });
    const viewerCookie = await world.cookieFor('claim-viewer');
    const create = await world.app.inject({
      method: 'POST',
      url: listUrl(),
      headers: { cookie: viewerCookie },
      payload: { item_id: itemId, event_type: 'recovered', confidence: 'confirmed' },
    });
    assert.equal(create.statusCode, 403);
    const mine = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${itemId}/provenance`,
      headers: { cookie: viewerCookie },
    });
    assert.equal(mine.statusCode, 200);
  });

  it('audits every write with the row as stored', async () => {
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
  });
});
