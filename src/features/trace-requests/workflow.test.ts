import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { createActor } from '../actors/service.js';
import { verifyAudit } from '../audit/service.js';
import { addMember } from '../investigations/service.js';
import { createTraceRequest } from './service.js';
import { createProvenanceClaim } from '../provenance/service.js';
import { createTestItem, createTestMedia, createTestSite } from '../../testing/records.js';

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

describe('trace request lifecycle', () => {
  let world: TestWorld;
  let cookie: string;
  let stateId: string;
  let itemId: string;
  before(async () => {
    world = await createTestWorld();
    cookie = await world.cookieFor('owner');
    stateId = (
      await createActor(world.db, world.owner, world.investigationId, {
        actor_type: 'state',
        name: 'State A',
        country_code: 'AA',
      })
    ).id;
    itemId = await createTestItem(world.db, world.owner, world.investigationId, {
      markings: [{ text: 'LOT 7', kind: 'lot' }],
    });
  });
  after(async () => {
    await world.close();
  });

  const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    world.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload }) });

  it('goes from draft to sent, is reminded when overdue, gets its answer and documents, and keeps its history', async () => {
    const created = await inject('POST', `/api/v1/investigations/${world.investigationId}/trace-requests`, {
      addressee_id: stateId,
      subject: 'Lot 7 cartridges',
      lot_marking: 'LOT 7',
      item_ids: [itemId],
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;

    const letter = await createTestMedia(world.db, world.owner, world.investigationId, {
      original_filename: 'request-letter.pdf',
    });
    const attachedLetter = await inject('POST', `/api/v1/trace-requests/${id}/documents`, {
      media_id: letter,
      kind: 'request',
      description: 'Letter as sent',
    });
    assert.equal(attachedLetter.statusCode, 201, attachedLetter.body);
    assert.equal(attachedLetter.json().original_filename, 'request-letter.pdf');
    assert.equal(attachedLetter.json().media_type, 'application/pdf');

    // Sent 60 days ago, due 30 days ago: overdue by 30 days.
    const sent = await inject('PATCH', `/api/v1/trace-requests/${id}`, {
      version: 1,
      status: 'sent',
      sent_on: daysAgo(60),
      due_on: daysAgo(30),
    });
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal(sent.json().overdue, true);

    const reminders = await inject('GET', `/api/v1/investigations/${world.investigationId}/trace-requests/reminders`);
    assert.equal(reminders.statusCode, 200, reminders.body);
    assert.deepEqual(
      (reminders.json().items as { id: string; days_overdue: number; days_since_sent: number }[]).map((entry) => [
        entry.id,
        entry.days_overdue,
        entry.days_since_sent,
      ]),
      [[id, 30, 60]],
    );
    const earlier = await inject(
      'GET',
      `/api/v1/investigations/${world.investigationId}/trace-requests/reminders?as_of=${daysAgo(31)}`,
    );
    assert.deepEqual(earlier.json().items, [], 'not yet overdue the day before the due date');

    const acknowledged = await inject('PATCH', `/api/v1/trace-requests/${id}`, { version: 2, status: 'acknowledged' });
    assert.equal(acknowledged.statusCode, 200, acknowledged.body);
    const stillDue = await inject('GET', `/api/v1/investigations/${world.investigationId}/trace-requests/reminders`);
    assert.equal(stillDue.json().items.length, 1, 'an acknowledged request still awaits its answer');

    const answered = await inject('PATCH', `/api/v1/trace-requests/${id}`, {
      version: 3,
      status: 'answered',
      response_text: 'Lot 7 was delivered to State B in 2012.',
    });
    assert.equal(answered.statusCode, 200, answered.body);
    const answer = await createTestMedia(world.db, world.owner, world.investigationId, {
      original_filename: 'answer.pdf',
    });
    const attachedAnswer = await inject('POST', `/api/v1/trace-requests/${id}/documents`, {
      media_id: answer,
      kind: 'response',
    });
    assert.equal(attachedAnswer.statusCode, 201, attachedAnswer.body);
    const twice = await inject('POST', `/api/v1/trace-requests/${id}/documents`, { media_id: answer, kind: 'annex' });
    assert.equal(twice.statusCode, 409);
    assert.equal(twice.json().fields[0].field, 'media_id');

    const afterAnswer = await inject('GET', `/api/v1/investigations/${world.investigationId}/trace-requests/reminders`);
    assert.deepEqual(afterAnswer.json().items, [], 'an answered request needs no reminder');

    const detached = await inject('POST', `/api/v1/trace-request-documents/${attachedLetter.json().id}/archive`, {
      version: 1,
      reason: 'wrong scan attached',
    });
    assert.equal(detached.statusCode, 200, detached.body);
    const documents = await inject('GET', `/api/v1/trace-requests/${id}/documents`);
    assert.deepEqual(
      (documents.json().items as { kind: string }[]).map((document) => document.kind),
      ['response'],
    );
    const allDocuments = await inject('GET', `/api/v1/trace-requests/${id}/documents?include_archived=true`);
    assert.equal(allDocuments.json().items.length, 2);

    const closed = await inject('PATCH', `/api/v1/trace-requests/${id}`, { version: 4, status: 'closed' });
    assert.equal(closed.statusCode, 200, closed.body);

    const history = await inject('GET', `/api/v1/trace-requests/${id}/history`);
    assert.equal(history.statusCode, 200, history.body);
    const entries = history.json().entries as {
      action: string;
      actor_label: string;
      changes: { field: string; before: unknown; after: unknown }[];
    }[];
    assert.deepEqual(
      entries.map((entry) => entry.action),
      [
        'trace_request.create',
        'trace_request.link_item',
        'trace_request.attach_document',
        'trace_request.update',
        'trace_request.update',
        'trace_request.update',
        'trace_request.attach_document',
        'trace_request.detach_document',
        'trace_request.update',
      ],
    );
    assert.ok(entries.every((entry) => entry.actor_label === 'owner'));
    const statusChanges = entries
      .flatMap((entry) => entry.changes)
      .filter((change) => change.field === 'status')
      .map((change) => [change.before, change.after]);
    assert.deepEqual(statusChanges, [
      [null, 'draft'],
      ['draft', 'sent'],
      ['sent', 'acknowledged'],
      ['acknowledged', 'answered'],
      ['answered', 'closed'],
    ]);
    assert.ok(
      entries[5]!.changes.some(
        (change) => change.field === 'response_text' && change.after === 'Lot 7 was delivered to State B in 2012.',
      ),
    );
  });

  it('rejects a document of another investigation and keeps viewers and outsiders out', async () => {
    const request = await createTraceRequest(world.db, world.owner, world.investigationId, {
      addressee_id: stateId,
      subject: 'Checks',
    });
    const foreignMedia = await createTestMedia(world.db, world.outsider, world.otherInvestigationId, {
      original_filename: 'theirs.jpg',
    });
    const foreign = await inject('POST', `/api/v1/trace-requests/${request.id}/documents`, {
      media_id: foreignMedia,
      kind: 'annex',
    });
    assert.equal(foreign.statusCode, 422);
    assert.equal(foreign.json().code, 'reference_invalid');
    assert.equal(foreign.json().fields[0].field, 'media_id');

    const badKind = await inject('POST', `/api/v1/trace-requests/${request.id}/documents`, {
      media_id: foreignMedia,
      kind: 'letter',
    });
    assert.equal(badKind.statusCode, 400);
    assert.equal(badKind.json().fields[0].field, 'kind');

    const outsiderCookie = await world.cookieFor('outsider');
    for (const url of [
      `/api/v1/trace-requests/${request.id}/history`,
      `/api/v1/trace-requests/${request.id}/documents`,
      `/api/v1/investigations/${world.investigationId}/trace-requests/reminders`,
    ]) {
      const response = await world.app.inject({ method: 'GET', url, headers: { cookie: outsiderCookie } });
      assert.equal(response.statusCode, 404, url);
    }

    await createTestUser(world.db, 'doc-viewer');
    await addMember(world.db, world.owner, world.investigationId, { username: 'doc-viewer', role: 'viewer' });
    const media = await createTestMedia(world.db, world.owner, world.investigationId, { original_filename: 'x.jpg' });
    const byViewer = await world.app.inject({
      method: 'POST',
      url: `/api/v1/trace-requests/${request.id}/documents`,
      headers: { cookie: await world.cookieFor('doc-viewer') },
      payload: { media_id: media, kind: 'annex' },
    });
    assert.equal(byViewer.statusCode, 403);
  });

  it('audits every write with the row as stored', async () => {
    assert.deepEqual((await verifyAudit(world.db)).problems, []);
  });
});

