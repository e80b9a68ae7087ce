import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { addMember } from '../investigations/service.js';
import { createTraceRequest } from '../trace-requests/service.js';
import { archiveProvenanceClaim, createProvenanceClaim } from '../provenance/service.js';
import type { MergePreview } from './schema.js';
import { createActor } from './service.js';

/** One field of every record in a list response. */
function pluck(body: unknown, list: 'items' | 'claims', field: string): unknown[] {
  return (body as Record<string, Record<string, unknown>[]>)[list]!.map((entry) => entry[field]);
}

describe('actors API', () => {
  let world: TestWorld;
  let ownerCookie: string;
  before(async () => {
    world = await createTestWorld();
    ownerCookie = await world.cookieFor('owner');
  });
  after(async () => {
    await world.close();
  });

  const actorsUrl = () => `/api/v1/investigations/${world.investigationId}/actors`;

  it('creates, reads, updates with a version check and archives an actor', async () => {
    const created = await world.app.inject({
      method: 'POST',
      url: actorsUrl(),
      headers: { cookie: ownerCookie },
      payload: {
        actor_type: 'manufacturer',
        name: '  Factory 10 ',
        aliases: [' Завод 10 ', 'Завод 10', '', 'F10'],
        country_code: 'ru',
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const actor = created.json();
    // Stored as sent, surrounding spaces included: text is never trimmed (issue #15, found by the fuzz test).
    assert.equal(actor.name, '  Factory 10 ');
    assert.deepEqual(actor.aliases, ['Завод 10', 'F10']);
    assert.equal(actor.country_code, 'RU');
    assert.equal(actor.version, 1);

    const read = await world.app.inject({
      method: 'GET',
      url: `/api/v1/actors/${actor.id}`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().name, '  Factory 10 ');

    const updated = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/actors/${actor.id}`,
      headers: { cookie: ownerCookie },
      payload: { version: 1, country_code: null, notes: 'Country unconfirmed' },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().country_code, null);
    assert.equal(updated.json().version, 2);

    // A stale version: test/contract/versioned-records.test.ts (every versioned record).

    const archived = await world.app.inject({
      method: 'POST',
      url: `/api/v1/actors/${actor.id}/archive`,
      headers: { cookie: ownerCookie },
      payload: { version: 2, reason: 'duplicate of another actor' },
    });
    assert.equal(archived.statusCode, 200, archived.body);
    assert.equal(archived.json().archive_reason, 'duplicate of another actor');

    const hidden = await world.app.inject({ method: 'GET', url: actorsUrl(), headers: { cookie: ownerCookie } });
    assert.ok(!pluck(hidden.json(), 'items', 'id').includes(actor.id));
    const shown = await world.app.inject({
      method: 'GET',
      url: `${actorsUrl()}?include_archived=true`,
      headers: { cookie: ownerCookie },
    });
    assert.ok(pluck(shown.json(), 'items', 'id').includes(actor.id));
  });

  it('filters by type, country and a name or alias in any case and script', async () => {
    await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'manufacturer',
      name: 'Arsenal Nord',
      aliases: ['Арсенал Север'],
      country_code: 'BG',
    });
    await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'state',
      name: 'Republic of Example',
      country_code: 'XE',
    });
    await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'armed_group',
      name: 'Group 50%_off',
    });

    const list = async (query: string) => {
      const response = await world.app.inject({
        method: 'GET',
        url: `${actorsUrl()}?${query}`,
        headers: { cookie: ownerCookie },
      });
      assert.equal(response.statusCode, 200, response.body);
      return (response.json().items as { name: string }[]).map((entry) => entry.name);
    };
    assert.deepEqual(await list('actor_type=state'), ['Republic of Example']);
    assert.deepEqual(await list('country_code=bg'), ['Arsenal Nord']);
    assert.deepEqual(await list(`q=${encodeURIComponent('арсенал')}`), ['Arsenal Nord']);
    assert.deepEqual(await list('q=NORD'), ['Arsenal Nord']);
    assert.deepEqual(await list(`q=${encodeURIComponent('%_')}`), ['Group 50%_off']);
    assert.deepEqual(await list('q=nothing-like-this'), []);

    await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'manufacturer',
      name: 'Factory 17',
      aliases: ['مَصْنَع ١٧ للذخيرة', 'Завод № 17'],
    });
    // Digits of any script, hamza forms of alef and the short-vowel marks do not keep an actor from being found.
    assert.deepEqual(await list(`q=${encodeURIComponent('مصنع 17')}`), ['Factory 17']);
    assert.deepEqual(await list(`q=${encodeURIComponent('١٧')}`), ['Factory 17']);
    assert.deepEqual(await list(`q=${encodeURIComponent('الذخيرة')}`), [], 'a word not in the alias');
    assert.deepEqual(await list(`q=${encodeURIComponent('للذخيره')}`), ['Factory 17'], 'teh marbuta as heh');
    assert.deepEqual(await list(`q=${encodeURIComponent('завод №')}`), ['Factory 17']);

    const renamed = await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'company',
      name: 'Old Trading Name',
    });
    const patched = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/actors/${renamed.id}`,
      headers: { cookie: ownerCookie },
      payload: { version: 1, aliases: ['ΝΕΑ ΕΜΠΟΡΙΚΗ'] },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().names_folded, undefined);
    assert.deepEqual(await list(`q=${encodeURIComponent('νεα εμπ')}`), ['Old Trading Name']);

    const firstPage = await world.app.inject({
      method: 'GET',
      url: `${actorsUrl()}?limit=1`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(firstPage.json().items.length, 1);
    assert.notEqual(firstPage.json().next_after, null);
  });

  it('names the field of bad input', async () => {
    const badCountry = await world.app.inject({
      method: 'POST',
      url: actorsUrl(),
      headers: { cookie: ownerCookie },
      payload: { actor_type: 'state', name: 'Somewhere', country_code: 'USA' },
    });
    assert.equal(badCountry.statusCode, 400);
    assert.equal(badCountry.json().code, 'validation_failed');
    assert.equal(badCountry.json().fields[0].field, 'country_code');

    const badType = await world.app.inject({
      method: 'POST',
      url: actorsUrl(),
      headers: { cookie: ownerCookie },
      payload: { actor_type: 'smuggler', name: 'Somebody' },
    });
    assert.equal(badType.statusCode, 400);
    assert.equal(badType.json().fields[0].field, 'actor_type');

    const badFilter = await world.app.inject({
      method: 'GET',
      url: `${actorsUrl()}?country_code=1`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(badFilter.statusCode, 400);
    assert.equal(badFilter.json().fields[0].field, 'querystring.country_code');
  });

  it('hides another team’s actors and keeps viewers from writing', async () => {
    const foreign = await createActor(world.db, world.outsider, world.otherInvestigationId, {
      actor_type: 'company',
      name: 'Foreign trading house',
    });
    const readForeign = await world.app.inject({
      method: 'GET',
      url: `/api/v1/actors/${foreign.id}`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(readForeign.statusCode, 404);
    const listForeign = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.otherInvestigationId}/actors`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(listForeign.statusCode, 404);

    await createTestUser(world.db, 'actor-viewer');
    await addMember(world.db, world.owner, world.investigationId, { username: 'actor-viewer', role: 'viewer' });
    const viewerCookie = await world.cookieFor('actor-viewer');
    const create = await world.app.inject({
      method: 'POST',
      url: actorsUrl(),
      headers: { cookie: viewerCookie },
      payload: { actor_type: 'unit', name: '3rd Brigade' },
    });
    assert.equal(create.statusCode, 403);
    assert.equal(create.json().code, 'forbidden');
    const own = await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'unit',
      name: '4th Brigade',
    });
    const change = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/actors/${own.id}`,
      headers: { cookie: viewerCookie },
      payload: { version: 1, name: 'Renamed by a viewer' },
    });
    assert.equal(change.statusCode, 403);
    const readable = await world.app.inject({ method: 'GET', url: actorsUrl(), headers: { cookie: viewerCookie } });
    assert.equal(readable.statusCode, 200);
  });

  it('keeps an actor name non-blank in the database too', async () => {
    await assert.rejects(
      world.db
        .insertInto('actors')
        .values({
          id: '01900000-0000-7000-8000-000000000001',
          investigation_id: world.investigationId,
          actor_type: 'other',
          name: '   ',
          names_folded: '',
          created_by: world.owner.userId,
          created_at: new Date(),
          updated_at: new Date(),
        })
        .execute(),
      (error: { code?: string }) => error.code === '23514',
    );
  });

  it('audits every write with the row as stored', async () => {
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
  });
});

describe('merging actors', () => {
  let world: TestWorld;
  let cookie: string;
  before(async () => {
    world = await createTestWorld();
    cookie = await world.cookieFor('owner');
  });
  after(async () => {
    await world.close();
  });

  const merge = (id: string, payload: object, headers: Record<string, string> = { cookie }) =>
    world.app.inject({ method: 'POST', url: `/api/v1/actors/${id}/merge`, headers, payload });

  it('keeps both names as aliases, moves every reference and archives the duplicate, audited', async () => {
    const kept = await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'manufacturer',
      name: 'Factory 10',
      aliases: ['F10'],
    });
    const duplicate = await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'manufacturer',
      name: 'Завод 10',
      aliases: ['f10', 'Plant No. 10'],
      country_code: 'RU',
    });
    const request = await createTraceRequest(world.db, world.owner, world.investigationId, {
      addressee_id: duplicate.id,
      subject: 'Lot 1',
    });
    const claim = await createProvenanceClaim(world.db, world.owner, world.investigationId, {
      lot_marking: 'LOT 1',
      event_type: 'transferred',
      actor_id: duplicate.id,
      counterpart_id: kept.id,
      confidence: 'possible',
    });
    const archivedClaim = await createProvenanceClaim(world.db, world.owner, world.investigationId, {
      lot_marking: 'LOT 2',
      event_type: 'produced',
      actor_id: duplicate.id,
      confidence: 'possible',
    });
    await archiveProvenanceClaim(world.db, world.owner, archivedClaim.id, { version: 1, reason: 'entered twice' });

    const response = await merge(duplicate.id, { into_id: kept.id, version: 1 });
    assert.equal(response.statusCode, 200, response.body);
    const result = response.json();
    assert.deepEqual(result.kept.aliases, ['F10', 'Завод 10', 'Plant No. 10']);
    assert.equal(result.kept.country_code, 'RU', 'the kept actor had no country: it takes the duplicate’s');
    assert.equal(result.merged.archive_reason, `merged into Factory 10 (${kept.id})`);
    assert.deepEqual(result.moved, { trace_requests: 1, provenance_claims: 2 });

    const movedRequest = await world.db
      .selectFrom('trace_requests')
      .selectAll()
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    assert.equal(movedRequest.addressee_id, kept.id);
    assert.equal(movedRequest.version, 2);
    const claims = await world.db
      .selectFrom('provenance_claims')
      .select(['id', 'actor_id', 'counterpart_id'])
      .where('id', 'in', [claim.id, archivedClaim.id])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      claims.map((row) => [row.actor_id, row.counterpart_id]),
      [
        [kept.id, kept.id],
        [kept.id, null],
      ],
    );

    const found = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/actors?q=${encodeURIComponent('завод')}`,
      headers: { cookie },
    });
    assert.deepEqual(pluck(found.json(), 'items', 'id'), [kept.id], 'the old name now finds the kept actor');

    const actions = await world.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', [
        'actor.merge_keep',
        'actor.merge_archive',
        'trace_request.reassign_actor',
        'provenance_claim.reassign_actor',
      ])
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      actions.map((entry) => entry.action),
      [
        'actor.merge_keep',
        'trace_request.reassign_actor',
        'provenance_claim.reassign_actor',
        'provenance_claim.reassign_actor',
        'actor.merge_archive',
      ],
    );
    assert.deepEqual((await verifyAudit(world.db)).problems, []);

    const again = await merge(duplicate.id, { into_id: kept.id });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'archived');
    const intoMerged = await merge(kept.id, { into_id: duplicate.id });
    assert.equal(intoMerged.statusCode, 409);
    assert.equal(intoMerged.json().fields[0].field, 'into_id');
  });

  it('previews a merge (aliases gained, requests and claims that move) without changing anything', async () => {
    const kept = await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'manufacturer',
      name: 'Arsenal 7',
      aliases: ['A7'],
    });
    const duplicate = await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'manufacturer',
      name: 'مصنع ٧',
      aliases: ['a7', 'Арсенал 7'],
      country_code: 'EG',
    });
    const request = await createTraceRequest(world.db, world.owner, world.investigationId, {
      addressee_id: duplicate.id,
      subject: 'Lot 7',
    });
    const claim = await createProvenanceClaim(world.db, world.owner, world.investigationId, {
      lot_marking: 'LOT 7',
      event_type: 'produced',
      actor_id: kept.id,
      counterpart_id: duplicate.id,
      confidence: 'possible',
    });
    const auditBefore = await world.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();

    const preview = await world.app.inject({
      method: 'GET',
      url: `/api/v1/actors/${duplicate.id}/merge-preview?into_id=${kept.id}`,
      headers: { cookie },
    });
    assert.equal(preview.statusCode, 200, preview.body);
    const body = preview.json<MergePreview>();
    assert.deepEqual(body.aliases_added, ['مصنع ٧', 'Арсенал 7'], 'a7 folds to A7, which the kept actor has');
    assert.deepEqual(body.aliases_after, ['A7', 'مصنع ٧', 'Арсенал 7']);
    assert.equal(body.country_code_after, 'EG');
    assert.deepEqual(
      body.trace_requests.map((entry) => entry.id),
      [request.id],
    );
    assert.deepEqual(
      body.provenance_claims.map((entry) => [entry.id, entry.role]),
      [[claim.id, 'counterpart']],
    );

    const auditAfter = await world.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(String(auditAfter.n), String(auditBefore.n), 'a preview writes nothing');
    const untouched = await world.db
      .selectFrom('actors')
      .select('version')
      .where('id', 'in', [kept.id, duplicate.id])
      .execute();
    assert.ok(untouched.every((row) => row.version === 1));

    const merged = await merge(duplicate.id, { into_id: kept.id, version: 1 });
    assert.equal(merged.statusCode, 200, merged.body);
    assert.deepEqual(merged.json().kept.aliases, body.aliases_after, 'the merge does what the preview said');
    assert.deepEqual(merged.json().moved, { trace_requests: 1, provenance_claims: 1 });

    const afterMerge = await world.app.inject({
      method: 'GET',
      url: `/api/v1/actors/${duplicate.id}/merge-preview?into_id=${kept.id}`,
      headers: { cookie },
    });
    assert.equal(afterMerge.statusCode, 409);
    assert.equal(afterMerge.json().code, 'archived');
    const itself = await world.app.inject({
      method: 'GET',
      url: `/api/v1/actors/${kept.id}/merge-preview?into_id=${kept.id}`,
      headers: { cookie },
    });
    assert.equal(itself.statusCode, 400);
    assert.equal(itself.json().fields[0].field, 'into_id');
  });

  it('refuses a merge into itself, into another investigation, with a stale version or by a lesser role', async () => {
    const first = await createActor(world.db, world.owner, world.investigationId, { actor_type: 'state', name: 'A' });
    const second = await createActor(world.db, world.owner, world.investigationId, { actor_type: 'state', name: 'B' });
    const itself = await merge(first.id, { into_id: first.id });
    assert.equal(itself.statusCode, 400);
    assert.equal(itself.json().fields[0].field, 'into_id');
    const badId = await merge(first.id, { into_id: 'not-a-uuid' });
    assert.equal(badId.statusCode, 400);
    assert.equal(badId.json().fields[0].field, 'into_id');

    const foreign = await createActor(world.db, world.outsider, world.otherInvestigationId, {
      actor_type: 'state',
      name: 'Theirs',
    });
    const across = await merge(first.id, { into_id: foreign.id });
    assert.equal(across.statusCode, 422);
    assert.equal(across.json().code, 'reference_invalid');
    const outsider = await merge(foreign.id, { into_id: first.id });
    assert.equal(outsider.statusCode, 404);

    const stale = await merge(first.id, { into_id: second.id, version: 7 });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'version_conflict');

    await createTestUser(world.db, 'merge-investigator');
    await addMember(world.db, world.owner, world.investigationId, {
      username: 'merge-investigator',
      role: 'investigator',
    });
    const byInvestigator = await merge(
      first.id,
      { into_id: second.id },
      { cookie: await world.cookieFor('merge-investigator') },
    );
    assert.equal(byInvestigator.statusCode, 403);
    const previewByInvestigator = await world.app.inject({
      method: 'GET',
      url: `/api/v1/actors/${first.id}/merge-preview?into_id=${second.id}`,
      headers: { cookie: await world.cookieFor('merge-investigator') },
    });
    assert.equal(previewByInvestigator.statusCode, 403);

    const untouched = await world.db
      .selectFrom('actors')
      .select(['id', 'version', 'archived_at'])
      .where('id', 'in', [first.id, second.id])
      .execute();
    assert.ok(
      untouched.every((row) => row.version === 1 && row.archived_at === null),
      'failed merges change nothing',
    );
  });
});
