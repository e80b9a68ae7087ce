import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Page, PageQuery } from '../../db/pagination.js';
import { toPage } from '../../db/pagination.js';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import { archiveVersioned, findById, findForUpdate, updateVersioned } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor, Role } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { recordChange } from '../audit/service.js';
import { findUserByUsername } from '../users/service.js';
import { findUsername } from '../users/service.js';
import * as repository from './repository.js';
import {
  addMemberBodySchema,
  createInvestigationBodySchema,
  updateInvestigationBodySchema,
  type AddMemberInput,
  type CreateInvestigationInput,
  type Investigation,
  type MemberListQuery,
  type Membership,
  type Overview,
  type UpdateInvestigationInput,
} from './schema.js';
import { archiveBodySchema, type ArchiveInput } from '../../http/params.js';

function toInvestigation(row: Row<'investigations'>, role: Role): Investigation {
  return { ...toJsonRecord(row), my_role: role };
}

/**
 * Creates an investigation; its creator becomes its owner.
 *
 * @example
 * const investigation = await createInvestigation(db, actor, { title: 'Mosul caches, 2017' });
 */
export async function createInvestigation(
  db: Kysely<DB>,
  actor: Actor,
  input: CreateInvestigationInput,
): Promise<Investigation> {
  const parsed = createInvestigationBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const now = new Date();
    const row = await repository.insertInvestigation(trx, {
      id: uuidv7(),
      title: parsed.title,
      summary: parsed.summary,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await recordChange(trx, actor, {
      action: 'investigation.create',
      entityType: 'investigations',
      entityId: row.id,
      investigationId: row.id,
      after: row,
    });
    const membership = await repository.insertMembership(trx, {
      id: uuidv7(),
      investigation_id: row.id,
      user_id: actor.userId,
      role: 'owner',
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await recordChange(trx, actor, {
      action: 'membership.create',
      entityType: 'memberships',
      entityId: membership.id,
      investigationId: row.id,
      after: membership,
    });
    return toInvestigation(row, 'owner');
  });
}

/** The investigations the actor belongs to (every one, for an administrator). */
export async function listInvestigations(db: Kysely<DB>, actor: Actor, page: PageQuery): Promise<Page<Investigation>> {
  const rows = await repository.listInvestigations(db, {
    userId: actor.isAdmin ? undefined : actor.userId,
    onlyId: actor.token?.investigationId ?? undefined,
    after: page.after,
    limit: page.limit,
    includeArchived: page.include_archived,
  });
  return toPage(rows, page.limit, ({ role, ...row }) => toInvestigation(row, actor.isAdmin ? 'owner' : (role as Role)));
}

export async function getInvestigation(db: Kysely<DB>, actor: Actor, id: string): Promise<Investigation> {
  const access = await requireRole(db, actor, id, 'viewer');
  return toInvestigation(await findById(db, 'investigations', id), access.role);
}

export async function updateInvestigation(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  input: UpdateInvestigationInput,
): Promise<Investigation> {
  const parsed = updateInvestigationBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const access = await requireRole(trx, actor, id, 'editor');
    const before = await findForUpdate(trx, 'investigations', id);
    const after = await updateVersioned(trx, 'investigations', before, parsed.version, {
      ...(parsed.title === undefined ? {} : { title: parsed.title }),
      ...(parsed.summary === undefined ? {} : { summary: parsed.summary }),
    });
    await recordChange(trx, actor, {
      action: 'investigation.update',
      entityType: 'investigations',
      entityId: id,
      investigationId: id,
      before,
      after,
    });
    return toInvestigation(after, access.role);
  });
}

export async function archiveInvestigation(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  input: ArchiveInput,
): Promise<Investigation> {
  const parsed = archiveBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const access = await requireRole(trx, actor, id, 'owner');
    const before = await findForUpdate(trx, 'investigations', id);
    const after = await archiveVersioned(trx, 'investigations', before, parsed.version, parsed.reason);
    await recordChange(trx, actor, {
      action: 'investigation.archive',
      entityType: 'investigations',
      entityId: id,
      investigationId: id,
      before,
      after,
    });
    return toInvestigation(after, access.role);
  });
}

