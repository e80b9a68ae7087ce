import type { Queryable } from '../../db/versioned.js';
import { findInvestigationAccess } from '../access/repository.js';
import type { Actor, Role } from '../access/schema.js';
import { investigationNotFound } from '../access/service.js';
import { hasRestrictedGrant } from './repository.js';
import type { SensitivityLevel } from './schema.js';

/**
 * The highest sensitivity a member with `role` may see in the investigation: owners see restricted records, the
 * other roles only when an owner granted it to their role; every member sees public, partners and internal.
 *
 * @example
 * const clearance = await clearanceForRole(db, access.role, access.investigationId);
 */
export async function clearanceForRole(db: Queryable, role: Role, investigationId: string): Promise<SensitivityLevel> {
  if (role === 'owner') return 'restricted';
  return (await hasRestrictedGrant(db, investigationId, role)) ? 'restricted' : 'internal';
}

/**
 * The highest sensitivity this actor may see in this investigation (administrators act as owners, as in
 * requireRole; an API token sees what its user sees). Someone who is not a member, or whose token is limited to
 * another investigation, is told the investigation does not exist, as requireRole does: call requireRole first
 * for the role checks, then this for what to show.
 *
 * @example
 * await requireRole(db, actor, investigationId, 'viewer');
 * const rows = await whereSensitivityAtMost(query, 'sites', await clearanceFor(db, actor, investigationId)).execute();
 */
export async function clearanceFor(db: Queryable, actor: Actor, investigationId: string): Promise<SensitivityLevel> {
  const outOfScope = actor.token?.investigationId != null && actor.token.investigationId !== investigationId;
  const found = outOfScope ? undefined : await findInvestigationAccess(db, investigationId, actor.userId);
  const role: Role | undefined = found === undefined ? undefined : actor.isAdmin ? 'owner' : found.role;
  if (role === undefined) throw investigationNotFound(investigationId);
  return await clearanceForRole(db, role, investigationId);
}
