import type { Queryable } from '../../db/versioned.js';
import { findInvestigationAccess } from '../access/repository.js';
import type { Actor, Role } from '../access/schema.js';
import { DomainError, NotVisibleError } from '../../errors.js';
import { investigationNotFound, requireRole, type Access } from '../access/service.js';
import { hasRestrictedGrant } from './repository.js';
import { sensitivityRank, type SensitivityLevel } from './schema.js';

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

/** The sensitivity fields of a create or update body. */
export interface SensitivityInput {
  sensitivity?: SensitivityLevel | undefined;
  sensitivity_reason?: string | null | undefined;
}

function reasonRequired(): DomainError {
  return new DomainError('validation_failed', 'A restricted record needs a reason: say why in sensitivity_reason.', [
    {
      field: 'sensitivity_reason',
      message: 'a restricted record needs a reason',
      code: 'sensitivity_reason_required',
    },
  ]);
}

function aboveClearance(): DomainError {
  return new DomainError(
    'forbidden',
    'Only owners and the roles an owner granted restricted records to may mark a record restricted.',
    [
      {
        field: 'sensitivity',
        message: 'your role may not see restricted records',
        code: 'sensitivity_above_clearance',
      },
    ],
  );
}

/**
 * The sensitivity columns of a new record, checked: a restricted record needs a reason, and only a writer who may
 * see restricted records may mark one restricted. Left out, the level is the investigation's default (the
 * database fills it in, so every door does the same).
 *
 * @example
 * const columns = sensitivityForInsert(parsed, await clearanceForRole(trx, access.role, investigationId));
 */
export function sensitivityForInsert(
  input: SensitivityInput,
  clearance: SensitivityLevel,
): { sensitivity?: SensitivityLevel; sensitivity_reason?: string } {
  const reason = input.sensitivity_reason ?? null;
  if (input.sensitivity === 'restricted') {
    if (reason === null) throw reasonRequired();
    if (clearance !== 'restricted') throw aboveClearance();
  }
  return {
    ...(input.sensitivity === undefined ? {} : { sensitivity: input.sensitivity }),
    ...(reason === null ? {} : { sensitivity_reason: reason }),
  };
}

/**
 * The sensitivity part of an update patch, checked against the record as it is (fields left out stay as they are).
 *
 * @example
 * Object.assign(patch, sensitivityPatch(parsed, before, clearance));
 */
export function sensitivityPatch(
  input: SensitivityInput,
  before: { sensitivity: string; sensitivity_reason: string | null },
  clearance: SensitivityLevel,
): { sensitivity?: SensitivityLevel; sensitivity_reason?: string | null } {
  const level = input.sensitivity ?? before.sensitivity;
  const reason = input.sensitivity_reason === undefined ? before.sensitivity_reason : input.sensitivity_reason;
  if (level === 'restricted' && reason === null) throw reasonRequired();
  if (input.sensitivity === 'restricted' && before.sensitivity !== 'restricted' && clearance !== 'restricted') {
    throw aboveClearance();
  }
  return {
    ...(input.sensitivity === undefined ? {} : { sensitivity: input.sensitivity }),
    ...(input.sensitivity_reason === undefined ? {} : { sensitivity_reason: input.sensitivity_reason }),
  };
}

/** Whether a record at `level` may be shown to a reader with `clearance`. */
export function isVisibleAt(clearance: SensitivityLevel, level: string): boolean {
  return sensitivityRank(level as SensitivityLevel) <= sensitivityRank(clearance);
}

/**
 * Answers "does not exist" for a record above the reader's clearance, exactly as for an id nobody has, so that a
 * restricted record is never confirmed to someone who may not see it.
 *
 * @example
 * const row = await findById(db, 'items', id);
 * const { clearance } = await requireReader(db, actor, row.investigation_id);
 * requireVisible(clearance, row, 'Item');
 */
export function requireVisible(
  clearance: SensitivityLevel,
  row: { id: string; sensitivity: string },
  what: string,
): void {
  if (!isVisibleAt(clearance, row.sensitivity)) {
    throw new NotVisibleError(`${what} ${row.id} does not exist or you cannot see it.`);
  }
}

/**
 * requireRole(…, 'viewer') and the reader's clearance in one call, for read routes.
 *
 * @example
 * const { clearance } = await requireReader(db, actor, investigationId);
 */
export async function requireReader(
  db: Queryable,
  actor: Actor,
  investigationId: string,
): Promise<{ access: Access; clearance: SensitivityLevel }> {
  const access = await requireRole(db, actor, investigationId, 'viewer');
  return { access, clearance: await clearanceForRole(db, access.role, investigationId) };
}
