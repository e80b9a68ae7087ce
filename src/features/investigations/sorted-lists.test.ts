import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { createApiToken } from '../users/service.js';
import { addMember } from './service.js';

/** Members, API tokens and the audit log are sorted and paginated by the server (sort, order, limit, cursor). */
describe('server-side sort of members, API tokens and the audit log', () => {
  let world: TestWorld;
  let cookie: string;

  async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await world.app.inject({ method: 'GET', url, headers: { cookie } });
    return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
  }
  const firstField = (body: Record<string, unknown>) => (body.fields as { field: string }[] | undefined)?.[0]?.field;
  /** Every page of a list, following `next_after` (or another cursor field) until it ends. */
  async function allPages<Row>(
    url: string,
    cursor: { param: string; field: string } = { param: 'after', field: 'next_after' },
  ): Promise<Row[]> {
    const rows: Row[] = [];
    let next: string | number | null = null;
    do {
      const separator = url.includes('?') ? '&' : '?';
      const page: { status: number; body: Record<string, unknown> } = await get(
        next === null ? url : `${url}${separator}${cursor.param}=${next}`,
      );
      assert.equal(page.status, 200, JSON.stringify(page.body));
      rows.push(...(page.body.items as Row[]));
      next = page.body[cursor.field] as string | number | null;
    } while (next !== null);
    return rows;
  }

  before(async () => {
    world = await createTestWorld();
    cookie = await world.cookieFor('owner');
    const people = [
      { username: 'zara', role: 'viewer' },
      { username: 'bilal', role: 'editor' },
      { username: 'maya', role: 'investigator' },
      { username: 'adel', role: 'viewer' },
      { username: 'karim', role: 'editor' },
    ] as const;
    for (const person of people) {
      await createTestUser(world.db, person.username);
      await addMember(world.db, world.owner, world.investigationId, person);
    }
    for (const name of ['laptop', 'Backup job', 'ci', 'zeta script']) {
      await createApiToken(world.db, world.owner, { name, scope: 'read' }, 365);
    }
  });
  after(async () => {
    await world.close();
  });

  it('sorts members by name, role or date joined, in both directions, over pages', async () => {
    const base = `/api/v1/investigations/${world.investigationId}/members`;
    const names = async (query: string) =>
      (await allPages<{ username: string }>(`${base}?limit=2&${query}`)).map((member) => member.username);
    assert.deepEqual(await names('sort=username'), ['adel', 'bilal', 'karim', 'maya', 'owner', 'zara']);
    assert.deepEqual(await names('sort=username&order=desc'), ['zara', 'owner', 'maya', 'karim', 'bilal', 'adel']);
    assert.deepEqual(await names('sort=role'), ['owner', 'bilal', 'karim', 'maya', 'zara', 'adel']);
    assert.deepEqual(await names('sort=created&order=desc'), ['karim', 'adel', 'maya', 'bilal', 'zara', 'owner']);
    assert.deepEqual(await names('sort=username&q=A'), ['adel', 'bilal', 'karim', 'maya', 'zara']);
    const refused = await get(`${base}?sort=password`);
    assert.equal(refused.status, 400);
    assert.equal(firstField(refused.body), 'querystring.sort');
  });

  it('sorts API tokens by name, creation or last use, newest first by default', async () => {
    const names = async (query: string) =>
      (await allPages<{ name: string }>(`/api/v1/auth/tokens?limit=3&${query}`)).map((token) => token.name);
    assert.deepEqual(await names(''), ['zeta script', 'ci', 'Backup job', 'laptop']);
    assert.deepEqual(await names('sort=name&order=asc'), ['Backup job', 'ci', 'laptop', 'zeta script']);
    assert.deepEqual(await names('sort=name&order=desc&q=t'), ['zeta script', 'laptop']);
    assert.deepEqual(await names('sort=last_used&order=asc'), ['laptop', 'Backup job', 'ci', 'zeta script']);
    const refused = await get('/api/v1/auth/tokens?order=up');
    assert.equal(refused.status, 400);
    assert.equal(firstField(refused.body), 'querystring.order');
  });

  it('sorts the audit log by position, action, user or record, each page following the last', async () => {
    const base = `/api/v1/investigations/${world.investigationId}/audit`;
    const cursor = { param: 'after_seq', field: 'next_after_seq' };
    type Entry = { seq: number; action: string; actor_label: string; entity_type: string };
    const newest = await allPages<Entry>(`${base}?limit=2`, cursor);
    const positions = newest.map((entry) => entry.seq);
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => b - a),
    );
    assert.equal(new Set(positions).size, positions.length);
    const first = await get(`${base}?limit=2`);
    assert.equal(first.body.next_before_seq, positions[1], 'the newest-first cursor stays as it was');
    const byAction = await allPages<Entry>(`${base}?limit=2&sort=action&order=asc`, cursor);
    assert.equal(byAction.length, newest.length);
    const expected = [...newest].sort((a, b) => (a.action === b.action ? a.seq - b.seq : a.action < b.action ? -1 : 1));
    assert.deepEqual(
      byAction.map((entry) => entry.seq),
      expected.map((entry) => entry.seq),
    );
    const byRecord = await allPages<Entry>(`${base}?limit=3&sort=record&order=desc&action=membership`, cursor);
    assert.ok(byRecord.length > 0);
    assert.ok(byRecord.every((entry) => entry.action.startsWith('membership')));
    const byUser = await allPages<Entry>(`${base}?limit=4&sort=user&order=desc`, cursor);
    assert.equal(byUser.length, newest.length);
    const refused = await get(`${base}?sort=hash`);
    assert.equal(refused.status, 400);
    assert.equal(firstField(refused.body), 'querystring.sort');
  });
});
