import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Page } from '../../db/pagination.js';
import { toPage } from '../../db/pagination.js';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import { archiveVersioned, findById, findForUpdate, updateVersioned } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor as User } from '../access/schema.js';
import { requireCanEdit, requireRole } from '../access/service.js';
import { archiveAudited } from '../audit/archive.js';
import { recordChange } from '../audit/service.js';
import type { ArchiveInput } from '../../http/params.js';
import * as repository from './repository.js';
import {
  createActorBodySchema,
  mergeActorBodySchema,
  mergePreviewQuerySchema,
  updateActorBodySchema,
  type ActorRecord,
  type ActorListQuery,
  type ActorType,
  type CreateActorInput,
  type MergeActorInput,
  type MergeActorResult,
  type MergePreview,
  type MergePreviewQuery,
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
    sort: query.sort,
    order: query.order,
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
  return archiveAudited(db, user, { table: 'actors', id, action: 'actor.archive' }, input, {
    authorize: async (trx, before) => {
      const access = await requireRole(trx, user, before.investigation_id, 'investigator');
      requireCanEdit(access, user, before);
    },
    present: (_trx, after) => toActor(after),
  });
}

/** The kept actor's aliases after a merge: its own, then the merged actor's name and aliases, each once. */
function mergedAliases(kept: Row<'actors'>, merged: Row<'actors'>): string[] {
  const seen = new Set([fold(kept.name)]);
  const aliases: string[] = [];
  for (const name of [...kept.aliases, merged.name, ...merged.aliases]) {
    if (seen.has(fold(name))) continue;
    seen.add(fold(name));
    aliases.push(name);
  }
  return aliases;
}

/** A merge names two different actors. */
function requireAnotherActor(id: string, intoId: string): void {
  if (intoId === id) {
    throw new DomainError(
      'validation_failed',
      'An actor cannot be merged into itself: give another actor as into_id.',
      [{ field: 'into_id', message: 'must differ from the merged actor' }],
    );
  }
}

/** The kept actor is in use and in the merged actor's investigation. */
function requireMergeTarget(merged: Row<'actors'>, kept: Row<'actors'>): void {
  if (kept.investigation_id !== merged.investigation_id) {
    throw new DomainError('reference_invalid', `Actor ${kept.id} is not an actor of this investigation.`, [
      { field: 'into_id', message: 'not an actor of this investigation' },
    ]);
  }
  if (kept.archived_at !== null) {
    throw new DomainError('archived', `Actor ${kept.id} is archived: merge into an actor still in use.`, [
      { field: 'into_id', message: 'archived' },
    ]);
  }
}

/**
 * What merging `id` into `into_id` would change, computed by the same rules
 * as {@link mergeActor} and changing nothing: the aliases the kept actor
 * would gain, its country, and every trace request and claim that would move.
 * Needs the role a merge needs (editor), so the preview never promises a merge
 * that would be refused for the role.
 *
 * @example
 * const preview = await previewMerge(db, user, duplicate.id, { into_id: kept.id });
 * preview.trace_requests.length; // how many requests would be re-addressed
 */
export async function previewMerge(
  db: Kysely<DB>,
  user: User,
  id: string,
  query: MergePreviewQuery,
): Promise<MergePreview> {
  const parsed = mergePreviewQuerySchema.parse(query);
  requireAnotherActor(id, parsed.into_id);
  const merged = await findById(db, 'actors', id);
  await requireRole(db, user, merged.investigation_id, 'editor');
  const kept = await findById(db, 'actors', parsed.into_id);
  requireMergeTarget(merged, kept);
  if (merged.archived_at !== null) {
    throw new DomainError('archived', `Actor ${merged.id} is archived already; it cannot be merged.`);
  }
  const aliases = mergedAliases(kept, merged);
  const requests = await repository.listTraceRequestsAddressedTo(db, merged.id);
  const claims = await repository.listClaimsNaming(db, merged.id);
  return {
    kept: toActor(kept),
    merged: toActor(merged),
    aliases_after: aliases,
    aliases_added: aliases.filter((alias) => !kept.aliases.includes(alias)),
    country_code_after: kept.country_code ?? merged.country_code,
    trace_requests: requests.map((request) => ({
      id: request.id,
      subject: request.subject,
      status: request.status,
      archived_at: request.archived_at?.toISOString() ?? null,
    })),
    provenance_claims: claims.map((claim) => ({
      id: claim.id,
      event_type: claim.event_type,
      item_id: claim.item_id,
      lot_marking: claim.lot_marking,
      role:
        claim.actor_id === merged.id
          ? claim.counterpart_id === merged.id
            ? ('both' as const)
            : ('actor' as const)
          : ('counterpart' as const),
      archived_at: claim.archived_at?.toISOString() ?? null,
    })),
  };
}

