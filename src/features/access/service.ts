import type { Queryable } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import { findActiveRole } from './repository.js';
import type { Actor, Role } from './schema.js';

const rank: Record<Role, number> = { viewer: 1, investigator: 2, editor: 3, owner: 4 };

/** What the actor may do in one investigation; admins act as owners everywhere. */
export interface Access {
  investigationId: string;
  role: Role;
}

/**
 * Checks that the actor holds at least `minimum` in the investigation. A
 * non-member is told the investigation does not exist, so ids of other
 * teams' work are not confirmed to outsiders.
 *
 * @example
 * const access = await requireRole(trx, actor, site.investigation_id, 'investigator');
 */
export async function requireRole(
  db: Queryable,
  actor: Actor,
  investigationId: string,
  minimum: Role,
): Promise<Access> {
  if (actor.isAdmin) return { investigationId, role: 'owner' };
  const role = await findActiveRole(db, investigationId, actor.userId);
  if (role === undefined) {
    throw new DomainError(
      'not_found',
      `Investigation ${investigationId} does not exist or you are not a member of it.`,
    );
  }
  if (rank[role] < rank[minimum]) {
    throw new DomainError('forbidden', `Your role in this investigation is ${role}; this needs ${minimum} or above.`);
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
