import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';

describe('investigations API', () => {
  let world: TestWorld;
  before(async () => {
    world = await createTestWorld();
  });
  after(async () => {
    await world.close();
  });

  it('requires sign-in', async () => {
    const response = await world.app.inject({ method: 'GET', url: '/api/v1/investigations' });
    assert.equal(response.statusCode, 401);
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(response.json().code, 'unauthenticated');
  });

  it('creates, lists, updates with a version check and archives', async () => {
    const cookie = await world.cookieFor('owner');
    const created = await world.app.inject({
      method: 'POST',
      url: '/api/v1/investigations',
      headers: { cookie },
      payload: { title: 'Workshop survey', summary: 'East bank' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const investigation = created.json();
    assert.equal(investigation.my_role, 'owner');
    assert.equal(investigation.version, 1);

    const listed = await world.app.inject({
      method: 'GET',
      url: '/api/v1/investigations?limit=1',
      headers: { cookie },
    });
    assert.equal(listed.statusCode, 200);
    assert.equal(listed.json().items.length, 1);
    assert.notEqual(listed.json().next_after, null);

    const updated = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/investigations/${investigation.id}`,
      headers: { cookie },
      payload: { version: 1, title: 'Workshop survey (east)' },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().version, 2);

    const stale = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/investigations/${investigation.id}`,
      headers: { cookie },
      payload: { version: 1, title: 'Lost update' },
    });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'version_conflict');

    const archived = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${investigation.id}/archive`,
      headers: { cookie },
      payload: { version: 2, reason: 'duplicate of another investigation' },
    });
    assert.equal(archived.statusCode, 200, archived.body);
    assert.equal(archived.json().archive_reason, 'duplicate of another investigation');
  });

  it('names the field of bad input', async () => {
    const cookie = await world.cookieFor('owner');
    const response = await world.app.inject({
      method: 'POST',
      url: '/api/v1/investigations',
      headers: { cookie },
      payload: { title: '' },
    });
    assert.equal(response.statusCode, 400);
    const problem = response.json();
    assert.equal(problem.code, 'validation_failed');
    assert.equal(problem.fields[0].field, 'title');
    assert.equal(problem.stack, undefined);
  });

  it('hides another team’s investigation', async () => {
    const cookie = await world.cookieFor('owner');
    const response = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.otherInvestigationId}`,
      headers: { cookie },
    });
    assert.equal(response.statusCode, 404);
    const overview = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.otherInvestigationId}/overview`,
      headers: { cookie },
    });
    assert.equal(overview.statusCode, 404);
  });

  it('lets an owner add a viewer who can read but not change', async () => {
    await createTestUser(world.db, 'reader');
    const ownerCookie = await world.cookieFor('owner');
    const added = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/members`,
      headers: { cookie: ownerCookie },
      payload: { username: 'reader', role: 'viewer' },
    });
    assert.equal(added.statusCode, 201, added.body);
    const readerCookie = await world.cookieFor('reader');
    const read = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}`,
      headers: { cookie: readerCookie },
    });
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().my_role, 'viewer');
    const change = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/investigations/${world.investigationId}`,
      headers: { cookie: readerCookie },
      payload: { version: 1, title: 'Renamed by a viewer' },
    });
    assert.equal(change.statusCode, 403);
    assert.equal(change.json().code, 'forbidden');
  });

  it('serves the OpenAPI document without sign-in', async () => {
    const response = await world.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(response.statusCode, 200);
    const document = response.json();
    assert.equal(document.openapi, '3.1.0');
    assert.ok(document.paths['/api/v1/investigations']);
  });
});
