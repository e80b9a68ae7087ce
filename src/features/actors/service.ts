import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Page } from '../../db/pagination.js';
import { toPage } from '../../db/pagination.js';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import { archiveVersioned, findById, findForUpdate, updateVersioned } from '../../db/versioned.js';
import type { Actor as User } from '../access/schema.js';
import { requireCanEdit, requireRole } from '../access/service.js';
import { recordChange } from '../audit/service.js';
import { archiveBodySchema, type ArchiveInput } from '../investigations/schema.js';
import * as repository from './repository.js';
import {
  createActorBodySchema,
  updateActorBodySchema,
  type ActorRecord,
  type ActorListQuery,
  type ActorType,
  type CreateActorInput,
  type UpdateActorInput,
} from './schema.js';

// In this file "actor" (the record: a manufacturer, state, armed group…) and
// the acting user (called `user`) must not be confused.

/** Case-insensitive in every script, whatever the database collation. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** What a search is matched against: the name and every alias, folded, one per line. */
function foldNames(name: string, aliases: string[]): string {
  return [name, ...aliases].map(fold).join('\n');
}

// `names_folded` only serves searching; clients see the name and aliases themselves.
function toActor({ names_folded: _namesFolded, ...row }: Row<'actors'>): ActorRecord {
  return { ...toJsonRecord(row), actor_type: row.actor_type as ActorType };
}

/**
 * Records an actor (manufacturer, state, company, armed group, unit) in an investigation.
 *
 * @example
 * const factory = await createActor(db, user, investigationId, {
 *   actor_type: 'manufacturer', name: 'Factory 10', aliases: ['Завод 10'], country_code: 'ru',
 * });
 */
export async function createActor(
  db: Kysely<DB>,
  user: User,
  investigationId: string,
  input: CreateActorInput,
): Promise<ActorRecord> {
  const parsed = createActorBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    await requireRole(trx, user, investigationId, 'investigator');
    const now = new Date();
    const row = await repository.insertActor(trx, {
      id: uuidv7(),
      investigation_id: investigationId,
      actor_type: parsed.actor_type,
      name: parsed.name,
      aliases: parsed.aliases,
      country_code: parsed.country_code ?? null,
      notes: parsed.notes,
      names_folded: foldNames(parsed.name, parsed.aliases),
      created_by: user.userId,
      created_at: now,
      updated_at: now,
    });
    await recordChange(trx, user, {
      action: 'actor.create',
      entityType: 'actors',
      entityId: row.id,
      investigationId,
      after: row,
    });
    return toActor(row);
  });
}

/** Actors of an investigation, filtered by type, country and a name or alias fragment. */
export async function listActors(
  db: Kysely<DB>,
  user: User,
  investigationId: string,
  query: ActorListQuery,
): Promise<Page<ActorRecord>> {
  await requireRole(db, user, investigationId, 'viewer');
  const rows = await repository.listActors(db, {
    investigationId,
    after: query.after,
    limit: query.limit,
    includeArchived: query.include_archived,
    actorType: query.actor_type,
    countryCode: query.country_code,
    foldedSearch: query.q === undefined ? undefined : fold(query.q),
  });
  return toPage(rows, query.limit, toActor);
}

export async function getActor(db: Kysely<DB>, user: User, id: string): Promise<ActorRecord> {
  const row = await findById(db, 'actors', id);
  await requireRole(db, user, row.investigation_id, 'viewer');
  return toActor(row);
}

export async function updateActor(
  db: Kysely<DB>,
  user: User,
  id: string,
  input: UpdateActorInput,
): Promise<ActorRecord> {
  const { version, ...changes } = updateActorBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, 'actors', id);
    const access = await requireRole(trx, user, before.investigation_id, 'investigator');
    requireCanEdit(access, user, before);
    const after = await updateVersioned(trx, 'actors', before, version, {
      ...changes,
      names_folded: foldNames(changes.name ?? before.name, changes.aliases ?? before.aliases),
    });
    await recordChange(trx, user, {
      action: 'actor.update',
      entityType: 'actors',
      entityId: id,
      investigationId: before.investigation_id,
      before,
      after,
    });
    return toActor(after);
  });
}

/** Archives an actor; trace requests and claims that name it keep pointing to it. */
export async function archiveActor(db: Kysely<DB>, user: User, id: string, input: ArchiveInput): Promise<ActorRecord> {
  const parsed = archiveBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, 'actors', id);
    const access = await requireRole(trx, user, before.investigation_id, 'investigator');
    requireCanEdit(access, user, before);
    const after = await archiveVersioned(trx, 'actors', before, parsed.version, parsed.reason);
    await recordChange(trx, user, {
      action: 'actor.archive',
      entityType: 'actors',
      entityId: id,
      investigationId: before.investigation_id,
      before,
      after,
    });
    return toActor(after);
  });
}