describe('provenance across sites and contradictions', () => {
  let world: TestWorld;
  let cookie: string;
  before(async () => {
    world = await createTestWorld();
    cookie = await world.cookieFor('owner');
  });
  after(async () => {
    await world.close();
  });

  it('gives an item found at another site the claims about its lot, naming the lot they come from', async () => {
    const factory = await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'manufacturer',
      name: 'Factory 10',
      country_code: 'AA',
    });
    const northSite = await createTestSite(world.db, world.owner, world.investigationId, { name: 'North cache' });
    const southSite = await createTestSite(world.db, world.owner, world.investigationId, { name: 'South cache' });
    const northItem = await createTestItem(world.db, world.owner, world.investigationId, {
      siteId: northSite,
      markings: [{ text: 'ЛОТ 12-34', kind: 'lot' }],
    });
    const southItem = await createTestItem(world.db, world.owner, world.investigationId, {
      siteId: southSite,
      category: 'mortar_bomb',
      markings: [{ text: 'лот 12/34', kind: 'lot' }],
    });
    const claim = await createProvenanceClaim(world.db, world.owner, world.investigationId, {
      lot_marking: 'ЛОТ 12-34',
      event_type: 'produced',
      actor_id: factory.id,
      occurred_from: '2010-01-01',
      occurred_to: '2010-12-31',
      confidence: 'confirmed',
    });

    const south = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${southItem}/provenance`,
      headers: { cookie },
    });
    assert.equal(south.statusCode, 200, south.body);
    assert.deepEqual(
      (south.json().claims as { id: string; inherited_from_lot: string | null }[]).map((entry) => [
        entry.id,
        entry.inherited_from_lot,
      ]),
      [[claim.id, 'лот 12/34']],
      'the claim is shown with the lot marking (as written on this item) it is inherited through',
    );

    const lot = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/lot-provenance?lot_marking=${encodeURIComponent('Лот 1234')}`,
      headers: { cookie },
    });
    assert.equal(lot.statusCode, 200, lot.body);
    assert.deepEqual(
      (lot.json().items as { item_id: string; site_name: string }[])
        .map((entry) => [entry.item_id, entry.site_name])
        .sort(),
      [
        [northItem, 'North cache'],
        [southItem, 'South cache'],
      ].sort(),
    );
    assert.deepEqual(
      (lot.json().claims as { id: string }[]).map((entry) => entry.id),
      [claim.id],
    );
  });

  it('shows contradicting claims side by side, marked, and exports them in PROV-JSON', async () => {
    const stateA = await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'state',
      name: 'State A',
    });
    const stateB = await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'state',
      name: 'State B',
    });
    const recipient = await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'state',
      name: 'State C',
    });
    const itemId = await createTestItem(world.db, world.owner, world.investigationId, {
      externalRef: 'ITEM-9',
      markings: [{ text: 'LOT 9', kind: 'lot' }],
    });
    const byA = await createProvenanceClaim(world.db, world.owner, world.investigationId, {
      item_id: itemId,
      event_type: 'exported',
      actor_id: stateA.id,
      counterpart_id: recipient.id,
      occurred_from: '2011-01-01',
      occurred_to: '2011-12-31',
      confidence: 'probable',
      notes: 'INTERNAL: analyst doubts this',
    });
    const byB = await createProvenanceClaim(world.db, world.owner, world.investigationId, {
      lot_marking: 'LOT 9',
      event_type: 'exported',
      actor_id: stateB.id,
      occurred_from: '2011-06-01',
      confidence: 'possible',
    });
    // Same actor as the first, but dates that cannot both be true.
    const lateA = await createProvenanceClaim(world.db, world.owner, world.investigationId, {
      item_id: itemId,
      event_type: 'exported',
      actor_id: stateA.id,
      occurred_from: '2015-03-01',
      occurred_to: '2015-03-31',
      confidence: 'possible',
    });
    // Two transfers are two steps of a chain, not a contradiction.
    const firstTransfer = await createProvenanceClaim(world.db, world.owner, world.investigationId, {
      item_id: itemId,
      event_type: 'transferred',
      actor_id: recipient.id,
      occurred_from: '2013-01-01',
      confidence: 'possible',
    });
    const secondTransfer = await createProvenanceClaim(world.db, world.owner, world.investigationId, {
      item_id: itemId,
      event_type: 'transferred',
      actor_id: stateB.id,
      occurred_from: '2014-01-01',
      confidence: 'possible',
    });

    const response = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${itemId}/provenance`,
      headers: { cookie },
    });
    assert.equal(response.statusCode, 200, response.body);
    const claims = response.json().claims as { id: string; conflicts_with: string[] }[];
    const conflicts = new Map(claims.map((entry) => [entry.id, entry.conflicts_with]));
    assert.equal(claims.length, 5, 'every claim is kept: nothing is merged away');
    assert.deepEqual(conflicts.get(byA.id), [byB.id, lateA.id].sort());
    assert.deepEqual(conflicts.get(byB.id), [byA.id, lateA.id].sort());
    assert.deepEqual(conflicts.get(lateA.id), [byA.id, byB.id].sort());
    assert.deepEqual(conflicts.get(firstTransfer.id), []);
    assert.deepEqual(conflicts.get(secondTransfer.id), []);

    const prov = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${itemId}/provenance.prov.json`,
      headers: { cookie },
    });
    assert.equal(prov.statusCode, 200, prov.body);
    const document = prov.json();
    assert.equal(document.prefix.uuid, 'urn:uuid:');
    assert.equal(document.entity[`uuid:${itemId}`]['prov:label'], 'ITEM-9');
    assert.equal(Object.keys(document.activity).length, 5);
    assert.deepEqual(document.activity[`uuid:${byA.id}`]['armtrace:occurredFrom'], {
      $: '2011-01-01',
      type: 'xsd:date',
    });
    assert.deepEqual(document.activity[`uuid:${byA.id}`]['armtrace:conflictsWith'], [
      `uuid:${[byB.id, lateA.id].sort()[0]}`,
      `uuid:${[byB.id, lateA.id].sort()[1]}`,
    ]);
    assert.equal(document.activity[`uuid:${byB.id}`]['armtrace:inheritedFromLot'], 'LOT 9');
    const associations: Record<string, unknown>[] = Object.values(document.wasAssociatedWith);
    assert.ok(
      associations.some(
        (relation) =>
          relation['prov:activity'] === `uuid:${byA.id}` &&
          relation['prov:agent'] === `uuid:${recipient.id}` &&
          (relation['prov:role'] as { $: string }).$ === 'armtrace:counterpart',
      ),
    );
    const usages: Record<string, string>[] = Object.values(document.used);
    const lotUsage = usages.find((relation) => relation['prov:activity'] === `uuid:${byB.id}`);
    assert.match(
      lotUsage!['prov:entity']!,
      /^armtrace:lot-/,
      'a lot claim acts on the lot, which has the item as member',
    );
    assert.equal(Object.keys(document.hadMember).length, 1);
    assert.equal(document.agent[`uuid:${stateA.id}`]['prov:label'], 'State A');
    assert.ok(!prov.body.includes('INTERNAL'), 'notes are never exported');
  });

  it('audits every write with the row as stored', async () => {
    assert.deepEqual((await verifyAudit(world.db)).problems, []);
  });
});
