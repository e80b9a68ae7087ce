import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, createTestWorld, testPassword, type TestWorld } from '../../testing/test-database.js';

interface SessionJson {
  id: string;
  user_agent: string | null;
  last_used_at: string | null;
  current: boolean;
}

describe('sessions: list your own, end one, sign out everywhere else', () => {
  let world: TestWorld;
  before(async () => {
    world = await createTestWorld();
  });
  after(async () => {
    await world.close();
  });

  async function signIn(username: string, userAgent: string): Promise<string> {
    const response = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      headers: { 'user-agent': userAgent },
      payload: { username, password: testPassword },
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.cookies.map((entry) => `${entry.name}=${entry.value}`).join('; ');
  }
  async function list(cookie: string, query = ''): Promise<SessionJson[]> {
    const response = await world.app.inject({
      method: 'GET',
      url: `/api/v1/auth/sessions${query}`,
      headers: { cookie },
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<{ items: SessionJson[] }>().items;
  }
  const me = (cookie: string) =>
    world.app
      .inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })
      .then((response) => response.statusCode);
  async function auditActions(): Promise<string[]> {
    const rows = await world.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'session.%')
      .orderBy('seq')
      .execute();
    return rows.map((row) => row.action);
  }

  it('lists only your own open sessions with the device and the last use, the current one marked', async () => {
    await createTestUser(world.db, 'traveller');
    const laptop = await signIn('traveller', 'Laptop Firefox/128');
    await signIn('traveller', 'Phone Chromium/130');
    await signIn('owner', 'Not theirs');
    const sessions = await list(laptop);
    assert.equal(sessions.length, 2);
    assert.deepEqual(sessions.map((session) => session.user_agent).sort(), [
      'Laptop Firefox/128',
      'Phone Chromium/130',
    ]);
    assert.deepEqual(
      sessions.filter((session) => session.current).map((session) => session.user_agent),
      ['Laptop Firefox/128'],
    );
    assert.ok(sessions.every((session) => session.last_used_at !== null));
    assert.ok(!JSON.stringify(sessions).includes('token_hash'));
    assert.deepEqual(
      (await list(laptop, '?q=phone')).map((session) => session.user_agent),
      ['Phone Chromium/130'],
    );
    const bySignIn = await list(laptop, '?sort=created_at');
    assert.equal(bySignIn[0]!.user_agent, 'Phone Chromium/130');
  });

  it('ends one session (audited); another user’s session is not found', async () => {
    await createTestUser(world.db, 'two-browsers');
    const here = await signIn('two-browsers', 'Here');
    const there = await signIn('two-browsers', 'There');
    const other = (await list(here)).find((session) => !session.current)!;
    const ownerSession = (await list(await signIn('owner', 'Owner browser')))[0]!;
    const notMine = await world.app.inject({
      method: 'POST',
      url: `/api/v1/auth/sessions/${ownerSession.id}/revoke`,
      headers: { cookie: here },
    });
    assert.equal(notMine.statusCode, 404, notMine.body);
    const ended = await world.app.inject({
      method: 'POST',
      url: `/api/v1/auth/sessions/${other.id}/revoke`,
      headers: { cookie: here },
    });
    assert.equal(ended.statusCode, 204, ended.body);
    assert.equal(await me(there), 401);
    assert.equal(await me(here), 200);
    assert.deepEqual(await auditActions(), ['session.revoke']);
    const audit = await world.db
      .selectFrom('audit_log')
      .select(['after'])
      .where('action', '=', 'session.revoke')
      .executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(audit.after).includes('token_hash'));
  });

  it('signs out everywhere else and keeps this session; an API token cannot manage sessions', async () => {
    await createTestUser(world.db, 'many-devices');
    const here = await signIn('many-devices', 'Here');
    const others = [await signIn('many-devices', 'A'), await signIn('many-devices', 'B')];
    const response = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sessions/revoke-others',
      headers: { cookie: here },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), { revoked: 2 });
    for (const cookie of others) assert.equal(await me(cookie), 401);
    assert.equal(await me(here), 200);
    assert.equal((await list(here)).length, 1);
    assert.deepEqual(await auditActions(), ['session.revoke', 'session.revoke_others']);

    const created = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: { cookie: here },
      payload: { name: 'script' },
    });
    const token = created.json<{ token: string }>().token;
    const byToken = await world.app.inject({
      method: 'GET',
      url: '/api/v1/auth/sessions',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(byToken.statusCode, 403, byToken.body);
  });
});
