// Sign-in throttling behind a proxy (ARMTRACE_TRUST_PROXY, docs/deploy.md "Several servers"): with the proxy
// trusted, failures count per client address as the proxy forwards it (X-Forwarded-For), so two people behind
// the same proxy do not lock each other out; without it (or from a peer not trusted) the header is ignored, so a
// client cannot dodge the count by sending a new address with each guess. Runs on both databases.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FREE_FAILURES } from '../features/users/throttle.js';
import { createMediaTestApp, type MediaTestApp } from '../testing/media.js';
import { createTestUser, createTestWorld, testPassword, type TestWorld } from '../testing/test-database.js';

const proxy = '10.0.0.30';

describe('sign-in throttling and ARMTRACE_TRUST_PROXY', () => {
  let world: TestWorld;
  let behindProxy: MediaTestApp;
  let direct: MediaTestApp;

  before(async () => {
    world = await createTestWorld();
    behindProxy = await createMediaTestApp(world, { ARMTRACE_TRUST_PROXY: proxy });
    direct = await createMediaTestApp(world, { ARMTRACE_TRUST_PROXY: 'off' });
    await createTestUser(world.db, 'colleague');
  });
  after(async () => {
    await behindProxy.close();
    await direct.close();
    await world.close();
  });

  const signIn = (
    app: MediaTestApp,
    peer: string,
    forwardedFor: string | undefined,
    username: string,
    password: string,
  ) =>
    app.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      remoteAddress: peer,
      headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
      payload: { username, password },
    });

  const throttleKeys = async () =>
    (await world.db.selectFrom('sign_in_throttle').select('key').where('key', 'like', 'address:%').execute())
      .map((row) => row.key)
      .sort();

  it('counts per forwarded client address behind a trusted proxy: one client locked out, the other signs in', async () => {
    // Guesses at names that do not exist, so only the address count grows.
    for (let guess = 1; guess <= FREE_FAILURES.address; guess += 1) {
      const answer = await signIn(behindProxy, proxy, '203.0.113.10', `nobody-${guess}`, 'a wrong password');
      assert.equal(answer.statusCode, 401, answer.body);
    }
    const locked = await signIn(behindProxy, proxy, '203.0.113.10', 'colleague', testPassword);
    assert.equal(locked.statusCode, 429, locked.body);
    // Another client behind the same proxy is not locked out.
    const other = await signIn(behindProxy, proxy, '203.0.113.11', 'colleague', testPassword);
    assert.equal(other.statusCode, 200, other.body);
    assert.deepEqual(await throttleKeys(), ['address:203.0.113.10']);
    // The proxy itself was never counted, and a peer that is not the trusted proxy is not believed either.
    const forged = await signIn(behindProxy, '198.51.100.40', '203.0.113.12', 'nobody-x', 'a wrong password');
    assert.equal(forged.statusCode, 401);
    assert.deepEqual(await throttleKeys(), ['address:198.51.100.40', 'address:203.0.113.10']);
  });

  it('ignores X-Forwarded-For when no proxy is trusted: a new forged address per guess does not dodge the count', async () => {
    const peer = '198.51.100.20';
    for (let guess = 1; guess <= FREE_FAILURES.address; guess += 1) {
      const answer = await signIn(direct, peer, `192.0.2.${guess}`, `stranger-${guess}`, 'a wrong password');
      assert.equal(answer.statusCode, 401, answer.body);
    }
    const locked = await signIn(direct, peer, '192.0.2.200', 'colleague', testPassword);
    assert.equal(locked.statusCode, 429, locked.body);
    assert.ok(Number(locked.headers['retry-after']) >= 1);
    const keys = await throttleKeys();
    assert.ok(keys.includes(`address:${peer}`), keys.join(', '));
    assert.ok(!keys.some((key) => key.startsWith('address:192.0.2.')), keys.join(', '));
  });
});
