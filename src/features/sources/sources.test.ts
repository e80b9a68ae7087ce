import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { addMember } from '../investigations/service.js';
import { createSource } from './service.js';

interface IdPage {
  items: { id: string }[];
}

describe('sources API', () => {
  let world: TestWorld;
  before(async () => {
    world = await createTestWorld();
    await createTestUser(world.db, 'reader');
    await createTestUser(world.db, 'fieldworker');
    await addMember(world.db, world.owner, world.investigationId, { username: 'reader', role: 'viewer' });
    await addMember(world.db, world.owner, world.investigationId, { username: 'fieldworker', role: 'investigator' });
  });
  after(async () => {
    await world.close();
  });

  it('creates with a grading, lists by kind and reliability, updates with a version check and archives', async () => {
    const cookie = await world.cookieFor('owner');
    const excerpt = '  在河边发现一处武器藏匿点。\n第二段  ';
    const created = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/sources`,
      headers: { cookie },
      payload: {
        kind: 'media_report',
        title: 'Cache found by the river',
        publisher: 'QQ News',
        url: 'https://news.qq.com/example',
        language: 'zh-Hans',
        published_on: '2017-03-04',
        excerpt,
        credit_line: 'Image source: QQ',
        reliability: 'B',
        credibility: 2,
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const source = created.json();
    assert.equal(source.grading, 'B2');
    assert.equal(source.excerpt, excerpt, 'the original text is kept exactly, white space included');
    assert.equal(source.published_on, '2017-03-04');
    assert.equal(source.version, 1);

    const ungraded = await createSource(world.db, world.owner, world.investigationId, {
      kind: 'interview',
      title: 'Interview with a local farmer',
      language: 'ar',
    });
    assert.equal(ungraded.grading, null);

    const byKind = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/sources?kind=interview`,
      headers: { cookie },
    });
    assert.equal(byKind.statusCode, 200, byKind.body);
    assert.deepEqual(
      byKind.json<IdPage>().items.map((row) => row.id),
      [ungraded.id],
    );
    const byReliability = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/sources?reliability=B`,
      headers: { cookie },
    });
    assert.deepEqual(
      byReliability.json<IdPage>().items.map((row) => row.id),
      [source.id],
    );
    const firstPage = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/sources?limit=1`,
      headers: { cookie },
    });
    assert.equal(firstPage.json().items.length, 1);
    assert.equal(firstPage.json().next_after, source.id);

    const updated = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/sources/${source.id}`,
      headers: { cookie },
      payload: { version: 1, credibility: 3, publisher: null },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().version, 2);
    assert.equal(updated.json().grading, 'B3');
    assert.equal(updated.json().publisher, null);
    assert.equal(updated.json().excerpt, excerpt);

    // A stale version: test/contract/versioned-records.test.ts (every versioned record).

    const archived = await world.app.inject({
      method: 'POST',
      url: `/api/v1/sources/${source.id}/archive`,
      headers: { cookie },
      payload: { version: 2, reason: 'same report as another source' },
    });
    assert.equal(archived.statusCode, 200, archived.body);
    assert.equal(archived.json().archive_reason, 'same report as another source');

    const afterArchive = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/sources`,
      headers: { cookie },
    });
    assert.ok(afterArchive.json<IdPage>().items.every((row) => row.id !== source.id));
    const withArchived = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/sources?include_archived=true`,
      headers: { cookie },
    });
    assert.ok(withArchived.json<IdPage>().items.some((row) => row.id === source.id));
    // Changing an archived source: test/contract/versioned-records.test.ts.
  });

  it('names the field of bad input', async () => {
    const cookie = await world.cookieFor('owner');
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'rumour', title: 'A' }, 'kind'],
      [{ kind: 'other', title: 'A', reliability: 'G' }, 'reliability'],
      [{ kind: 'other', title: 'A', credibility: 7 }, 'credibility'],
      [{ kind: 'other', title: 'A', language: 'English' }, 'language'],
      [{ kind: 'other', title: 'A', url: 'ftp://example.org/file' }, 'url'],
      [{ kind: 'other', title: 'A', published_on: '2017-02-30' }, 'published_on'],
      [{ kind: 'other', title: '   ' }, 'title'],
    ];
    for (const [payload, field] of cases) {
      const response = await world.app.inject({
        method: 'POST',
        url: `/api/v1/investigations/${world.investigationId}/sources`,
        headers: { cookie },
        payload,
      });
      assert.equal(response.statusCode, 400, `${field}: ${response.body}`);
      assert.equal(response.json().code, 'validation_failed');
      assert.equal(response.json().fields[0].field, field);
    }
  });

  it('hides another team’s sources', async () => {
    const theirs = await createSource(world.db, world.outsider, world.otherInvestigationId, {
      kind: 'official_document',
      title: 'Customs seizure notice',
    });
    const cookie = await world.cookieFor('owner');
    const get = await world.app.inject({ method: 'GET', url: `/api/v1/sources/${theirs.id}`, headers: { cookie } });
    assert.equal(get.statusCode, 404);
    const list = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.otherInvestigationId}/sources`,
      headers: { cookie },
    });
    assert.equal(list.statusCode, 404);
    const archive = await world.app.inject({
      method: 'POST',
      url: `/api/v1/sources/${theirs.id}/archive`,
      headers: { cookie },
      payload: { version: 1, reason: 'not ours to archive' },
    });
    assert.equal(archive.statusCode, 404);
  });

  it('lets a viewer read but not write, and an investigator edit only their own', async () => {
    const ownerSource = await createSource(world.db, world.owner, world.investigationId, {
      kind: 'field_documentation',
      title: 'Site photographs, day 1',
    });
    const readerCookie = await world.cookieFor('reader');
    const read = await world.app.inject({
      method: 'GET',
      url: `/api/v1/sources/${ownerSource.id}`,
      headers: { cookie: readerCookie },
    });
    assert.equal(read.statusCode, 200);
    const create = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/sources`,
      headers: { cookie: readerCookie },
      payload: { kind: 'other', title: 'Written by a viewer' },
    });
    assert.equal(create.statusCode, 403);
    assert.equal(create.json().code, 'forbidden');
    const patch = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/sources/${ownerSource.id}`,
      headers: { cookie: readerCookie },
      payload: { version: 1, title: 'Changed by a viewer' },
    });
    assert.equal(patch.statusCode, 403);

    const workerCookie = await world.cookieFor('fieldworker');
    const ownCreated = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/sources`,
      headers: { cookie: workerCookie },
      payload: { kind: 'field_documentation', title: 'Site photographs, day 2' },
    });
    assert.equal(ownCreated.statusCode, 201, ownCreated.body);
    const ownEdit = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/sources/${ownCreated.json().id}`,
      headers: { cookie: workerCookie },
      payload: { version: 1, notes: 'Photos 1-40' },
    });
    assert.equal(ownEdit.statusCode, 200, ownEdit.body);
    const othersEdit = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/sources/${ownerSource.id}`,
      headers: { cookie: workerCookie },
      payload: { version: 1, notes: 'Not mine' },
    });
    assert.equal(othersEdit.statusCode, 403);
  });

  it('describes its routes in the OpenAPI document', async () => {
    const response = await world.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(response.statusCode, 200, response.body);
    const paths = Object.keys(response.json<{ paths: Record<string, unknown> }>().paths);
    for (const path of [
      '/api/v1/investigations/{id}/sources',
      '/api/v1/sources/{id}',
      '/api/v1/sources/{id}/archive',
    ]) {
      assert.ok(paths.includes(path), path);
    }
  });

  it('audits every write so the chain and the records verify', async () => {
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
    assert.equal(result.ok, true);
  });
});
