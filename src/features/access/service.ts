import type { Queryable } from '../../db/versioned.js';
import { DomainError, NotVisibleError } from '../../errors.js';
import {
  findInvestigationAccess,
  listInvestigationIds,
  listInvestigationsLockedBySecondFactor,
  listMemberInvestigationIds,
} from './repository.js';
import type { Actor, Role } from './schema.js';

const rank: Record<Role, number> = { viewer: 1, investigator: 2, editor: 3, owner: 4 };

/** What the actor may do in one investigation; admins act as owners everywhere. */
export interface Access {
  investigationId: string;
  role: Role;
}

/** The one answer for "no such investigation" and "not yours", so that ids of other teams' work are not confirmed. */
export function investigationNotFound(investigationId: string): DomainError {
  return new NotVisibleError(`Investigation ${investigationId} does not exist or you cannot see it.`);
}

/**
 * Checks that the actor holds at least `minimum` in the investigation. A
 * non-member is told the investigation does not exist, so ids of other
 * teams' work are not confirmed to outsiders; an id that names no
 * investigation gets the same answer, administrators included. An archived
 * investigation is read-only: anything above `viewer` is refused with
 * `archived`, except what `whileArchived: 'allowed'` marks (who may see it).
 *
 * @example
 * const access = await requireRole(trx, actor, site.investigation_id, 'investigator');
 */
export async function requireRole(
  db: Queryable,
  actor: Actor,
  investigationId: string,
  minimum: Role,
  options: { whileArchived?: 'allowed' | 'refused' } = {},
): Promise<Access> {
  // A token limited to one investigation sees no other.
  const outOfScope = actor.token?.investigationId != null && actor.token.investigationId !== investigationId;
  const found = outOfScope ? undefined : await findInvestigationAccess(db, investigationId, actor.userId);
  if (found === undefined) throw investigationNotFound(investigationId);
  const role: Role | undefined = actor.isAdmin ? 'owner' : found.role;
  if (role === undefined) throw investigationNotFound(investigationId);
  // Owners may require a second factor of everyone working in the investigation (issue 15, item 4); the local
  // CLI, which already holds the data directory, is not asked.
  if (found.secondFactorRequired && !found.secondFactorEnabled && actor.via === 'api') {
    throw new DomainError(
      'second_factor_required',
      'This investigation requires two-factor sign-in: enrol an authenticator (POST /api/v1/auth/2fa/enrol) first.',
    );
  }
  if (rank[role] < rank[minimum]) {
    throw new DomainError('forbidden', `Your role in this investigation is ${role}; this needs ${minimum} or above.`);
  }
  if (found.archived && minimum !== 'viewer' && options.whileArchived !== 'allowed') {
    throw new DomainError(
      'archived',
      `Investigation ${investigationId} is archived: it keeps its records as they are and takes no new ones.`,
    );
  }
  return { investigationId, role };
}

/**
 * Investigators add records and edit their own; editors and owners edit all.
 */
export function requireCanEdit(access: Access, actor: Actor, record: { created_by: string }): void {
  if (rank[access.role] >= rank.editor) return;
  if (access.role === 'investigator' && record.created_by === actor.userId) return;
  throw new DomainError(
    'forbidden',
    access.role === 'investigator'
      ? 'Investigators can change only the records they created; ask an editor.'
      : `Your role in this investigation is ${access.role}; changing records needs investigator or above.`,
  );
}

export function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw new DomainError('forbidden', 'Only an instance administrator can do this.');
}

/**
 * The investigations an actor may read across (searches, lists): undefined for all (administrators), else the
 * ids, narrowed to one when the actor's API token is limited to one investigation, and without those that
 * require a second factor the actor has not enabled.
 *
 * @example
 * const ids = await visibleInvestigationIds(db, actor); // undefined: every investigation
 */
export async function visibleInvestigationIds(db: Queryable, actor: Actor): Promise<readonly string[] | undefined> {
  const scoped = actor.token?.investigationId ?? null;
  const locked = actor.via === 'api' ? await listInvestigationsLockedBySecondFactor(db, actor.userId) : [];
  if (actor.isAdmin && locked.length === 0) return scoped === null ? undefined : [scoped];
  const ids = actor.isAdmin ? await listInvestigationIds(db) : await listMemberInvestigationIds(db, actor.userId);
  return ids.filter((id) => (scoped === null || id === scoped) && !locked.includes(id));
}
