import type { Kysely } from 'kysely';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import { DomainError, NotVisibleError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { recordChange } from '../audit/service.js';
import * as usersRepository from './repository.js';
import type { Session } from './schema.js';

/** Sessions are managed from a signed-in browser: an API token has no session of its own to keep. */
function requireSession(actor: Actor, what: string): string {
  if (actor.sessionId === undefined) {
    throw new DomainError('forbidden', `Only a signed-in session can ${what}; an API token cannot.`);
  }
  return actor.sessionId;
}

function toSession(row: Row<'sessions'>, currentId: string): Session {
  const { token_hash: _secret, user_id: _user, revoked_at: _revoked, ...rest } = row;
  return { ...toJsonRecord(rest), current: row.id === currentId };
}

/** What the audit log keeps of a session: never its token hash. */
function auditedSession(row: Row<'sessions'>): Record<string, unknown> {
  const { token_hash: _secret, ...rest } = row;
  return toJsonRecord(rest);
}

/**
 * The actor's open sessions (browsers and devices signed in as them), the current one marked, most recently
 * used first (or most recently signed in with `sort: 'created_at'`), optionally only those whose user agent
 * contains `q`.
 *
 * @example
 * const sessions = await listOwnSessions(db, actor, { sort: 'last_used_at' });
 */
export async function listOwnSessions(
  db: Kysely<DB>,
  actor: Actor,
  query: { sort: 'last_used_at' | 'created_at'; q?: string | undefined },
): Promise<Session[]> {
  const currentId = requireSession(actor, 'list sessions');
  const rows = await usersRepository.listOpenSessions(db, actor.userId, new Date());
  const needle = query.q?.toLocaleLowerCase();
  const kept = rows.filter(
    (row) => needle === undefined || (row.user_agent ?? '').toLocaleLowerCase().includes(needle),
  );
  if (query.sort === 'created_at') kept.sort((a, b) => b.created_at.getTime() - a.created_at.getTime());
  return kept.map((row) => toSession(row, currentId));
}

/**
 * Ends one of the actor's own sessions (signs that browser out at once); audited. Ending the current one is
 * signing out.
 *
 * @example
 * await revokeOwnSession(db, actor, sessionId);
 */
export async function revokeOwnSession(db: Kysely<DB>, actor: Actor, id: string): Promise<void> {
  requireSession(actor, 'end sessions');
  await db.transaction().execute(async (trx) => {
    const before = await usersRepository.findSessionForUpdate(trx, id);
    if (before === undefined || before.user_id !== actor.userId) {
      throw new NotVisibleError(`Session ${id} does not exist or you cannot see it.`);
    }
    if (before.revoked_at !== null) return;
    const after = await usersRepository.revokeSessionById(trx, id, new Date());
    await recordChange(trx, actor, {
      action: 'session.revoke',
      entityType: 'sessions',
      entityId: id,
      investigationId: null,
      before: auditedSession(before),
      after: auditedSession(after),
    });
  });
}

/**
 * Signs the actor out everywhere else: every other open session ends, this one stays; audited as one change
 * listing the sessions that ended.
 *
 * @example
 * const { revoked } = await revokeOtherOwnSessions(db, actor);
 */
export async function revokeOtherOwnSessions(db: Kysely<DB>, actor: Actor): Promise<{ revoked: number }> {
  const currentId = requireSession(actor, 'end sessions');
  return db.transaction().execute(async (trx) => {
    const ended = await usersRepository.revokeOtherSessions(trx, actor.userId, currentId, new Date());
    if (ended.length > 0) {
      await recordChange(trx, actor, {
        action: 'session.revoke_others',
        entityType: 'sessions',
        entityId: currentId,
        investigationId: null,
        after: { kept_session_id: currentId, revoked_session_ids: ended },
      });
    }
    return { revoked: ended.length };
  });
}
