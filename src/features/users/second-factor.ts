/**
 * Two-factor sign-in (issue 15, item 4): TOTP after RFC 6238 (SHA-1, 6 digits, 30-second steps, one step of
 * clock drift either way) and ten one-time recovery codes. A code is accepted once: the time step of the last
 * accepted code is kept and only later steps pass. Wrong codes count toward the sign-in throttle (throttle.ts)
 * exactly as wrong passwords do.
 */
import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Kysely } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import { v7 as uuidv7 } from 'uuid';
import type { DB, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireAdmin, requireRole } from '../access/service.js';
import { recordChange } from '../audit/service.js';
import * as usersRepository from './repository.js';
import { accountKey, addressKey, checkThrottle, clearAccount, recordFailure } from './throttle.js';

const ISSUER = 'armtrace';
const PERIOD_SECONDS = 30;
const RECOVERY_CODE_COUNT = 10;
/** How long the password step of a user with TOTP waits for the code. */
export const PENDING_SIGN_IN_MINUTES = 5;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function totpFor(secret: string, username: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label: username,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/**
 * The time step a code belongs to, when it matches the current step or one step before or after; else undefined.
 */
function matchingStep(secret: string, username: string, code: string, now: Date): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totpFor(secret, username).validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return undefined;
  return TOTP.counter({ period: PERIOD_SECONDS, timestamp: now.getTime() }) + delta;
}

/** A recovery code: 80 random bits as four groups of four base32 letters, e.g. `k7qp-2mzd-x4fa-9wre`. */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = randomBytes(16);
  const letters = Array.from(bytes, (byte) => alphabet[byte % 32]).join('');
  return letters.match(/.{4}/g)!.join('-');
}

/** Recovery codes are compared without case, spaces or dashes, as people type them back. */
function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/** What the audit log keeps of a second factor: never the secret. */
function auditView(row: Row<'second_factors'> | undefined) {
  return row === undefined
    ? null
    : { user_id: row.user_id, enabled_at: row.enabled_at, created_at: row.created_at, updated_at: row.updated_at };
}

function requireSignedInWithPassword(actor: Actor): void {
  if (actor.token !== undefined) {
    throw new DomainError('forbidden', 'An API token cannot change two-factor sign-in; sign in with your password.');
  }
}

export interface SecondFactorStatus {
  enabled: boolean;
  enabled_at: string | null;
  enrolment_pending: boolean;
  recovery_codes_left: number;
}

async function statusOf(db: Queryable, userId: string): Promise<SecondFactorStatus> {
  const row = await usersRepository.findSecondFactor(db, userId);
  return {
    enabled: row?.enabled_at != null,
    enabled_at: row?.enabled_at?.toISOString() ?? null,
    enrolment_pending: row !== undefined && row.enabled_at === null,
    recovery_codes_left: row?.enabled_at == null ? 0 : await usersRepository.countUnusedRecoveryCodes(db, userId),
  };
}

/** Whether the user has a confirmed second factor. */
export async function hasSecondFactor(db: Queryable, userId: string): Promise<boolean> {
  return (await usersRepository.findSecondFactor(db, userId))?.enabled_at != null;
}

/** The actor's own second-factor status, or any user's for administrators. */
export async function secondFactorStatus(
  db: Kysely<DB>,
  actor: Actor,
  userId: string = actor.userId,
): Promise<SecondFactorStatus> {
  if (userId !== actor.userId) requireAdmin(actor);
  return statusOf(db, userId);
}

/**
 * Starts enrolment: makes a new secret and returns it with its otpauth:// URI, to be shown once. Nothing changes
 * for sign-in until {@link confirmEnrolment} receives a code. Refused when a second factor is already enabled.
 *
 * @example
 * const { otpauth_uri, secret } = await startEnrolment(db, actor);
 */
export async function startEnrolment(db: Kysely<DB>, actor: Actor): Promise<{ otpauth_uri: string; secret: string }> {
  requireSignedInWithPassword(actor);
  const secret = new Secret({ size: 20 }).base32;
  return db.transaction().execute(async (trx) => {
    const row = await usersRepository.upsertPendingSecondFactor(trx, actor.userId, secret, new Date());
    if (row === undefined) {
      throw new DomainError(
        'already_exists',
        'Two-factor sign-in is already enabled; disable it first to enrol another authenticator.',
      );
    }
    await recordChange(trx, actor, {
      action: 'second_factor.enrol_start',
      entityType: 'second_factors',
      entityId: actor.userId,
      investigationId: null,
      after: auditView(row),
    });
    return { otpauth_uri: totpFor(secret, actor.username).toString(), secret };
  });
}

