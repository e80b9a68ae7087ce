import { findById, findForUpdate, inTransaction, updateVersioned, type Queryable } from '../../db/versioned.js';
import { findInvestigationAccess } from '../access/repository.js';
import type { Actor, Role } from '../access/schema.js';
import { DomainError, NotVisibleError } from '../../errors.js';
import { investigationNotFound, requireRole, type Access } from '../access/service.js';
import { recordChange } from '../audit/service.js';
import {
  deleteGrant,
  clearanceOfRole,
  insertGrant,
  listGrants,
  listRestrictedClearedInvestigations,
} from './repository.js';
import {
  grantableRoleSchema,
  sensitivityRank,
  updateSensitivityDefaultBodySchema,
  type GrantableRole,
  type SensitivityLevel,
  type SensitivitySettings,
  type UpdateSensitivityDefaultInput,
} from './schema.js';

/**
 * The highest sensitivity a member with `role` may see in the investigation: owners see restricted records, the
 * other roles only when an owner granted it to their role; every member sees public, partners and internal.
 *
 * @example
 * const clearance = await clearanceForRole(db, access.role, access.investigationId);
 */
export async function clearanceForRole(db: Queryable, role: Role, investigationId: string): Promise<SensitivityLevel> {
  return clearanceOfRole(db, role, investigationId);
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

/**
 * For searches across investigations: of the investigations the actor may read (`undefined`: all, for
 * administrators), those in which the actor also sees restricted records; undefined when that is all of them.
 *
 * @example
 * const restrictedIn = await restrictedClearedIn(db, actor, await visibleInvestigationIds(db, actor));
 */
export async function restrictedClearedIn(
  db: Queryable,
  actor: Actor,
  investigationIds: readonly string[] | undefined,
): Promise<readonly string[] | undefined> {
  // Administrators act as owners everywhere (requireRole), so they see restricted records wherever they read.
  if (actor.isAdmin) return investigationIds;
  if (investigationIds === undefined) return undefined;
  return await listRestrictedClearedInvestigations(db, actor.userId, investigationIds);
}

async function describeSettings(db: Queryable, investigationId: string, role: Role): Promise<SensitivitySettings> {
  const investigation = await findById(db, 'investigations', investigationId);
  const grants = await listGrants(db, investigationId);
  return {
    investigation_id: investigationId,
    default_sensitivity: investigation.default_sensitivity as SensitivityLevel,
    default_sensitivity_reason: investigation.default_sensitivity_reason,
    restricted_roles: grants.map((grant) => ({
      role: grant.role as GrantableRole,
      granted_by: grant.granted_by,
      granted_at: grant.granted_at.toISOString(),
    })),
    clearance: await clearanceForRole(db, role, investigationId),
    version: investigation.version,
    can_change: role === 'owner' && investigation.archived_at === null,
  };
}

/**
 * An investigation's sensitivity settings: the default level of new records, the roles granted sight of
 * restricted records, and the reader's own clearance (any member).
 *
 * @example
 * const { default_sensitivity, clearance } = await getSensitivitySettings(db, actor, investigationId);
 */
export async function getSensitivitySettings(
  db: Queryable,
  actor: Actor,
  investigationId: string,
): Promise<SensitivitySettings> {
  const access = await requireRole(db, actor, investigationId, 'viewer');
  return describeSettings(db, investigationId, access.role);
}

/**
 * Sets the level new records take when their writer gives none (owners; audited as
 * `investigation.default_sensitivity`). A restricted default needs a reason, which new records take with it.
 *
 * @example
 * await setDefaultSensitivity(db, actor, investigationId, { version: 3, default_sensitivity: 'partners' });
 */
export async function setDefaultSensitivity(
  db: Queryable,
  actor: Actor,
  investigationId: string,
  input: UpdateSensitivityDefaultInput,
): Promise<SensitivitySettings> {
  const parsed = updateSensitivityDefaultBodySchema.parse(input);
  return inTransaction(db, async (trx) => {
    const access = await requireRole(trx, actor, investigationId, 'owner');
    const reason = parsed.default_sensitivity_reason ?? null;
    if (parsed.default_sensitivity === 'restricted' && reason === null) {
      throw new DomainError('validation_failed', 'A restricted default needs a reason.', [
        {
          field: 'default_sensitivity_reason',
          message: 'a restricted default needs a reason',
          code: 'sensitivity_reason_required',
        },
      ]);
    }
    const before = await findForUpdate(trx, 'investigations', investigationId);
    const after = await updateVersioned(trx, 'investigations', before, parsed.version, {
      default_sensitivity: parsed.default_sensitivity,
      default_sensitivity_reason: reason,
    });
    await recordChange(trx, actor, {
      action: 'investigation.default_sensitivity',
      entityType: 'investigations',
      entityId: investigationId,
      investigationId,
      before,
      after,
    });
    return describeSettings(trx, investigationId, access.role);
  });
}

/**
 * Grants or withdraws a role's sight of the investigation's restricted records (owners; audited as
 * `sensitivity.grant` / `sensitivity.revoke`). Granting twice or withdrawing what was not granted changes nothing.
 *
 * @example
 * await setRestrictedGrant(db, actor, investigationId, 'editor', true);
 */
export async function setRestrictedGrant(
  db: Queryable,
  actor: Actor,
  investigationId: string,
  role: GrantableRole,
  granted: boolean,
): Promise<SensitivitySettings> {
  const parsedRole = grantableRoleSchema.parse(role);
  return inTransaction(db, async (trx) => {
    const access = await requireRole(trx, actor, investigationId, 'owner');
    const changed = granted
      ? await insertGrant(trx, investigationId, parsedRole, actor.userId)
      : await deleteGrant(trx, investigationId, parsedRole);
    if (changed !== undefined) {
      await recordChange(trx, actor, {
        action: granted ? 'sensitivity.grant' : 'sensitivity.revoke',
        entityType: 'restricted_grants',
        entityId: investigationId,
        investigationId,
        ...(granted ? { after: changed } : { before: changed }),
      });
    }
    return describeSettings(trx, investigationId, access.role);
  });
}
