import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { DomainError, NotVisibleError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireAdmin } from '../access/service.js';
import { recordChange } from '../audit/service.js';
import * as usersRepository from './repository.js';
import { createUserBodySchema, type CreateUserInput, type User } from './schema.js';

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
  afterId: string | undefined,
  limit: number,
): Promise<User[]> {
  requireAdmin(actor);
  return (await usersRepository.listUsers(db, afterId, limit)).map(toUser);
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

export async function signIn(
  db: Kysely<DB>,
  credentials: { username: string; password: string },
  sessionHours: number,
): Promise<{ token: string; user: User; expiresAt: Date }> {
  const user = await usersRepository.findUserByUsername(db, credentials.username);
  // Verify against a dummy hash when the user is unknown so timing does not reveal which names exist.
  const hash = user?.password_hash ?? (await argon2.hash('unknown-user-placeholder', { type: argon2.argon2id }));
  const valid = await argon2.verify(hash, credentials.password);
  if (user === undefined || user.archived_at !== null || !valid) {
    throw new DomainError('invalid_credentials', 'The user name or password is wrong.');
  }
  const token = newToken('ats');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + sessionHours * 3_600_000);
  await usersRepository.insertSession(db, {
    id: uuidv7(),
    user_id: user.id,
    token_hash: hashToken(token),
    created_at: now,
    expires_at: expiresAt,
  });
  return { token, user: toUser(user), expiresAt };
}

export async function signOut(db: Kysely<DB>, sessionToken: string): Promise<void> {
  await usersRepository.revokeSession(db, hashToken(sessionToken), new Date());
}

export async function authenticateSession(db: Kysely<DB>, sessionToken: string): Promise<Actor | undefined> {
  const user = await usersRepository.findUserBySessionHash(db, hashToken(sessionToken), new Date());
  return user === undefined ? undefined : actorFor(user, 'api');
}

export async function authenticateApiToken(db: Kysely<DB>, token: string): Promise<Actor | undefined> {
  const tokenHash = hashToken(token);
  const user = await usersRepository.findUserByApiTokenHash(db, tokenHash);
  if (user === undefined) return undefined;
  await usersRepository.touchApiToken(db, tokenHash, new Date());
  return actorFor(user, 'api');
}

export async function createApiToken(
  db: Kysely<DB>,
  actor: Actor,
  name: string,
): Promise<{ token: string; record: Row<'api_tokens'> }> {
  const token = newToken('att');
  return db.transaction().execute(async (trx) => {
    const record = await usersRepository.insertApiToken(trx, {
      id: uuidv7(),
      user_id: actor.userId,
      name,
      token_hash: hashToken(token),
      created_at: new Date(),
    });
    await recordChange(trx, actor, {
      action: 'api_token.create',
      entityType: 'api_tokens',
      entityId: record.id,
      investigationId: null,
      after: { id: record.id, user_id: record.user_id, name: record.name },
    });
    return { token, record };
  });
}

export async function getUser(db: Kysely<DB>, actor: Actor, id: string): Promise<User> {
  if (!actor.isAdmin && actor.userId !== id)
    throw new NotVisibleError(`User ${id} does not exist or you cannot see it.`);
  const user = await usersRepository.findUserById(db, id);
  if (user === undefined) throw new NotVisibleError(`User ${id} does not exist or you cannot see it.`);
  return toUser(user);
}

/** Replaces a user's password (administrators). The hash is not kept in the audit log. */
export async function setPassword(db: Kysely<DB>, actor: Actor, username: string, password: string): Promise<void> {
  requireAdmin(actor);
  createUserBodySchema.shape.password.parse(password);
  const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
  await db.transaction().execute(async (trx) => {
    const before = await usersRepository.findUserByUsername(trx, username);
    if (before === undefined) throw new DomainError('not_found', `There is no user named ${username}.`);
    const after = await usersRepository.updatePassword(trx, before.id, passwordHash, before.version);
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