/**
 * Confirms enrolment with a current code: the second factor is enabled and ten recovery codes are made,
 * returned once and stored as SHA-256 hashes.
 *
 * @example
 * const { recovery_codes } = await confirmEnrolment(db, actor, '492039');
 */
export async function confirmEnrolment(
  db: Kysely<DB>,
  actor: Actor,
  code: string,
): Promise<{ recovery_codes: string[] }> {
  requireSignedInWithPassword(actor);
  const now = new Date();
  return db.transaction().execute(async (trx) => {
    const before = await usersRepository.findSecondFactor(trx, actor.userId);
    if (before === undefined || before.enabled_at !== null) {
      throw new DomainError('not_found', 'No enrolment is waiting for a code; start one with POST /auth/2fa/enrol.');
    }
    const step = matchingStep(before.secret, actor.username, code.trim(), now);
    const after =
      step === undefined ? undefined : await usersRepository.useSecondFactorStep(trx, actor.userId, step, now, true);
    if (after === undefined) {
      throw new DomainError('second_factor_invalid', 'The code does not match; check the authenticator’s clock.');
    }
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await usersRepository.insertRecoveryCodes(
      trx,
      codes.map((recoveryCode) => ({
        id: uuidv7(),
        user_id: actor.userId,
        code_hash: sha256(normaliseRecoveryCode(recoveryCode)),
        created_at: now,
      })),
    );
    await recordChange(trx, actor, {
      action: 'second_factor.enable',
      entityType: 'second_factors',
      entityId: actor.userId,
      investigationId: null,
      before: auditView(before),
      after: auditView(after),
    });
    return { recovery_codes: codes };
  });
}

/**
 * Disables the actor's own second factor, given the password and a current code (or a recovery code).
 *
 * @example
 * await disableOwnSecondFactor(db, actor, { password: '…', code: '492039' });
 */
export async function disableOwnSecondFactor(
  db: Kysely<DB>,
  actor: Actor,
  input: { password: string; code: string },
): Promise<void> {
  requireSignedInWithPassword(actor);
  const user = await usersRepository.findUserById(db, actor.userId);
  if (user === undefined || !(await argon2.verify(user.password_hash, input.password))) {
    // 400, not 401: the session is fine, and a 401 would sign the web app out.
    throw new DomainError('validation_failed', 'The password is wrong.', [
      { field: 'password', message: 'is wrong', code: 'password_wrong' },
    ]);
  }
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    const before = await usersRepository.findSecondFactor(trx, actor.userId);
    if (before?.enabled_at == null) throw new DomainError('not_found', 'Two-factor sign-in is not enabled.');
    if (!(await acceptCode(trx, user, before, input.code, now))) {
      throw new DomainError('second_factor_invalid', 'The code is wrong, expired or already used.');
    }
    await usersRepository.deleteSecondFactor(trx, actor.userId);
    await recordChange(trx, actor, {
      action: 'second_factor.disable',
      entityType: 'second_factors',
      entityId: actor.userId,
      investigationId: null,
      before: auditView(before),
    });
  });
}

/**
 * Removes a user's second factor and recovery codes (administrators; audited), for someone who lost both the
 * authenticator and the codes. They sign in with the password alone until they enrol again.
 *
 * @example
 * await resetSecondFactor(db, admin, { username: 'amira' });
 */
export async function resetSecondFactor(
  db: Kysely<DB>,
  actor: Actor,
  who: { username: string } | { id: string },
): Promise<void> {
  requireAdmin(actor);
  requireSignedInWithPassword(actor);
  await db.transaction().execute(async (trx) => {
    const user =
      'id' in who
        ? await usersRepository.findUserById(trx, who.id)
        : await usersRepository.findUserByUsername(trx, who.username);
    if (user === undefined) throw new DomainError('not_found', 'There is no such user.');
    const before = await usersRepository.deleteSecondFactor(trx, user.id);
    if (before === undefined) throw new DomainError('not_found', `${user.username} has no second factor to reset.`);
    await recordChange(trx, actor, {
      action: 'second_factor.reset',
      entityType: 'second_factors',
      entityId: user.id,
      investigationId: null,
      before: auditView(before),
    });
  });
}

/** Accepts a TOTP code of a later step than the last one used, or an unused recovery code (spent by this). */
async function acceptCode(
  db: Queryable,
  user: Row<'users'>,
  factor: Row<'second_factors'>,
  code: string,
  now: Date,
): Promise<boolean> {
  const trimmed = code.trim();
  if (/^\d{6}$/.test(trimmed)) {
    const step = matchingStep(factor.secret, user.username, trimmed, now);
    return (
      step !== undefined && (await usersRepository.useSecondFactorStep(db, user.id, step, now, false)) !== undefined
    );
  }
  const spent = await usersRepository.useRecoveryCode(db, user.id, sha256(normaliseRecoveryCode(trimmed)), now);
  return spent !== undefined;
}

