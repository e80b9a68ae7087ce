import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Page, PageQuery } from '../../db/pagination.js';
import { toPage } from '../../db/pagination.js';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import {
  findById,
  findForUpdate,
  inTransaction,
  updateVersioned,
  type Queryable,
  type Tx,
} from '../../db/versioned.js';
import { requireUnusedRecordId } from '../../db/record-ids.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireCanEdit, requireRole } from '../access/service.js';
import { archiveAudited } from '../audit/archive.js';
import { recordChange } from '../audit/service.js';
import type { ArchiveInput } from '../../http/params.js';
import {
  detectScript,
  deriveLegibility,
  normalizeMarking,
  searchKeys,
  type Legibility,
} from '../../parsing/marking-text.js';
import * as repository from './repository.js';
import { ensureSearchKeys, parseQueryOrFail, runMarkingSearch } from '../marking-search/service.js';
import {
  createMarkingBodySchema,
  updateMarkingBodySchema,
  type CreateMarkingInput,
  type Marking,
  type MarkingKind,
  type MarkingSearchQuery,
  type MarkingSearchResult,
  type ParsedMarkingInput,
  type UpdateMarkingInput,
} from './schema.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';
import {
  clearanceForRole,
  requireReader,
  requireVisible,
  sensitivityForInsert,
  sensitivityPatch,
} from '../sensitivity/service.js';

export function toMarking(row: Row<'markings'>): Marking {
  // The search keys are derived internals, not part of the record.
  const { skeleton: _skeleton, confusion_key: _confusionKey, ...record } = row;
  return {
    ...toJsonRecord(record),
    kind: row.kind as MarkingKind,
    legibility: row.legibility as Legibility,
    sensitivity: row.sensitivity as SensitivityLevel,
  };
}

/** The columns derived from a transcription; an explicit script (even null) wins over detection. */
export function deriveFromText(text: string, script: string | null | undefined) {
  return {
    normalized: normalizeMarking(text),
    legibility: deriveLegibility(text),
    script: script === undefined ? detectScript(text) : script,
    ...searchKeys(text),
  };
}

function requireLiveItem(item: Row<'items'>): void {
  if (item.archived_at !== null) {
    throw new DomainError('archived', `Item ${item.id} is archived; markings can no longer be added to it.`);
  }
}

/**
 * Inserts and audits one marking of an item inside the caller's transaction.
 * The caller has checked access; the item creation uses this so an item and
 * its markings are written together.
 */
export async function insertMarkingForItem(
  trx: Tx,
  actor: Actor,
  item: Pick<Row<'items'>, 'id' | 'investigation_id'>,
  input: ParsedMarkingInput,
  clearance: SensitivityLevel,
): Promise<Marking> {
  const now = new Date();
  const row = await repository.insertMarking(trx, {
    ...sensitivityForInsert(input, clearance),
    id: input.id ?? uuidv7(),
    investigation_id: item.investigation_id,
    item_id: item.id,
    text: input.text,
    kind: input.kind,
    position: input.position ?? null,
    ...deriveFromText(input.text, input.script),
    created_by: actor.userId,
    created_at: now,
    updated_at: now,
  });
  await recordChange(trx, actor, {
    action: 'marking.create',
    entityType: 'markings',
    entityId: row.id,
    investigationId: row.investigation_id,
    after: row,
  });
  return toMarking(row);
}

/** The live markings of an item, for callers that have already checked access to it. */
export async function markingsOfItem(db: Queryable, itemId: string, clearance: SensitivityLevel): Promise<Marking[]> {
  const rows = await repository.listActiveItemMarkings(db, itemId, clearance);
  return rows.map(toMarking);
}

/**
 * Records a marking read on an item. Script, legibility and the normalized
 * form are derived from the text.
 *
 * @example
 * await createMarking(db, actor, itemId, { text: '٢٠١٥', kind: 'year', position: 'base' });
 */
export async function createMarking(
  db: Queryable,
  actor: Actor,
  itemId: string,
  input: CreateMarkingInput,
): Promise<Marking> {
  const parsed = createMarkingBodySchema.parse(input);
  return inTransaction(db, async (trx) => {
    const item = await findById(trx, 'items', itemId);
    const access = await requireRole(trx, actor, item.investigation_id, 'investigator');
    const clearance = await clearanceForRole(trx, access.role, item.investigation_id);
    requireVisible(clearance, item, 'Item');
    requireLiveItem(item);
    if (parsed.id !== undefined) await requireUnusedRecordId(trx, parsed.id);
    return insertMarkingForItem(trx, actor, item, parsed, clearance);
  });
}

