import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { toPage, type Page, type SortOrder } from '../../db/pagination.js';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { DomainError, NotVisibleError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireAdmin, requireRole } from '../access/service.js';
import { recordChange } from '../audit/service.js';
import * as usersRepository from './repository.js';
import { hasSecondFactor, startPendingSignIn } from './second-factor.js';
import { accountKey, addressKey, checkThrottle, clearAccount, recordFailure } from './throttle.js';
import {
  changePasswordBodySchema,
  createApiTokenBodySchema,
  createUserBodySchema,
  deactivateUserBodySchema,
  type ApiToken,
  type ApiTokenListQuery,
  type SignInThrottle,
  type CreateApiTokenInput,
  type CreateUserInput,
  type User,
  type UserSortKey,
} from './schema.js';

/** The actor used by start-up tasks that no person triggered (first admin, example data). */
export const systemActor: Actor = {
  userId: '00000000-0000-0000-0000-000000000000',
  username: 'system',
  isAdmin: true,
  via: 'system',
};

export function toUser(row: Row<'users'>): User {
  const { password_hash: _secret, ...rest } = row;
  return toJsonRecord(rest);
}

export function actorFor(user: Row<'users'>, via: Actor['via']): Actor {
  return { userId: user.id, username: user.username, isAdmin: user.is_admin, via };
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/**
 * A user's name by id, for records that show who is meant (a membership).
 *
 * @example
 * const username = await findUsername(trx, membership.user_id);
 */
export function findUsername(db: Queryable, userId: string): Promise<string> {
  return usersRepository.findUsername(db, userId);
}

/**
 * Creates a user. Only an administrator may, except for the very first user
 * created by the system at start-up.
 *
 * @example
 * await createUser(db, adminActor, { username: 'amira', display_name: 'Amira', password: 'a long passphrase' });
 */
export async function createUser(db: Kysely<DB>, actor: Actor, input: CreateUserInput): Promise<User> {
  requireAdmin(actor);
  const parsed = createUserBodySchema.parse(input);
  const passwordHash = await argon2.hash(parsed.password, { type: argon2.argon2id });
  return db.transaction().execute(async (trx) => {
    const now = new Date();
    const row = await usersRepository.insertUser(trx, {
      id: uuidv7(),
      username: parsed.username,
      display_name: parsed.display_name,
      password_hash: passwordHash,
      is_admin: parsed.is_admin,
      created_at: now,
      updated_at: now,
    });
    await recordChange(trx, actor, {
      action: 'user.create',
      entityType: 'users',
      entityId: row.id,
      investigationId: null,
      after: row,
    });
    return toUser(row);
  });
}

export async function listUsers(
  db: Kysely<DB>,
  actor: Actor,
  options: { after?: string | undefined; limit: number; sort?: UserSortKey; order?: SortOrder; q?: string | undefined },
): Promise<Page<User>> {
  requireAdmin(actor);
  const { after, limit, sort = 'created', order = 'asc', q } = options;
  return toPage(await usersRepository.listUsers(db, { after, limit, sort, order, text: q }), limit, toUser);
}

export async function findUserByUsername(db: Queryable, username: string): Promise<Row<'users'>> {
  const user = await usersRepository.findUserByUsername(db, username);
  if (user === undefined || user.archived_at !== null) {
    throw new DomainError(
      'not_found',
      `There is no active user named ${username}; list users with \`armtrace user list\`.`,
    );
  }
  return user;
}

/**
 * On a database with no administrator, creates `admin` with a random
 * password and returns it: the caller prints it once, it is never stored.
 */
export async function ensureFirstAdmin(db: Kysely<DB>): Promise<{ username: string; password: string } | undefined> {
  if ((await usersRepository.countAdmins(db)) > 0) return undefined;
  const password = randomBytes(12).toString('base64url');
  await createUser(db, systemActor, { username: 'admin', display_name: 'Administrator', password, is_admin: true });
  return { username: 'admin', password };
}

/** The actor the CLI uses on a local data directory: the named user, or the first administrator. */
export async function resolveLocalActor(db: Kysely<DB>, username: string | undefined): Promise<Actor> {
  if (username !== undefined) return actorFor(await findUserByUsername(db, username), 'cli');
  const admin = await usersRepository.findFirstAdmin(db);
  if (admin === undefined)
    throw new DomainError('not_found', 'No administrator exists yet: run `armtrace init` first.');
  return actorFor(admin, 'cli');
}

// Unknown users are checked against this hash, made once with the same parameters as real ones, so that
// refusing an unknown name costs one verification, exactly as refusing a wrong password does.
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = (): Promise<string> =>
  (dummyHash ??= argon2.hash(randomBytes(24).toString('base64url'), { type: argon2.argon2id }));

/**
 * Signs in: throttled per account and per client address (throttle.ts), refused in the same time whether or
 * not the user exists.
 *
 * @example
 * const { token } = await signIn(db, { username: 'amira', password: '…' }, 336, request.ip);
 */
export async function signIn(
  db: Kysely<DB>,
  credentials: { username: string; password: string },
  sessionHours: number,
  clientAddress?: string,
  userAgent?: string,
): Promise<
  | { kind: 'session'; token: string; user: User; expiresAt: Date }
  | { kind: 'second_factor'; pendingToken: string; expiresAt: Date }
> {
  const now = new Date();
  const keys = {
    account: accountKey(credentials.username),
    address: clientAddress === undefined ? undefined : addressKey(clientAddress),
  };
  await checkThrottle(db, keys.address === undefined ? [keys.account] : [keys.account, keys.address], now);
  const user = await usersRepository.findUserByUsername(db, credentials.username);
  const hash = user?.password_hash ?? (await dummyPasswordHash());
  const valid = await argon2.verify(hash, credentials.password);
  if (user === undefined || user.archived_at !== null || !valid) {
    await recordFailure(db, keys, now);
    throw new DomainError('invalid_credentials', 'The user name or password is wrong.');
  }
  // With TOTP enabled the password alone opens no session: the failure count stays until the code is right.
  if (await hasSecondFactor(db, user.id))
    return { kind: 'second_factor', ...(await startPendingSignIn(db, user, now)) };
  await clearAccount(db, credentials.username);
  return { kind: 'session', ...(await startSession(db, user, sessionHours, now, userAgent)) };
}

/**
 * Opens a session for a user whose credentials were checked (password, and the second factor when enabled).
 *
 * @example
 * const { token, expiresAt } = await startSession(db, userRow, config.sessionHours);
 */
export async function startSession(
  db: Queryable,
  user: Row<'users'>,
  sessionHours: number,
  now: Date = new Date(),
  userAgent?: string,
): Promise<{ token: string; user: User; expiresAt: Date }> {
  const token = newToken('ats');
  const expiresAt = new Date(now.getTime() + sessionHours * 3_600_000);
  await usersRepository.insertSession(db, {
    id: uuidv7(),
    user_id: user.id,
    token_hash: hashToken(token),
    created_at: now,
    expires_at: expiresAt,
    // Only to let the owner recognise the device in their list of sessions; not evidence, so the rare
    // over-long header is cut rather than refusing the sign-in.
    user_agent: userAgent === undefined || userAgent === '' ? null : Array.from(userAgent).slice(0, 500).join(''),
    last_used_at: now,
  });
  return { token, user: toUser(user), expiresAt };
}

/** Accounts and addresses with failed sign-ins, locked or counting (administrators). */
export async function listSignInThrottles(db: Kysely<DB>, actor: Actor): Promise<SignInThrottle[]> {
  requireAdmin(actor);
  return (await usersRepository.listThrottles(db)).map((row) => toJsonRecord(row));
}

/**
 * Clears the failed sign-ins of one key (`account:<username>` or `address:<address>`), ending its lockout
 * (administrators; audited).
 */
export async function clearSignInThrottle(db: Kysely<DB>, actor: Actor, key: string): Promise<void> {
  requireAdmin(actor);
  await db.transaction().execute(async (trx) => {
    const removed = await usersRepository.clearThrottle(trx, key);
    if (removed === undefined) throw new DomainError('not_found', `No failed sign-ins are counted for ${key}.`);
    await recordChange(trx, actor, {
      action: 'sign_in_throttle.clear',
      entityType: 'sign_in_throttle',
      entityId: removed.id,
      investigationId: null,
      before: toJsonRecord(removed),
    });
  });
}

export async function signOut(db: Kysely<DB>, sessionToken: string): Promise<void> {
  await usersRepository.revokeSession(db, hashToken(sessionToken), new Date());
}

/** How stale a session's last use may get before a request records it again (one write a minute at most). */
const SESSION_TOUCH_MS = 60_000;

export async function authenticateSession(db: Kysely<DB>, sessionToken: string): Promise<Actor | undefined> {
  const now = new Date();
  const found = await usersRepository.findSessionUser(db, hashToken(sessionToken), now);
  if (found === undefined) return undefined;
  if (found.lastUsedAt === null || now.getTime() - found.lastUsedAt.getTime() > SESSION_TOUCH_MS) {
    await usersRepository.touchSession(db, found.sessionId, now);
  }
  return { ...actorFor(found.user, 'api'), sessionId: found.sessionId };
}

/** The actor of an active, unexpired token, carrying what the token may do (scope, investigation). */
export async function authenticateApiToken(db: Kysely<DB>, token: string): Promise<Actor | undefined> {
  const tokenHash = hashToken(token);
  const now = new Date();
  const found = await usersRepository.findUserByApiTokenHash(db, tokenHash, now);
  if (found === undefined) return undefined;
  // As for sessions: a minute's precision is enough to say when a token was last used, and a script calling
  // the API in a loop does not write a row for every request (on the embedded database every other request
  // waits for that write).
  const lastUsed = found.token.last_used_at;
  if (lastUsed === null || now.getTime() - lastUsed.getTime() > SESSION_TOUCH_MS) {
    await usersRepository.touchApiToken(db, tokenHash, now);
  }
  return {
    ...actorFor(found.user, 'api'),
    token: {
      id: found.token.id,
      readOnly: found.token.scope === 'read',
      investigationId: found.token.investigation_id,
    },
  };
}

const DEFAULT_TOKEN_DAYS = 90;

export function toApiToken(row: Row<'api_tokens'>): ApiToken {
  const { token_hash: _secret, ...rest } = row;
  return toJsonRecord({ ...rest, scope: rest.scope as ApiToken['scope'] });
}

/** A token may not be used to make, list or revoke tokens, nor to change a password: those need a sign-in. */
function requireSignedIn(actor: Actor, what: string): void {
  if (actor.token !== undefined) {
    throw new DomainError('forbidden', `An API token cannot ${what}; sign in with your password to do that.`);
  }
}

/**
 * Creates an API token for the actor: named, expiring (90 days by default, at most `maxDays`), read-only or
 * read-write, optionally limited to one investigation. A token cannot create tokens.
 *
 * @example
 * const { token } = await createApiToken(db, actor, { name: 'lab scanner', scope: 'read' }, config.tokenMaxDays);
 */
export async function createApiToken(
  db: Kysely<DB>,
  actor: Actor,
  input: CreateApiTokenInput,
  maxDays: number,
): Promise<{ token: string; record: Row<'api_tokens'> }> {
  requireSignedIn(actor, 'create tokens');
  const parsed = createApiTokenBodySchema.parse(input);
  const days = parsed.expires_in_days ?? Math.min(DEFAULT_TOKEN_DAYS, maxDays);
  if (days > maxDays) {
    throw new DomainError('validation_failed', `A token may live at most ${maxDays} days on this instance.`, [
      {
        field: 'expires_in_days',
        message: `at most ${maxDays} (ARMTRACE_TOKEN_MAX_DAYS)`,
        code: 'too_big',
        params: { maximum: maxDays },
      },
    ]);
  }
  const investigationId = parsed.investigation_id ?? null;
  if (investigationId !== null) await requireRole(db, actor, investigationId, 'viewer');
  const token = newToken('att');
  const now = new Date();
  return db.transaction().execute(async (trx) => {
    const record = await usersRepository.insertApiToken(trx, {
      id: uuidv7(),
      user_id: actor.userId,
      name: parsed.name,
      token_hash: hashToken(token),
      created_at: now,
      expires_at: new Date(now.getTime() + days * 86_400_000),
      scope: parsed.scope,
      investigation_id: investigationId,
    });
    await recordChange(trx, actor, {
      action: 'api_token.create',
      entityType: 'api_tokens',
      entityId: record.id,
      investigationId: null,
      after: toApiToken(record),
    });
    return { token, record };
  });
}

/** A user's tokens (their own, or anyone's for administrators), revoked and expired ones included. */
export async function listApiTokens(db: Kysely<DB>, actor: Actor, userId: string = actor.userId): Promise<ApiToken[]> {
  requireSignedIn(actor, 'list tokens');
  if (userId !== actor.userId) requireAdmin(actor);
  return (await usersRepository.listApiTokens(db, userId)).map(toApiToken);
}

/**
 * One page of a user's tokens (their own, or anyone's for administrators), sorted by creation, name, last use or
 * expiry, filtered by name; revoked and expired ones included.
 *
 * @example
 * const page = await listApiTokensPage(db, actor, apiTokenListQuerySchema.parse({ sort: 'name' }));
 */
export async function listApiTokensPage(
  db: Kysely<DB>,
  actor: Actor,
  query: ApiTokenListQuery,
): Promise<Page<ApiToken>> {
  requireSignedIn(actor, 'list tokens');
  const userId = query.user_id ?? actor.userId;
  if (userId !== actor.userId) requireAdmin(actor);
  const rows = await usersRepository.listApiTokensPage(db, userId, {
    after: query.after,
    limit: query.limit,
    sort: query.sort,
    order: query.order,
    text: query.q,
  });
  return toPage(rows, query.limit, toApiToken);
}

/** Revokes one token (its owner, or an administrator); it stops working at once. */
export async function revokeApiToken(db: Kysely<DB>, actor: Actor, id: string): Promise<ApiToken> {
  requireSignedIn(actor, 'revoke tokens');
  return db.transaction().execute(async (trx) => {
    const before = await usersRepository.findApiTokenForUpdate(trx, id);
    if (before === undefined || (before.user_id !== actor.userId && !actor.isAdmin)) {
      throw new NotVisibleError(`API token ${id} does not exist or you cannot see it.`);
    }
    if (before.revoked_at !== null) return toApiToken(before);
    const after = await usersRepository.revokeApiToken(trx, id, new Date());
    await recordChange(trx, actor, {
      action: 'api_token.revoke',
      entityType: 'api_tokens',
      entityId: id,
      investigationId: null,
      before: toApiToken(before),
      after: toApiToken(after),
    });
    return toApiToken(after);
  });
}

export async function getUser(db: Kysely<DB>, actor: Actor, id: string): Promise<User> {
  if (!actor.isAdmin && actor.userId !== id)
    throw new NotVisibleError(`User ${id} does not exist or you cannot see it.`);
  const user = await usersRepository.findUserById(db, id);
  if (user === undefined) throw new NotVisibleError(`User ${id} does not exist or you cannot see it.`);
  return toUser(user);
}

/**
 * Replaces a user's password (administrators: a reset). Every session and every API token of that user ends,
 * so that whoever held the old credentials is locked out at once. The hash is not kept in the audit log.
 */
export async function setPassword(db: Kysely<DB>, actor: Actor, username: string, password: string): Promise<void> {
  requireAdmin(actor);
  createUserBodySchema.shape.password.parse(password);
  const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
  await db.transaction().execute(async (trx) => {
    const before = await usersRepository.findUserByUsername(trx, username);
    if (before === undefined) throw new DomainError('not_found', `There is no user named ${username}.`);
    const after = await usersRepository.updatePassword(trx, before.id, passwordHash, before.version);
    const now = new Date();
    await usersRepository.revokeUserSessions(trx, before.id, now);
    await usersRepository.revokeUserTokens(trx, before.id, now);
    await recordChange(trx, actor, {
      action: 'user.password',
      entityType: 'users',
      entityId: before.id,
      investigationId: null,
      before,
      after,
    });
  });
}

/**
 * Changes the actor's own password, given the current one. Every other session and every API token of the user
 * ends; the session making the change (`currentSessionToken`) stays signed in.
 *
 * @example
 * await changeOwnPassword(db, actor, cookieToken, { current_password: 'old …', new_password: 'new …' });
 */
export async function changeOwnPassword(
  db: Kysely<DB>,
  actor: Actor,
  currentSessionToken: string | undefined,
  input: { current_password: string; new_password: string },
): Promise<void> {
  requireSignedIn(actor, 'change a password');
  const parsed = changePasswordBodySchema.parse(input);
  const user = await usersRepository.findUserById(db, actor.userId);
  if (user === undefined || !(await argon2.verify(user.password_hash, parsed.current_password))) {
    throw new DomainError('invalid_credentials', 'The current password is wrong.', [
      { field: 'current_password', message: 'is wrong', code: 'password_wrong' },
    ]);
  }
  const passwordHash = await argon2.hash(parsed.new_password, { type: argon2.argon2id });
  await db.transaction().execute(async (trx) => {
    const after = await usersRepository.updatePassword(trx, user.id, passwordHash, user.version);
    const now = new Date();
    const keep = currentSessionToken === undefined ? undefined : hashToken(currentSessionToken);
    await usersRepository.revokeUserSessions(trx, user.id, now, keep);
    await usersRepository.revokeUserTokens(trx, user.id, now);
    await recordChange(trx, actor, {
      action: 'user.password',
      entityType: 'users',
      entityId: user.id,
      investigationId: null,
      before: user,
      after,
    });
  });
}

/**
 * Deactivates a user (administrators): they can no longer sign in, and their sessions and API tokens stop at
 * once. Their records keep them as author. An administrator cannot deactivate themselves.
 *
 * @example
 * await deactivateUser(db, admin, userId, { version: 3, reason: 'laptop seized at a checkpoint' });
 */
export async function deactivateUser(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  input: { version: number; reason: string },
): Promise<User> {
  requireAdmin(actor);
  requireSignedIn(actor, 'deactivate users');
  const parsed = deactivateUserBodySchema.parse(input);
  if (id === actor.userId) {
    throw new DomainError('forbidden', 'You cannot deactivate your own account; ask another administrator.');
  }
  return db.transaction().execute(async (trx) => {
    const before = await usersRepository.findUserForUpdate(trx, id);
    if (before === undefined) throw new NotVisibleError(`User ${id} does not exist or you cannot see it.`);
    if (before.archived_at !== null) return toUser(before);
    if (before.version !== parsed.version) {
      throw new DomainError('version_conflict', `User ${id} is at version ${before.version}; reload and try again.`);
    }
    const now = new Date();
    const after = await usersRepository.archiveUser(trx, id, parsed.reason, before.version, now);
    await usersRepository.revokeUserSessions(trx, id, now);
    await usersRepository.revokeUserTokens(trx, id, now);
    await recordChange(trx, actor, {
      action: 'user.deactivate',
      entityType: 'users',
      entityId: id,
      investigationId: null,
      before,
      after,
    });
    return toUser(after);
  });
}
