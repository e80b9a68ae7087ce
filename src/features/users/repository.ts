import { sql } from 'kysely';
import { nullsLast, keysetPage, type SortExpression, type SortOrder } from '../../db/pagination.js';
import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import type { ApiTokenSortKey, UserSortKey } from './schema.js';

export async function insertUser(db: Queryable, row: NewRow<'users'>): Promise<Row<'users'>> {
  return db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findUserByUsername(db: Queryable, username: string): Promise<Row<'users'> | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUserById(db: Queryable, id: string): Promise<Row<'users'> | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** What each sort key of the user list orders by (the id breaks ties). */
const userSortExpressions: Record<UserSortKey, SortExpression[]> = {
  created: [],
  username: [sql`lower(users.username)`],
  display_name: [sql`lower(users.display_name)`],
  is_admin: [sql`users.is_admin`],
  archived: [sql`(users.archived_at is not null)`],
};

export async function listUsers(
  db: Queryable,
  options: { after: string | undefined; limit: number; sort: UserSortKey; order: SortOrder; text?: string | undefined },
): Promise<Row<'users'>[]> {
  let query = keysetPage(db.selectFrom('users').selectAll(), {
    id: 'users.id',
    keys: userSortExpressions[options.sort],
    order: options.order,
    after: options.after,
    limit: options.limit,
  });
  if (options.text !== undefined) {
    // `%`, `_` and `\` typed by a user are literal characters, not wildcards.
    const pattern = `%${options.text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    query = query.where((eb) => eb.or([eb('username', 'ilike', pattern), eb('display_name', 'ilike', pattern)]));
  }
  return query.execute();
}

export async function countAdmins(db: Queryable): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('is_admin', '=', true)
    .where('archived_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function findFirstAdmin(db: Queryable): Promise<Row<'users'> | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('is_admin', '=', true)
    .where('archived_at', 'is', null)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export async function insertSession(db: Queryable, row: NewRow<'sessions'>): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function findUserBySessionHash(
  db: Queryable,
  tokenHash: string,
  now: Date,
): Promise<Row<'users'> | undefined> {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now)
    .where('users.archived_at', 'is', null)
    .executeTakeFirst();
}

export async function revokeSession(db: Queryable, tokenHash: string, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('token_hash', '=', tokenHash).execute();
}

export async function insertApiToken(db: Queryable, row: NewRow<'api_tokens'>): Promise<Row<'api_tokens'>> {
  return db.insertInto('api_tokens').values(row).returningAll().executeTakeFirstOrThrow();
}

/**
 * The user and the token for an active, unexpired token of an active user: one statement, as every request made
 * with a token asks it first.
 */
export async function findUserByApiTokenHash(
  db: Queryable,
  tokenHash: string,
  now: Date,
): Promise<{ user: Row<'users'>; token: Row<'api_tokens'> } | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.name as token_name',
      'api_tokens.token_hash as token_token_hash',
      'api_tokens.created_at as token_created_at',
      'api_tokens.last_used_at as token_last_used_at',
      'api_tokens.revoked_at as token_revoked_at',
      'api_tokens.expires_at as token_expires_at',
      'api_tokens.scope as token_scope',
      'api_tokens.investigation_id as token_investigation_id',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where('api_tokens.expires_at', '>', now)
    .where('users.archived_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const {
    token_id: id,
    token_name: name,
    token_token_hash: hash,
    token_created_at: createdAt,
    token_last_used_at: lastUsedAt,
    token_revoked_at: revokedAt,
    token_expires_at: expiresAt,
    token_scope: scope,
    token_investigation_id: investigationId,
    ...user
  } = row;
  return {
    user,
    token: {
      id,
      user_id: user.id,
      name,
      token_hash: hash,
      created_at: createdAt,
      last_used_at: lastUsedAt,
      revoked_at: revokedAt,
      expires_at: expiresAt,
      scope,
      investigation_id: investigationId,
    },
  };
}

export async function touchApiToken(db: Queryable, tokenHash: string, now: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('token_hash', '=', tokenHash).execute();
}

export async function updatePassword(
  db: Queryable,
  id: string,
  passwordHash: string,
  version: number,
): Promise<Row<'users'>> {
  return db
    .updateTable('users')
    .set({ password_hash: passwordHash, version: version + 1, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Ends every open session of a user, except the one with `keepHash`; returns how many ended. */
export async function revokeUserSessions(db: Queryable, userId: string, now: Date, keepHash?: string): Promise<number> {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keepHash !== undefined) query = query.where('token_hash', '!=', keepHash);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Revokes every token of a user; returns how many were active. */
export async function revokeUserTokens(db: Queryable, userId: string, now: Date): Promise<number> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function listApiTokens(db: Queryable, userId: string): Promise<Row<'api_tokens'>[]> {
  return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

/** What each sort key of the token list orders by (the id, which follows creation, breaks ties). */
const apiTokenSortExpressions: Record<ApiTokenSortKey, SortExpression[]> = {
  created: [],
  name: [sql`lower(api_tokens.name)`],
  last_used: nullsLast('api_tokens.last_used_at', sql`timestamptz '1970-01-01T00:00:00Z'`),
  expires: [sql`api_tokens.expires_at`],
};

/** One page of a user's tokens (`limit + 1` rows, for `toPage`), sorted, filtered by name. */
export async function listApiTokensPage(
  db: Queryable,
  userId: string,
  options: {
    after: string | undefined;
    limit: number;
    sort: ApiTokenSortKey;
    order: SortOrder;
    text?: string | undefined;
  },
): Promise<Row<'api_tokens'>[]> {
  let query = keysetPage(db.selectFrom('api_tokens').selectAll(), {
    id: 'api_tokens.id',
    keys: apiTokenSortExpressions[options.sort],
    order: options.order,
    after: options.after,
    limit: options.limit,
  }).where('user_id', '=', userId);
  if (options.text !== undefined) {
    const pattern = `%${options.text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    query = query.where('name', 'ilike', pattern);
  }
  return query.execute();
}

export async function findApiTokenForUpdate(db: Queryable, id: string): Promise<Row<'api_tokens'> | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function revokeApiToken(db: Queryable, id: string, now: Date): Promise<Row<'api_tokens'>> {
  return db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function archiveUser(
  db: Queryable,
  id: string,
  reason: string,
  version: number,
  now: Date,
): Promise<Row<'users'>> {
  return db
    .updateTable('users')
    .set({ archived_at: now, archive_reason: reason, version: version + 1, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findUserForUpdate(db: Queryable, id: string): Promise<Row<'users'> | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findThrottles(db: Queryable, keys: readonly string[]): Promise<Row<'sign_in_throttle'>[]> {
  return db.selectFrom('sign_in_throttle').selectAll().where('key', 'in', keys).execute();
}

/** Counts one more failure for `key` (from 1 again when the last was long ago) and returns the row. */
export async function recordThrottleFailure(
  db: Queryable,
  key: string,
  id: string,
  now: Date,
  forgetBefore: Date,
): Promise<Row<'sign_in_throttle'>> {
  return db
    .insertInto('sign_in_throttle')
    .values({ id, key, failures: 1, last_failure_at: now, locked_until: null })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet((eb) => ({
        failures: eb
          .case()
          .when('sign_in_throttle.last_failure_at', '<', forgetBefore)
          .then(1)
          .else(eb('sign_in_throttle.failures', '+', 1))
          .end(),
        last_failure_at: now,
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setThrottleLock(db: Queryable, key: string, until: Date): Promise<void> {
  // Never shortens a lock: two servers counting failures at once may set theirs in either order.
  await db
    .updateTable('sign_in_throttle')
    .set({ locked_until: sql<Date>`greatest(locked_until, ${until}::timestamptz)` })
    .where('key', '=', key)
    .execute();
}

export async function clearThrottle(db: Queryable, key: string): Promise<Row<'sign_in_throttle'> | undefined> {
  return db.deleteFrom('sign_in_throttle').where('key', '=', key).returningAll().executeTakeFirst();
}

export async function listThrottles(db: Queryable): Promise<Row<'sign_in_throttle'>[]> {
  return db.selectFrom('sign_in_throttle').selectAll().orderBy('last_failure_at', 'desc').limit(1000).execute();
}

// ---------------------------------------------------------------- two-factor sign-in (migration 0012)

export async function findSecondFactor(db: Queryable, userId: string): Promise<Row<'second_factors'> | undefined> {
  return db.selectFrom('second_factors').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Starts (or restarts) an enrolment that no code has confirmed yet; an enabled factor is left as it is. */
export async function upsertPendingSecondFactor(
  db: Queryable,
  userId: string,
  secret: string,
  now: Date,
): Promise<Row<'second_factors'> | undefined> {
  return db
    .insertInto('second_factors')
    .values({ user_id: userId, secret, enabled_at: null, last_used_step: null, created_at: now, updated_at: now })
    .onConflict((conflict) =>
      conflict
        .column('user_id')
        .doUpdateSet({ secret, created_at: now, updated_at: now, last_used_step: null })
        .where('second_factors.enabled_at', 'is', null),
    )
    .returningAll()
    .executeTakeFirst();
}

/** Records the time step of an accepted code, only if it is later than the last one: the replay guard. */
export async function useSecondFactorStep(
  db: Queryable,
  userId: string,
  step: number,
  now: Date,
  enable: boolean,
): Promise<Row<'second_factors'> | undefined> {
  return db
    .updateTable('second_factors')
    .set(
      enable ? { last_used_step: step, updated_at: now, enabled_at: now } : { last_used_step: step, updated_at: now },
    )
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .returningAll()
    .executeTakeFirst();
}

export async function deleteSecondFactor(db: Queryable, userId: string): Promise<Row<'second_factors'> | undefined> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  return db.deleteFrom('second_factors').where('user_id', '=', userId).returningAll().executeTakeFirst();
}

export async function insertRecoveryCodes(db: Queryable, rows: NewRow<'recovery_codes'>[]): Promise<void> {
  await db.insertInto('recovery_codes').values(rows).execute();
}

export async function countUnusedRecoveryCodes(db: Queryable, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.count;
}

/** Spends one unused recovery code of the user; undefined when it is unknown or already spent. */
export async function useRecoveryCode(
  db: Queryable,
  userId: string,
  codeHash: string,
  now: Date,
): Promise<Row<'recovery_codes'> | undefined> {
  return db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function insertPendingSignIn(db: Queryable, row: NewRow<'pending_sign_ins'>): Promise<void> {
  await db.insertInto('pending_sign_ins').values(row).execute();
}

export async function findPendingSignIn(
  db: Queryable,
  tokenHash: string,
  now: Date,
): Promise<{ pending: Row<'pending_sign_ins'>; user: Row<'users'> } | undefined> {
  const pending = await db
    .selectFrom('pending_sign_ins')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (pending === undefined) return undefined;
  const user = await findUserById(db, pending.user_id);
  if (user === undefined || user.archived_at !== null) return undefined;
  return { pending, user };
}

export async function finishPendingSignIn(db: Queryable, id: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('pending_sign_ins')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findInvestigationSecondFactor(
  db: Queryable,
  investigationId: string,
): Promise<Row<'investigation_second_factor'> | undefined> {
  return db
    .selectFrom('investigation_second_factor')
    .selectAll()
    .where('investigation_id', '=', investigationId)
    .executeTakeFirst();
}

export async function setInvestigationSecondFactor(
  db: Queryable,
  row: NewRow<'investigation_second_factor'>,
): Promise<Row<'investigation_second_factor'>> {
  return db
    .insertInto('investigation_second_factor')
    .values(row)
    .onConflict((conflict) =>
      conflict
        .column('investigation_id')
        .doUpdateSet({ required: row.required, updated_at: row.updated_at, updated_by: row.updated_by }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The user of an open, unexpired session of an active user, with the session's id and when it was last used. */
export async function findSessionUser(
  db: Queryable,
  tokenHash: string,
  now: Date,
): Promise<{ user: Row<'users'>; sessionId: string; lastUsedAt: Date | null } | undefined> {
  const session = await db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'last_used_at'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (session === undefined) return undefined;
  const user = await findUserById(db, session.user_id);
  if (user === undefined || user.archived_at !== null) return undefined;
  return { user, sessionId: session.id, lastUsedAt: session.last_used_at };
}

export async function touchSession(db: Queryable, id: string, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_used_at: now }).where('id', '=', id).execute();
}

/** A user's open, unexpired sessions, the most recently used first. */
export async function listOpenSessions(db: Queryable, userId: string, now: Date): Promise<Row<'sessions'>[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy((eb) => eb.fn.coalesce('last_used_at', 'created_at'), 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function findSessionForUpdate(db: Queryable, id: string): Promise<Row<'sessions'> | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function revokeSessionById(db: Queryable, id: string, now: Date): Promise<Row<'sessions'>> {
  return db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Ends every open session of a user except `keepId`; returns the ids that ended. */
export async function revokeOtherSessions(db: Queryable, userId: string, keepId: string, now: Date): Promise<string[]> {
  const rows = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .where('id', '!=', keepId)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

export async function findUsername(db: Queryable, userId: string): Promise<string> {
  const row = await db.selectFrom('users').select('username').where('id', '=', userId).executeTakeFirstOrThrow();
  return row.username;
}
