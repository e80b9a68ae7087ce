/**
 * Two-factor sign-in (issue 15, item 4), through the HTTP API: enrolment, the second sign-in step, throttling,
 * replay, recovery codes, the administrator's reset, and enforcement for administrators and per investigation.
 * Codes are computed with otpauth, as an authenticator app would.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { visibleInvestigationIds } from '../access/service.js';
import { addMember } from '../investigations/service.js';
import { resetSecondFactor, secondFactorStatus } from './second-factor.js';
import { createApiToken, findUserByUsername } from './service.js';
import { createTestUser, createTestWorld, testPassword, type TestWorld } from '../../testing/test-database.js';

const PERIOD_MS = 30_000;

/**
 * A moment well inside a 30-second step (waits out the last two seconds of one), so that a code computed now is
 * still of the same step when the server checks it.
 */
async function steadyNow(): Promise<number> {
  const intoStep = Date.now() % PERIOD_MS;
  if (intoStep > PERIOD_MS - 2_000) await sleep(PERIOD_MS - intoStep + 50);
  return Date.now();
}

/** The code of the step `offset` steps from now (−1 and +1 are within the allowed drift). */
async function codeAt(secret: string, offset: number): Promise<string> {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.generate({ timestamp: (await steadyNow()) + offset * PERIOD_MS });
}

/** A code of the authenticator that matches no step within the drift. */
async function wrongCode(secret: string): Promise<string> {
  return codeAt(secret, 5);
}