/**
 * Merges a duplicate actor into another of the same investigation, in one
 * transaction: the kept actor takes the duplicate's name and aliases as
 * aliases (and its country if it had none), every trace request and
 * provenance claim naming the duplicate is moved to the kept actor, and the
 * duplicate is archived as "merged into …". Every change is audited.
 * Needs editor: it rewrites records other people made.
 *
 * @example
 * await mergeActor(db, user, duplicate.id, { into_id: kept.id });
 */
export async function mergeActor(
  db: Kysely<DB>,
  user: User,
  id: string,
  input: MergeActorInput,
): Promise<MergeActorResult> {
  const parsed = mergeActorBodySchema.parse(input);
  requireAnotherActor(id, parsed.into_id);
  return db.transaction().execute(async (trx) => {
    // Locked in id order, so two merges of the same pair cannot deadlock.
    const [firstId, secondId] = [id, parsed.into_id].sort();
    const locked = new Map<string, Row<'actors'>>();
    for (const actorId of [firstId!, secondId!]) locked.set(actorId, await findForUpdate(trx, 'actors', actorId));
    const merged = locked.get(id)!;
    const kept = locked.get(parsed.into_id)!;
    await requireRole(trx, user, merged.investigation_id, 'editor');
    requireMergeTarget(merged, kept);
    const investigationId = merged.investigation_id;

    const aliases = mergedAliases(kept, merged);
    const keptAfter = await updateVersioned(trx, 'actors', kept, kept.version, {
      aliases,
      country_code: kept.country_code ?? merged.country_code,
      names_folded: foldNames(kept.name, aliases),
    });
    await recordChange(trx, user, {
      action: 'actor.merge_keep',
      entityType: 'actors',
      entityId: kept.id,
      investigationId,
      before: kept,
      after: keptAfter,
    });

    const requests = await repository.lockTraceRequestsAddressedTo(trx, merged.id);
    for (const before of requests) {
      const after = await repository.repointTraceRequest(trx, before, kept.id);
      await recordChange(trx, user, {
        action: 'trace_request.reassign_actor',
        entityType: 'trace_requests',
        entityId: before.id,
        investigationId,
        before,
        after,
      });
    }
    const claims = await repository.lockClaimsNaming(trx, merged.id);
    for (const before of claims) {
      const after = await repository.repointClaim(trx, before, merged.id, kept.id);
      await recordChange(trx, user, {
        action: 'provenance_claim.reassign_actor',
        entityType: 'provenance_claims',
        entityId: before.id,
        investigationId,
        before,
        after,
      });
    }

    const mergedAfter = await archiveVersioned(
      trx,
      'actors',
      merged,
      parsed.version ?? merged.version,
      `merged into ${kept.name} (${kept.id})`,
    );
    await recordChange(trx, user, {
      action: 'actor.merge_archive',
      entityType: 'actors',
      entityId: merged.id,
      investigationId,
      before: merged,
      after: mergedAfter,
    });
    return {
      kept: toActor(keptAfter),
      merged: toActor(mergedAfter),
      moved: { trace_requests: requests.length, provenance_claims: claims.length },
    };
  });
}