export async function listItemMarkings(
  db: Kysely<DB>,
  actor: Actor,
  itemId: string,
  page: PageQuery,
): Promise<Page<Marking>> {
  const item = await findById(db, 'items', itemId);
  const { clearance } = await requireReader(db, actor, item.investigation_id);
  requireVisible(clearance, item, 'Item');
  const rows = await repository.listItemMarkings(
    db,
    itemId,
    { after: page.after, limit: page.limit, includeArchived: page.include_archived },
    clearance,
  );
  return toPage(rows, page.limit, toMarking);
}

/**
 * Lists the markings of an investigation, or with `q` finds them with the
 * ranked search (docs/markings.md): closest first, one page.
 *
 * @example
 * await searchMarkings(db, actor, investigationId, { q: 'ak 47', limit: 20, include_archived: false });
 */
export async function searchMarkings(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  query: MarkingSearchQuery,
): Promise<Page<MarkingSearchResult>> {
  const { clearance } = await requireReader(db, actor, investigationId);
  if (query.q !== undefined) {
    const parsed = parseQueryOrFail(query.q);
    await ensureSearchKeys(db);
    const hits = await runMarkingSearch(
      db,
      parsed,
      {
        investigationIds: [investigationId],
        kind: query.kind,
        includeArchived: query.include_archived,
        restrictedIn: clearance === 'restricted' ? [investigationId] : [],
      },
      query.limit,
    );
    // Ranked results are one page: their order is not by id, so there is no keyset to continue from.
    return { items: hits.map(({ row, match }) => ({ ...toMarking(row), similarity: match.score })), next_after: null };
  }
  const rows = await repository.listInvestigationMarkings(
    db,
    investigationId,
    {
      kind: query.kind,
      after: query.after,
      limit: query.limit,
      includeArchived: query.include_archived,
    },
    clearance,
  );
  return toPage(rows, query.limit, (row) => ({ ...toMarking(row), similarity: null }));
}

export async function getMarking(db: Kysely<DB>, actor: Actor, id: string): Promise<Marking> {
  const row = await findById(db, 'markings', id);
  const { clearance } = await requireReader(db, actor, row.investigation_id);
  requireVisible(clearance, row, 'Marking');
  // A marking names its item, so a marking of an item the reader may not see is not shown either.
  requireVisible(clearance, { id, sensitivity: (await findById(db, 'items', row.item_id)).sensitivity }, 'Marking');
  return toMarking(row);
}

/** Corrects a marking; a new text re-derives normalized, legibility and (unless given) script. */
export async function updateMarking(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  input: UpdateMarkingInput,
): Promise<Marking> {
  const parsed = updateMarkingBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, 'markings', id);
    const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
    const clearance = await clearanceForRole(trx, access.role, before.investigation_id);
    requireVisible(clearance, before, 'Marking');
    requireCanEdit(access, actor, before);
    const after = await updateVersioned(trx, 'markings', before, parsed.version, {
      ...sensitivityPatch(parsed, before, clearance),
      ...(parsed.text === undefined ? {} : { text: parsed.text, ...deriveFromText(parsed.text, parsed.script) }),
      ...(parsed.script === undefined ? {} : { script: parsed.script }),
      ...(parsed.kind === undefined ? {} : { kind: parsed.kind }),
      ...(parsed.position === undefined ? {} : { position: parsed.position }),
    });
    await recordChange(trx, actor, {
      action: 'marking.update',
      entityType: 'markings',
      entityId: id,
      investigationId: after.investigation_id,
      before,
      after,
    });
    return toMarking(after);
  });
}

export async function archiveMarking(db: Kysely<DB>, actor: Actor, id: string, input: ArchiveInput): Promise<Marking> {
  return archiveAudited(db, actor, { table: 'markings', id, action: 'marking.archive' }, input, {
    authorize: async (trx, before) => {
      const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
      requireVisible(await clearanceForRole(trx, access.role, before.investigation_id), before, 'Marking');
      requireCanEdit(access, actor, before);
    },
    present: (_trx, after) => toMarking(after),
  });
}