function toMembership(row: Row<'memberships'>, username: string): Membership {
  return { ...toJsonRecord(row), role: row.role as Role, username };
}

export async function listMembers(db: Kysely<DB>, actor: Actor, investigationId: string): Promise<Membership[]> {
  await requireRole(db, actor, investigationId, 'viewer');
  const rows = await repository.listMemberships(db, investigationId);
  return rows.map(({ username, ...row }) => toMembership(row, username));
}

/**
 * One page of an investigation's members, sorted by user name, role or date joined, filtered by name.
 *
 * @example
 * const page = await listMembersPage(db, actor, id, memberListQuerySchema.parse({ sort: 'role', order: 'asc' }));
 */
export async function listMembersPage(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  query: MemberListQuery,
): Promise<Page<Membership>> {
  await requireRole(db, actor, investigationId, 'viewer');
  const rows = await repository.listMembershipsPage(db, investigationId, {
    after: query.after,
    limit: query.limit,
    sort: query.sort,
    order: query.order,
    includeArchived: query.include_archived,
    text: query.q,
  });
  return toPage(rows, query.limit, ({ username, ...row }) => toMembership(row, username));
}

/** Owners add members; an existing active member must be changed, not added twice. */
export async function addMember(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  input: AddMemberInput,
): Promise<Membership> {
  const parsed = addMemberBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    // Who may see an archived investigation can still be decided.
    await requireRole(trx, actor, investigationId, 'owner', { whileArchived: 'allowed' });
    const user = await findUserByUsername(trx, parsed.username);
    const now = new Date();
    const row = await repository.insertMembership(trx, {
      id: uuidv7(),
      investigation_id: investigationId,
      user_id: user.id,
      role: parsed.role,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await recordChange(trx, actor, {
      action: 'membership.create',
      entityType: 'memberships',
      entityId: row.id,
      investigationId,
      after: row,
    });
    return toMembership(row, user.username);
  });
}

export async function changeMember(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  membershipId: string,
  change: { version: number; role?: Role; archiveReason?: string },
): Promise<Membership> {
  return db.transaction().execute(async (trx) => {
    // Who may see an archived investigation can still be decided (a compromised member removed).
    await requireRole(trx, actor, investigationId, 'owner', { whileArchived: 'allowed' });
    const before = await findForUpdate(trx, 'memberships', membershipId);
    if (before.investigation_id !== investigationId) {
      throw new DomainError('not_found', `Membership ${membershipId} is not part of investigation ${investigationId}.`);
    }
    const stopsBeingOwner =
      before.role === 'owner' &&
      before.archived_at === null &&
      (change.archiveReason !== undefined || (change.role !== undefined && change.role !== 'owner'));
    if (stopsBeingOwner) {
      // Locks the owners' rows, so two owners demoting each other at once cannot both succeed.
      const owners = await repository.lockActiveOwners(trx, investigationId);
      if (owners.length <= 1) {
        throw new DomainError(
          'last_owner',
          'This is the investigation’s last owner: make another member owner first, then leave or change role.',
        );
      }
    }
    const after =
      change.archiveReason === undefined
        ? await updateVersioned(trx, 'memberships', before, change.version, { role: change.role })
        : await archiveVersioned(trx, 'memberships', before, change.version, change.archiveReason);
    await recordChange(trx, actor, {
      action: change.archiveReason === undefined ? 'membership.update' : 'membership.archive',
      entityType: 'memberships',
      entityId: membershipId,
      investigationId,
      before,
      after,
    });
    return toMembership(after, await findUsername(trx, after.user_id));
  });
}

/** Counts for the overview page: totals, by category, condition and production type. */
export async function getOverview(db: Kysely<DB>, actor: Actor, investigationId: string): Promise<Overview> {
  await requireRole(db, actor, investigationId, 'viewer');
  const { totals, byCategory, byCondition, byProductionType } = await repository.countOverview(db, investigationId);
  return {
    investigation_id: investigationId,
    counts: totals,
    by_category: byCategory,
    by_condition: byCondition,
    by_production_type: byProductionType,
  };
}
