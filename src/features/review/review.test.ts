import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { isPublishedRecord, wherePublished } from './repository.js';
import type { ReviewQueue, ReviewSettings, ReviewStatus } from './schema.js';

describe('review workflow', () => {
  let world: TestWorld;
  const cookies: Record<string, string> = {};

  async function request(who: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) {
    return world.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie: cookies[who]! },
      ...(payload === undefined ? {} : { payload }),
    });
  }

  async function ok<T>(who: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) {
    const response = await request(who, method, url, payload);
    assert.ok(response.statusCode < 300, `${method} ${url} as ${who}: ${response.statusCode} ${response.body}`);
    return response.json<T>();
  }

  async function refused(who: string, url: string, payload: object, status: number, code: string) {
    const response = await request(who, 'POST', url, payload);
    assert.equal(response.statusCode, status, response.body);
    assert.equal(response.json<{ code: string }>().code, code);
  }

  async function addSite(who: string, name: string): Promise<{ id: string; version: number }> {
    return ok(who, 'POST', `/investigations/${world.investigationId}/sites`, { site_type: 'cache', name });
  }

  const queue = (who: string, query = '') =>
    ok<ReviewQueue>(who, 'GET', `/investigations/${world.investigationId}/review-queue${query}`);

  before(async () => {
    world = await createTestWorld();
    cookies.owner = await world.cookieFor('owner');
    for (const [username, role] of [
      ['editor-a', 'editor'],
      ['editor-b', 'editor'],
      ['field', 'investigator'],
      ['reader', 'viewer'],
    ] as const) {
      await createTestUser(world.db, username);
      await ok('owner', 'POST', `/investigations/${world.investigationId}/members`, { username, role });
      cookies[username] = await world.cookieFor(username);
    }
  });
  after(async () => {
    await world.close();
  });

  it('starts as a draft, is submitted by its author and verified only by another owner or editor', async () => {
    const site = await addSite('field', 'Farm cellar');
    let status = await ok<ReviewStatus>('field', 'GET', `/records/site/${site.id}/review`);
    assert.equal(status.state, 'draft');
    assert.deepEqual(status.allowed, { submit: true, verify: false, publish: false, unpublish: false });

    await refused('editor-a', `/records/site/${site.id}/review/verify`, { version: 1 }, 409, 'review_state_invalid');
    await refused('reader', `/records/site/${site.id}/review/submit`, { version: 1 }, 403, 'forbidden');
    status = await ok<ReviewStatus>('field', 'POST', `/records/site/${site.id}/review/submit`, { version: 1 });
    assert.equal(status.state, 'submitted');
    await refused('field', `/records/site/${site.id}/review/submit`, { version: 1 }, 409, 'review_state_invalid');

    // Roles: an investigator or a viewer may not verify, whoever wrote the record.
    await refused('field', `/records/site/${site.id}/review/verify`, { version: 1 }, 403, 'forbidden');
    await refused('reader', `/records/site/${site.id}/review/verify`, { version: 1 }, 403, 'forbidden');
    // A stale version is refused: the verifier must have seen what they verify.
    await refused('editor-a', `/records/site/${site.id}/review/verify`, { version: 2 }, 409, 'version_conflict');

    status = await ok<ReviewStatus>('editor-a', 'POST', `/records/site/${site.id}/review/verify`, { version: 1 });
    assert.equal(status.state, 'verified');
    const verified = status.verified;
    assert.ok(verified !== null);
    assert.equal(verified.by.username, 'editor-a');
    assert.equal(verified.version, 1);
    assert.equal(verified.current, true);
    assert.ok(Date.parse(verified.at) > 0);

    const seenByReader = await ok<ReviewStatus>('reader', 'GET', `/records/site/${site.id}/review`);
    assert.equal(seenByReader.verified?.by.username, 'editor-a', 'every member sees who verified it and when');
    assert.deepEqual(seenByReader.allowed, { submit: false, verify: false, publish: false, unpublish: false });
  });

  it('refuses an author verifying their own record, the creator or the last editor', async () => {
    const own = await addSite('editor-a', 'Own depot');
    await ok('editor-a', 'POST', `/records/site/${own.id}/review/submit`, { version: 1 });
    const mine = await ok<ReviewStatus>('editor-a', 'GET', `/records/site/${own.id}/review`);
    assert.equal(mine.allowed.verify, false);
    assert.equal(mine.refusal, 'own_record');
    await refused('editor-a', `/records/site/${own.id}/review/verify`, { version: 1 }, 403, 'review_own_record');

    // The owner changes an investigator's submitted item: the owner is now one of its authors.
    const site = await addSite('field', 'Roadside');
    const item = await ok<{ id: string }>('field', 'POST', `/investigations/${world.investigationId}/items`, {
      site_id: site.id,
      category: 'small_arm',
    });
    await ok('field', 'POST', `/records/item/${item.id}/review/submit`, { version: 1 });
    await ok('owner', 'PATCH', `/items/${item.id}`, { version: 1, model: 'Corrected model' });
    await refused('owner', `/records/item/${item.id}/review/verify`, { version: 2 }, 403, 'review_own_record');
    const verified = await ok<ReviewStatus>('editor-b', 'POST', `/records/item/${item.id}/review/verify`, {
      version: 2,
    });
    assert.equal(verified.state, 'verified');
  });

  it('sends a corrected verified record back to submitted and keeps the verified version visible', async () => {
    const site = await addSite('field', 'Orchard cache');
    await ok('field', 'POST', `/records/site/${site.id}/review/submit`, { version: 1 });
    await ok('editor-b', 'POST', `/records/site/${site.id}/review/verify`, { version: 1 });

    const corrected = await ok<{ version: number }>('field', 'PATCH', `/sites/${site.id}`, {
      version: 1,
      name: 'Orchard cache (east)',
    });
    assert.equal(corrected.version, 2);
    const status = await ok<ReviewStatus>('editor-a', 'GET', `/records/site/${site.id}/review`);
    assert.equal(status.state, 'submitted');
    assert.equal(status.version, 2);
    const verified = status.verified;
    assert.ok(verified !== null);
    assert.equal(verified.version, 1, 'the last verified version stays named');
    assert.equal(verified.by.username, 'editor-b');
    assert.equal(verified.current, false);
    assert.equal(status.verified_values?.name, 'Orchard cache', 'the verified values come from the audit log');
    assert.equal(status.allowed.verify, true);

    // The same holds for a published record, whatever door the correction comes through.
    await ok('editor-a', 'POST', `/records/site/${site.id}/review/verify`, { version: 2 });
    await ok('editor-a', 'POST', `/records/site/${site.id}/review/publish`, { version: 2 });
    await ok('owner', 'PATCH', `/sites/${site.id}`, { version: 2, context: 'Found by a farmer' });
    const republished = await ok<ReviewStatus>('editor-b', 'GET', `/records/site/${site.id}/review`);
    assert.equal(republished.state, 'submitted');
    assert.equal(republished.verified?.version, 2);
  });

  it('publishes under the investigation’s rule, which only owners change (audited)', async () => {
    const site = await addSite('field', 'Workshop');
    await ok('field', 'POST', `/records/site/${site.id}/review/submit`, { version: 1 });
    let settings = await ok<ReviewSettings>(
      'editor-a',
      'GET',
      `/investigations/${world.investigationId}/review-settings`,
    );
    assert.equal(settings.publication_rule, 'verified');
    assert.equal(settings.can_change, false);
    await refused(
      'editor-a',
      `/records/site/${site.id}/review/publish`,
      { version: 1 },
      409,
      'publication_not_allowed',
    );

    const byEditor = await request('editor-a', 'PUT', `/investigations/${world.investigationId}/review-settings`, {
      version: settings.version,
      publication_rule: 'submitted',
    });
    assert.equal(byEditor.statusCode, 403, byEditor.body);
    settings = await ok<ReviewSettings>('owner', 'PUT', `/investigations/${world.investigationId}/review-settings`, {
      version: settings.version,
      publication_rule: 'submitted',
    });
    assert.equal(settings.publication_rule, 'submitted');
    const audited = await world.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('action', '=', 'investigation.publication_rule')
      .executeTakeFirstOrThrow();
    assert.equal((audited.after as { publication_rule: string }).publication_rule, 'submitted');

    await refused('field', `/records/site/${site.id}/review/publish`, { version: 1 }, 403, 'forbidden');
    const published = await ok<ReviewStatus>('editor-a', 'POST', `/records/site/${site.id}/review/publish`, {
      version: 1,
    });
    assert.equal(published.state, 'published');
    assert.equal(published.published?.by.username, 'editor-a');

    const rows = await wherePublished(world.db.selectFrom('sites').selectAll(), 'sites').execute();
    assert.ok(rows.some((row) => row.id === site.id));
    assert.ok(rows.every(isPublishedRecord));

    await ok('owner', 'PUT', `/investigations/${world.investigationId}/review-settings`, {
      version: settings.version,
      publication_rule: 'verified',
    });
  });

  it('lists what awaits my review: others’ submitted records, paged, sorted and filtered by kind', async () => {
    const names = ['Queue C', 'Queue A', 'Queue B'];
    const sites = [];
    for (const name of names) {
      const site = await addSite('field', name);
      await ok('field', 'POST', `/records/site/${site.id}/review/submit`, { version: 1 });
      sites.push(site);
    }
    const item = await ok<{ id: string }>('field', 'POST', `/investigations/${world.investigationId}/items`, {
      site_id: sites[0]!.id,
      category: 'fuze',
      external_ref: 'Q-1',
    });
    await ok('field', 'POST', `/records/item/${item.id}/review/submit`, { version: 1 });
    const marking = await ok<{ id: string }>('field', 'POST', `/items/${item.id}/markings`, {
      text: 'ABC 123',
      kind: 'serial',
    });
    await ok('field', 'POST', `/records/marking/${marking.id}/review/submit`, { version: 1 });
    const own = await addSite('editor-b', 'Queue own');
    await ok('editor-b', 'POST', `/records/site/${own.id}/review/submit`, { version: 1 });
    const draft = await addSite('field', 'Queue draft');

    const all = await queue('editor-b', '?sort=label&order=asc&limit=500');
    assert.equal(all.can_verify, true);
    const ids = all.items.map((entry) => entry.id);
    assert.ok(!ids.includes(own.id), 'not my own record');
    assert.ok(!ids.includes(draft.id), 'not a draft');
    assert.ok(ids.includes(item.id) && ids.includes(marking.id));
    const labels = all.items.filter((entry) => entry.label.startsWith('Queue')).map((entry) => entry.label);
    assert.deepEqual(labels, ['Queue A', 'Queue B', 'Queue C']);
    assert.equal(all.items.find((entry) => entry.id === item.id)?.site_id, sites[0]!.id);
    assert.equal(all.items.find((entry) => entry.id === marking.id)?.item_id, item.id);

    const onlySites = await queue('editor-b', '?kind=site&sort=label&order=desc&limit=500');
    assert.ok(onlySites.items.every((entry) => entry.kind === 'site'));
    assert.deepEqual(
      onlySites.items.filter((entry) => entry.label.startsWith('Queue')).map((entry) => entry.label),
      ['Queue C', 'Queue B', 'Queue A'],
    );

    // Page by page, one at a time, the same records in the same order; verifying one meanwhile keeps the paging.
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const page: ReviewQueue = await queue(
        'editor-b',
        `?sort=updated&order=asc&limit=1${after === null ? '' : `&after=${after}`}`,
      );
      paged.push(...page.items.map((entry) => entry.id));
      after = page.next_after;
      if (paged.length === 1) {
        await ok('editor-b', 'POST', `/records/${page.items[0]!.kind}/${page.items[0]!.id}/review/verify`, {
          version: page.items[0]!.version,
        });
      }
    } while (after !== null);
    const byUpdated = (await queue('editor-b', '?sort=updated&order=asc&limit=500')).items.map((entry) => entry.id);
    assert.deepEqual(paged.slice(1), byUpdated);

    // The queue of the author of the other records holds editor-b's; an investigator's holds nothing.
    const ofAuthor = await queue('editor-a', '?limit=500');
    assert.ok(ofAuthor.items.some((entry) => entry.id === own.id));
    const ofInvestigator = await queue('field');
    assert.deepEqual(ofInvestigator, { items: [], next_after: null, can_verify: false });
    const badSort = await request('editor-b', 'GET', `/investigations/${world.investigationId}/review-queue?sort=x`);
    assert.equal(badSort.statusCode, 400);
    const outsider = await request('editor-b', 'GET', `/investigations/${world.otherInvestigationId}/review-queue`);
    assert.equal(outsider.statusCode, 404);
  });

  it('leaves a record corrected by me out of my queue until someone else verifies it', async () => {
    const site = await addSite('field', 'Corrected by editor-b');
    await ok('field', 'POST', `/records/site/${site.id}/review/submit`, { version: 1 });
    await ok('editor-b', 'PATCH', `/sites/${site.id}`, { version: 1, context: 'Added detail' });
    const mine = await queue('editor-b', '?kind=site&limit=500');
    assert.ok(!mine.items.some((entry) => entry.id === site.id));
    const theirs = await queue('editor-a', '?kind=site&limit=500');
    assert.ok(theirs.items.some((entry) => entry.id === site.id));
  });

  it('takes records from offline sync as drafts, and a synced correction returns a verified one to submitted', async () => {
    const siteId = uuidv7();
    const itemId = uuidv7();
    const operation = (type: string, recordId: string, body: object, baseVersion?: number) => ({
      op_id: uuidv7(),
      captured_at: '2026-03-01T10:15:00+03:00',
      type,
      investigation_id: world.investigationId,
      record_id: recordId,
      ...(baseVersion === undefined ? {} : { base_version: baseVersion }),
      body,
    });
    const sync = (operations: object[]) =>
      ok<{ results: { status: string }[] }>('field', 'POST', '/sync', {
        device_id: uuidv7(),
        device_time: new Date().toISOString(),
        operations,
      });
    const created = await sync([
      operation('site.create', siteId, { site_type: 'cache', name: 'Synced cache' }),
      operation('item.create', itemId, { site_id: siteId, category: 'launcher' }),
    ]);
    assert.deepEqual(
      created.results.map((result) => result.status),
      ['created', 'created'],
    );
    for (const [kind, id] of [
      ['site', siteId],
      ['item', itemId],
    ] as const) {
      assert.equal((await ok<ReviewStatus>('field', 'GET', `/records/${kind}/${id}/review`)).state, 'draft');
    }
    await ok('field', 'POST', `/records/item/${itemId}/review/submit`, { version: 1 });
    await ok('editor-a', 'POST', `/records/item/${itemId}/review/verify`, { version: 1 });
    const corrected = await sync([operation('item.update', itemId, { observations: 'Seen again' }, 1)]);
    assert.deepEqual(
      corrected.results.map((result) => result.status),
      ['applied'],
    );
    const status = await ok<ReviewStatus>('editor-b', 'GET', `/records/item/${itemId}/review`);
    assert.equal(status.state, 'submitted');
    assert.equal(status.verified?.version, 1);
  });

  it('reviews nothing in an archived investigation', async () => {
    const investigation = await ok<{ id: string; version: number }>('owner', 'POST', '/investigations', {
      title: 'Closed case',
    });
    await ok('owner', 'POST', `/investigations/${investigation.id}/members`, { username: 'editor-a', role: 'editor' });
    const site = await ok<{ id: string }>('owner', 'POST', `/investigations/${investigation.id}/sites`, {
      site_type: 'cache',
      name: 'Closed cellar',
    });
    await ok('owner', 'POST', `/records/site/${site.id}/review/submit`, { version: 1 });
    await ok('owner', 'POST', `/investigations/${investigation.id}/archive`, {
      version: investigation.version,
      reason: 'case closed',
    });
    await refused('editor-a', `/records/site/${site.id}/review/verify`, { version: 1 }, 409, 'archived');
    const status = await ok<ReviewStatus>('editor-a', 'GET', `/records/site/${site.id}/review`);
    assert.deepEqual(status.allowed, { submit: false, verify: false, publish: false, unpublish: false });
    const archivedQueue = await ok<ReviewQueue>('editor-a', 'GET', `/investigations/${investigation.id}/review-queue`);
    assert.equal(archivedQueue.can_verify, false);
  });

  it('lets only an owner take a publication back, with a reason, to verified (or submitted when never verified)', async () => {
    const site = await addSite('field', 'Orchard cache');
    await ok('field', 'POST', `/records/site/${site.id}/review/submit`, { version: 1 });
    await ok('editor-a', 'POST', `/records/site/${site.id}/review/verify`, { version: 1 });
    await refused(
      'owner',
      `/records/site/${site.id}/review/unpublish`,
      { version: 1, reason: 'Too early' },
      409,
      'not_published',
    );
    let status = await ok<ReviewStatus>('editor-b', 'POST', `/records/site/${site.id}/review/publish`, { version: 1 });
    assert.equal(status.state, 'published');
    assert.equal(status.allowed.unpublish, false, 'an editor publishes but does not take back');
    status = await ok<ReviewStatus>('owner', 'GET', `/records/site/${site.id}/review`);
    assert.equal(status.allowed.unpublish, true);

    const url = `/records/site/${site.id}/review/unpublish`;
    await refused('editor-b', url, { version: 1, reason: 'Location too precise' }, 403, 'unpublish_not_allowed');
    await refused('field', url, { version: 1, reason: 'Location too precise' }, 403, 'unpublish_not_allowed');
    await refused('owner', url, { version: 1 }, 400, 'validation_failed');
    await refused('owner', url, { version: 1, reason: '  ' }, 400, 'validation_failed');
    await refused('owner', url, { version: 2, reason: 'Location too precise' }, 409, 'version_conflict');
    status = await ok<ReviewStatus>('owner', 'POST', url, { version: 1, reason: 'Location too precise' });
    assert.equal(status.state, 'verified', 'the verification still holds');
    const unpublished = status.unpublished;
    assert.ok(unpublished !== null);
    assert.equal(unpublished.reason, 'Location too precise');
    assert.equal(unpublished.by.username, 'owner');
    assert.equal(status.verified?.by.username, 'editor-a');
    assert.equal(status.allowed.unpublish, false);
    await refused('owner', url, { version: 1, reason: 'Again' }, 409, 'not_published');
    const stored = await world.db.selectFrom('sites').selectAll().where('id', '=', site.id).executeTakeFirstOrThrow();
    assert.equal(stored.review_state, 'verified');
    assert.equal(stored.unpublish_reason, 'Location too precise');
    assert.equal(stored.version, 1, 'a review step is not a change of content');
    const audited = await world.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'review.unpublish')
      .where('entity_id', '=', site.id)
      .executeTakeFirstOrThrow();
    assert.equal((audited.before as { review_state: string }).review_state, 'published');
    assert.equal((audited.after as { unpublish_reason: string }).unpublish_reason, 'Location too precise');

    // Published under the `submitted` rule without a verification: taken back to submitted, into the queues again.
    const settings = await ok<ReviewSettings>(
      'owner',
      'GET',
      `/investigations/${world.investigationId}/review-settings`,
    );
    await ok('owner', 'PUT', `/investigations/${world.investigationId}/review-settings`, {
      version: settings.version,
      publication_rule: 'submitted',
    });
    const unverified = await addSite('field', 'Roadside stash');
    await ok('field', 'POST', `/records/site/${unverified.id}/review/submit`, { version: 1 });
    await ok('editor-a', 'POST', `/records/site/${unverified.id}/review/publish`, { version: 1 });
    status = await ok<ReviewStatus>('owner', 'POST', `/records/site/${unverified.id}/review/unpublish`, {
      version: 1,
      reason: 'Not checked by a second person',
    });
    assert.equal(status.state, 'submitted');
    const latest = await ok<ReviewSettings>('owner', 'GET', `/investigations/${world.investigationId}/review-settings`);
    await ok('owner', 'PUT', `/investigations/${world.investigationId}/review-settings`, {
      version: latest.version,
      publication_rule: 'verified',
    });
  });

  it('audits every transition in the chain, which still verifies', async () => {
    const actions = await world.db
      .selectFrom('audit_log')
      .select('action')
      .distinct()
      .where('action', 'like', 'review.%')
      .execute();
    assert.deepEqual(actions.map((row) => row.action).sort(), [
      'review.publish',
      'review.submit',
      'review.unpublish',
      'review.verify',
    ]);
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
  });
});