/**
 * The password step of a user with TOTP: a short-lived pending sign-in, no session yet.
 */
export async function startPendingSignIn(
  db: Queryable,
  user: Row<'users'>,
  now: Date,
): Promise<{ pendingToken: string; expiresAt: Date }> {
  const pendingToken = `atp_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + PENDING_SIGN_IN_MINUTES * 60_000);
  await usersRepository.insertPendingSignIn(db, {
    id: uuidv7(),
    user_id: user.id,
    token_hash: sha256(pendingToken),
    created_at: now,
    expires_at: expiresAt,
  });
  return { pendingToken, expiresAt };
}

/**
 * The second step: a TOTP code or a recovery code finishes a pending sign-in and returns its user, whose session
 * the caller makes. Throttled like passwords; a wrong code counts as a failed sign-in.
 *
 * @example
 * const user = await finishPendingSignIn(db, { pending_token, code: '492039' }, request.ip);
 */
export async function finishPendingSignIn(
  db: Kysely<DB>,
  input: { pending_token: string; code: string },
  clientAddress: string | undefined,
): Promise<Row<'users'>> {
  const now = new Date();
  const found = await usersRepository.findPendingSignIn(db, sha256(input.pending_token), now);
  if (found === undefined) {
    throw new DomainError('unauthenticated', 'The sign-in expired or was already finished; sign in again.');
  }
  const { pending, user } = found;
  const keys = {
    account: accountKey(user.username),
    address: clientAddress === undefined ? undefined : addressKey(clientAddress),
  };
  await checkThrottle(db, keys.address === undefined ? [keys.account] : [keys.account, keys.address], now);
  const refused = new Error('second factor refused');
  const accepted = await db
    .transaction()
    .execute(async (trx) => {
      // The pending sign-in is claimed first, so that two requests racing with it cannot both finish it; a
      // refused code rolls the claim (and a spent recovery code) back.
      if (!(await usersRepository.finishPendingSignIn(trx, pending.id, now))) throw refused;
      const factor = await usersRepository.findSecondFactor(trx, user.id);
      // Reset by an administrator meanwhile: the password step suffices.
      if (factor?.enabled_at != null && !(await acceptCode(trx, user, factor, input.code, now))) throw refused;
      return true;
    })
    .catch((error: unknown) => {
      if (error === refused) return false;
      throw error;
    });
  if (!accepted) {
    await recordFailure(db, keys, now);
    throw new DomainError('second_factor_invalid', 'The code is wrong, expired or already used.');
  }
  await clearAccount(db, user.username);
  return user;
}

/**
 * Requires (or stops requiring) a second factor of every member of an investigation (owners; audited). Members
 * without one get 403 `second_factor_required` on its routes until they enrol.
 *
 * @example
 * await setInvestigationSecondFactor(db, owner, investigationId, true);
 */
export async function setInvestigationSecondFactor(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  required: boolean,
): Promise<{ investigation_id: string; required: boolean }> {
  requireSignedInWithPassword(actor);
  return db.transaction().execute(async (trx) => {
    await requireRole(trx, actor, investigationId, 'owner');
    const before = await usersRepository.findInvestigationSecondFactor(trx, investigationId);
    // Turning the requirement on must not lock out the owner doing it.
    if (required && before?.required !== true && actor.via === 'api' && !(await hasSecondFactor(trx, actor.userId))) {
      throw new DomainError(
        'second_factor_required',
        'Enrol an authenticator yourself before requiring two-factor sign-in of this investigation’s members.',
      );
    }
    const after = await usersRepository.setInvestigationSecondFactor(trx, {
      investigation_id: investigationId,
      required,
      updated_at: new Date(),
      updated_by: actor.userId,
    });
    await recordChange(trx, actor, {
      action: 'investigation.second_factor',
      entityType: 'investigation_second_factor',
      entityId: investigationId,
      investigationId,
      before: before ?? null,
      after,
    });
    return { investigation_id: investigationId, required: after.required };
  });
}

/** Whether an investigation requires a second factor of its members (anyone who may see it). */
export async function investigationSecondFactor(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
): Promise<{ investigation_id: string; required: boolean }> {
  await requireRole(db, actor, investigationId, 'viewer');
  const row = await usersRepository.findInvestigationSecondFactor(db, investigationId);
  return { investigation_id: investigationId, required: row?.required === true };
}

/** Raised by the HTTP layer for an administrator without a second factor when the instance requires one. */
export function adminSecondFactorRequired(): DomainError {
  return new DomainError(
    'second_factor_required',
    'This instance requires administrators to sign in with two factors (ARMTRACE_REQUIRE_2FA_ADMINS): enrol an authenticator first (POST /api/v1/auth/2fa/enrol).',
  );
}