describe('issue 15, item 4: two-factor sign-in', () => {
  let world: TestWorld;

  before(async () => {
    world = await createTestWorld();
  });
  after(async () => {
    await world.close();
  });

  function cookieOf(response: { cookies: { name: string; value: string }[] }): string {
    return response.cookies.map((entry) => `${entry.name}=${entry.value}`).join('; ');
  }

  async function signInWithPassword(username: string) {
    return world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { username, password: testPassword },
    });
  }

  async function secondStep(pendingToken: string, code: string) {
    return world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in/second-factor',
      payload: { pending_token: pendingToken, code },
    });
  }

  async function pendingToken(username: string): Promise<string> {
    const response = await signInWithPassword(username);
    assert.equal(response.statusCode, 202, response.body);
    const body = response.json<{ second_factor_required: boolean; pending_token: string }>();
    assert.equal(body.second_factor_required, true);
    assert.equal(response.cookies.length, 0, 'no session before the second factor');
    return body.pending_token;
  }

  /** Creates a user, signs in and enrols them: their cookie, secret and recovery codes. */
  async function enrolledUser(username: string, isAdmin = false) {
    await createTestUser(world.db, username, isAdmin);
    const signedIn = await signInWithPassword(username);
    assert.equal(signedIn.statusCode, 200, signedIn.body);
    const cookie = cookieOf(signedIn);
    const { secret, recovery_codes } = await enrol(cookie);
    return { cookie, secret, recoveryCodes: recovery_codes };
  }

  async function enrol(cookie: string) {
    const started = await world.app.inject({ method: 'POST', url: '/api/v1/auth/2fa/enrol', headers: { cookie } });
    assert.equal(started.statusCode, 201, started.body);
    const { otpauth_uri, secret } = started.json<{ otpauth_uri: string; secret: string }>();
    assert.match(otpauth_uri, /^otpauth:\/\/totp\/armtrace:.+\?.*secret=/);
    assert.ok(otpauth_uri.includes(`secret=${secret}`));
    // The step before now: the one after stays free for the sign-in that follows.
    const confirmed = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/2fa/confirm',
      headers: { cookie },
      payload: { code: await codeAt(secret, -1) },
    });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    const { recovery_codes } = confirmed.json<{ recovery_codes: string[] }>();
    assert.equal(recovery_codes.length, 10);
    assert.equal(new Set(recovery_codes).size, 10);
    return { secret, recovery_codes };
  }

  it('enrols: the secret is shown once, confirmed with a code, audited without the secret', async () => {
    const { cookie, secret } = await enrolledUser('tf-enrol');
    const status = await world.app.inject({ method: 'GET', url: '/api/v1/auth/2fa', headers: { cookie } });
    assert.equal(status.statusCode, 200);
    assert.deepEqual(
      { ...status.json<Record<string, unknown>>(), enabled_at: null },
      { enabled: true, enabled_at: null, enrolment_pending: false, recovery_codes_left: 10 },
    );
    const again = await world.app.inject({ method: 'POST', url: '/api/v1/auth/2fa/enrol', headers: { cookie } });
    assert.equal(again.statusCode, 409, 'an enabled factor is never shown or replaced');
    const audit = await world.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('entity_type', '=', 'second_factors')
      .execute();
    assert.deepEqual(
      audit.map((row) => row.action),
      ['second_factor.enrol_start', 'second_factor.enable'],
    );
    assert.ok(!JSON.stringify(audit).includes(secret), 'the secret never reaches the audit log');
  });

  it('a wrong code at confirmation does not enable the factor', async () => {
    await createTestUser(world.db, 'tf-wrong-confirm');
    const cookie = cookieOf(await signInWithPassword('tf-wrong-confirm'));
    const started = await world.app.inject({ method: 'POST', url: '/api/v1/auth/2fa/enrol', headers: { cookie } });
    const { secret } = started.json<{ secret: string }>();
    const confirmed = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/2fa/confirm',
      headers: { cookie },
      payload: { code: await wrongCode(secret) },
    });
    assert.equal(confirmed.statusCode, 400, confirmed.body);
    assert.equal(confirmed.json<{ code: string }>().code, 'second_factor_invalid');
    assert.equal((await signInWithPassword('tf-wrong-confirm')).statusCode, 200, 'password alone still suffices');
  });

  it('sign-in needs the code; a code is accepted once, never twice', async () => {
    const { secret } = await enrolledUser('tf-signin');
    const code = await codeAt(secret, 0);
    const done = await secondStep(await pendingToken('tf-signin'), code);
    assert.equal(done.statusCode, 200, done.body);
    const session = cookieOf(done);
    const me = await world.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: session } });
    assert.equal(me.json<{ username: string }>().username, 'tf-signin');

    const replayed = await secondStep(await pendingToken('tf-signin'), code);
    assert.equal(replayed.statusCode, 400, replayed.body);
    assert.equal(replayed.json<{ code: string }>().code, 'second_factor_invalid');

    // The next step (clock drift of one step) still works once.
    const next = await secondStep(await pendingToken('tf-signin'), await codeAt(secret, 1));
    assert.equal(next.statusCode, 200, next.body);
  });

  it('a pending sign-in is used once and is no session', async () => {
    const { secret } = await enrolledUser('tf-pending');
    const token = await pendingToken('tf-pending');
    const asCookie = await world.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: `armtrace_session=${token}` },
    });
    assert.equal(asCookie.statusCode, 401);
    assert.equal((await secondStep(token, await codeAt(secret, 0))).statusCode, 200);
    const reused = await secondStep(token, await codeAt(secret, 1));
    assert.equal(reused.statusCode, 401);
    assert.equal(reused.json<{ code: string }>().code, 'unauthenticated');
  });

  it('wrong codes are refused and throttled like wrong passwords', async () => {
    const { secret } = await enrolledUser('tf-throttle');
    const token = await pendingToken('tf-throttle');
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const refused = await secondStep(token, await wrongCode(secret));
      assert.equal(refused.statusCode, 400, `attempt ${attempt}: ${refused.body}`);
    }
    const locked = await secondStep(token, await codeAt(secret, 0));
    assert.equal(locked.statusCode, 429, locked.body);
    assert.equal(locked.json<{ code: string }>().code, 'too_many_attempts');
    assert.ok(Number(locked.headers['retry-after']) > 0);
    const throttle = await world.db
      .selectFrom('sign_in_throttle')
      .select('failures')
      .where('key', '=', 'account:tf-throttle')
      .executeTakeFirstOrThrow();
    assert.equal(throttle.failures, 5);
    // Leave the shared client address below its allowance for the other tests.
    await world.db.deleteFrom('sign_in_throttle').execute();
  });

  it('a recovery code finishes a sign-in once', async () => {
    const { cookie, recoveryCodes } = await enrolledUser('tf-recovery');
    const recoveryCode = recoveryCodes[3]!;
    const done = await secondStep(await pendingToken('tf-recovery'), recoveryCode.toUpperCase());
    assert.equal(done.statusCode, 200, done.body);
    const again = await secondStep(await pendingToken('tf-recovery'), recoveryCode);
    assert.equal(again.statusCode, 400, again.body);
    assert.equal(again.json<{ code: string }>().code, 'second_factor_invalid');
    const status = await world.app.inject({ method: 'GET', url: '/api/v1/auth/2fa', headers: { cookie } });
    assert.equal(status.json<{ recovery_codes_left: number }>().recovery_codes_left, 9);
    await world.db.deleteFrom('sign_in_throttle').execute();
  });

  it('disabling needs the password and a code', async () => {
    const { cookie, secret } = await enrolledUser('tf-disable');
    const noPassword = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/2fa/disable',
      headers: { cookie },
      payload: { password: 'not the password at all', code: await codeAt(secret, 0) },
    });
    assert.equal(noPassword.statusCode, 400);
    const noCode = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/2fa/disable',
      headers: { cookie },
      payload: { password: testPassword, code: await wrongCode(secret) },
    });
    assert.equal(noCode.statusCode, 400);
    assert.equal(noCode.json<{ code: string }>().code, 'second_factor_invalid');
    const disabled = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/2fa/disable',
      headers: { cookie },
      payload: { password: testPassword, code: await codeAt(secret, 0) },
    });
    assert.equal(disabled.statusCode, 204, disabled.body);
    assert.equal((await signInWithPassword('tf-disable')).statusCode, 200);
  });

  it('an administrator resets a user’s second factor, audited; the CLI-facing status shows it', async () => {
    await enrolledUser('tf-reset');
    const user = await world.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'tf-reset')
      .executeTakeFirstOrThrow();
    const byUser = await world.app.inject({
      method: 'POST',
      url: `/api/v1/users/${user.id}/2fa/reset`,
      headers: { cookie: await world.cookieFor('owner') },
    });
    assert.equal(byUser.statusCode, 403);
    const adminCookie = await world.cookieFor('admin');
    const reset = await world.app.inject({
      method: 'POST',
      url: `/api/v1/users/${user.id}/2fa/reset`,
      headers: { cookie: adminCookie },
    });
    assert.equal(reset.statusCode, 204, reset.body);
    const status = await world.app.inject({
      method: 'GET',
      url: `/api/v1/users/${user.id}/2fa`,
      headers: { cookie: adminCookie },
    });
    assert.equal(status.json<{ enabled: boolean }>().enabled, false);
    assert.equal((await signInWithPassword('tf-reset')).statusCode, 200, 'the password alone signs in again');
    const audited = await world.db
      .selectFrom('audit_log')
      .select('actor_label')
      .where('action', '=', 'second_factor.reset')
      .where('entity_id', '=', user.id)
      .executeTakeFirst();
    assert.equal(audited?.actor_label, 'admin');
  });

  it('the CLI’s status and reset (by user name, as the local administrator)', async () => {
    await enrolledUser('tf-cli');
    const cliActor = { ...world.admin, via: 'cli' as const };
    const user = await findUserByUsername(world.db, 'tf-cli');
    assert.equal((await secondFactorStatus(world.db, cliActor, user.id)).enabled, true);
    await assert.rejects(secondFactorStatus(world.db, { ...world.owner, via: 'cli' }, user.id), { code: 'forbidden' });
    await resetSecondFactor(world.db, cliActor, { username: 'tf-cli' });
    assert.equal((await secondFactorStatus(world.db, cliActor, user.id)).enabled, false);
    await assert.rejects(resetSecondFactor(world.db, cliActor, { username: 'tf-cli' }), { code: 'not_found' });
  });

  it('ARMTRACE_REQUIRE_2FA_ADMINS: an administrator without TOTP gets 403 until enrolled; enrolment stays open', async () => {
    const adminActor = await createTestUser(world.db, 'tf-admin', true);
    const cookie = cookieOf(await signInWithPassword('tf-admin'));
    world.config.requireSecondFactorForAdmins = true;
    try {
      const refused = await world.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie } });
      assert.equal(refused.statusCode, 403, refused.body);
      assert.equal(refused.json<{ code: string }>().code, 'second_factor_required');
      const me = await world.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
      assert.equal(me.statusCode, 200);
      const { token } = await createApiToken(world.db, adminActor, { name: 'script' }, 30);
      const byToken = await world.app.inject({
        method: 'GET',
        url: '/api/v1/users',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(byToken.statusCode, 403, 'a token does not get around the requirement');
      await enrol(cookie);
      const allowed = await world.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie } });
      assert.equal(allowed.statusCode, 200, allowed.body);
      const member = await world.app.inject({
        method: 'GET',
        url: '/api/v1/users',
        headers: { cookie: await world.cookieFor('owner') },
      });
      assert.equal(member.statusCode, 403);
      assert.equal(member.json<{ code: string }>().code, 'forbidden', 'non-administrators are not concerned');
    } finally {
      world.config.requireSecondFactorForAdmins = false;
    }
  });

  it('an investigation that requires it: members without TOTP get 403 second_factor_required, then OK after enrolment', async () => {
    const ownerCookie = await world.cookieFor('owner');
    const url = `/api/v1/investigations/${world.investigationId}/second-factor`;
    const ownerFirst = await world.app.inject({
      method: 'PUT',
      url,
      headers: { cookie: ownerCookie },
      payload: { required: true },
    });
    assert.equal(ownerFirst.statusCode, 403, 'the owner enrols before requiring it');
    assert.equal(ownerFirst.json<{ code: string }>().code, 'second_factor_required');
    await enrol(ownerCookie);
    const set = await world.app.inject({
      method: 'PUT',
      url,
      headers: { cookie: ownerCookie },
      payload: { required: true },
    });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(set.json(), { investigation_id: world.investigationId, required: true });

    const member = await createTestUser(world.db, 'tf-member');
    await addMember(world.db, world.owner, world.investigationId, { username: member.username, role: 'editor' });
    const memberCookie = cookieOf(await signInWithPassword('tf-member'));
    const sites = `/api/v1/investigations/${world.investigationId}/sites`;
    const refused = await world.app.inject({ method: 'GET', url: sites, headers: { cookie: memberCookie } });
    assert.equal(refused.statusCode, 403, refused.body);
    assert.equal(refused.json<{ code: string }>().code, 'second_factor_required');
    const outsider = await world.app.inject({
      method: 'GET',
      url: sites,
      headers: { cookie: await world.cookieFor('outsider') },
    });
    assert.equal(outsider.statusCode, 404, 'outsiders learn nothing about the requirement');
    const otherInvestigation = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.otherInvestigationId}/sites`,
      headers: { cookie: await world.cookieFor('outsider') },
    });
    assert.equal(otherInvestigation.statusCode, 200, 'other investigations are not concerned');

    assert.deepEqual(await visibleInvestigationIds(world.db, member), [], 'left out of searches across investigations');

    await enrol(memberCookie);
    assert.deepEqual(await visibleInvestigationIds(world.db, member), [world.investigationId]);
    const allowed = await world.app.inject({ method: 'GET', url: sites, headers: { cookie: memberCookie } });
    assert.equal(allowed.statusCode, 200, allowed.body);

    const audited = await world.db
      .selectFrom('audit_log')
      .select(['action', 'investigation_id'])
      .where('action', '=', 'investigation.second_factor')
      .execute();
    assert.deepEqual(audited, [{ action: 'investigation.second_factor', investigation_id: world.investigationId }]);
  });
});
