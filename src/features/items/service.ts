import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Page } from '../../db/pagination.js';
import { toPage } from '../../db/pagination.js';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import { requireUnusedRecordIds } from '../../db/record-ids.js';
import {
  findById,
  findForUpdate,
  inTransaction,
  updateVersioned,
  type Queryable,
  type Tx,
} from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireCanEdit, requireRole } from '../access/service.js';
import { archiveAudited } from '../audit/archive.js';
import { recordChange } from '../audit/service.js';
import type { ArchiveInput } from '../../http/params.js';
import { insertMarkingForItem, markingsOfItem } from '../markings/service.js';
import * as repository from './repository.js';
import {
  createItemBodySchema,
  disposalBodySchema,
  fuzedCategories,
  updateItemBodySchema,
  type CreateItemInput,
  type DisposalInput,
  type Hazard,
  type Item,
  type ItemCategory,
  type ItemDetail,
  type ItemListQuery,
  type UpdateItemInput,
} from './schema.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';
import {
  clearanceFor,
  clearanceForRole,
  isVisibleAt,
  requireReader,
  requireVisible,
  sensitivityForInsert,
  sensitivityPatch,
} from '../sensitivity/service.js';
import { idsAbove } from '../sensitivity/repository.js';

/**
 * The item as answered; `hiddenSites` are the sites the reader may not see (an internal item may lie at a
 * restricted site): their id is left out and `site_hidden` says so.
 */
function toItem(row: Row<'items'>, hiddenSites: ReadonlySet<string> = new Set()): Item {
  const siteHidden = hiddenSites.has(row.site_id);
  return {
    ...toJsonRecord(row),
    site_id: siteHidden ? null : row.site_id,
    site_hidden: siteHidden,
    category: row.category as Item['category'],
    assembly_state: row.assembly_state as Item['assembly_state'],
    condition: row.condition as Item['condition'],
    production_type: row.production_type as Item['production_type'],
    fuze_fitted: row.fuze_fitted as Item['fuze_fitted'],
    safety_device_fitted: row.safety_device_fitted as Item['safety_device_fitted'],
    disposal_status: row.disposal_status as Item['disposal_status'],
    sensitivity: row.sensitivity as SensitivityLevel,
  };
}

function isFuzedCategory(category: string): boolean {
  return fuzedCategories.includes(category as ItemCategory);
}

/**
 * An item cannot be placed at a site that is archived; a site of another investigation is left to the database. A
 * site above the writer's clearance is answered as one that does not exist.
 */
async function requireLiveSite(
  trx: Tx,
  investigationId: string,
  siteId: string,
  clearance: SensitivityLevel,
): Promise<void> {
  const site = await repository.findSite(trx, siteId);
  if (site !== undefined && !isVisibleAt(clearance, site.sensitivity)) {
    throw new DomainError('reference_invalid', `Site ${siteId} does not exist or you cannot see it.`, [
      { field: 'site_id', message: 'no such site in this investigation', code: 'unknown_reference' },
    ]);
  }
  if (site?.investigation_id === investigationId && site.archived_at !== null) {
    throw new DomainError('archived', `Site ${siteId} is archived; items can no longer be added to it.`);
  }
}

/**
 * Records an item found at a site, with the markings read on it, in one
 * transaction. When the fuze state is left out for a rocket, mortar bomb,
 * artillery projectile or aircraft bomb it is recorded as 'unknown', so the
 * item appears on the hazard list until someone says otherwise.
 *
 * @example
 * await createItem(db, actor, investigationId, {
 *   site_id: siteId, category: 'mortar_bomb', quantity: 3,
 *   markings: [{ text: '82-OF-843', kind: 'model' }],
 * });
 */
export async function createItem(
  db: Queryable,
  actor: Actor,
  investigationId: string,
  input: CreateItemInput,
): Promise<ItemDetail> {
  const parsed = createItemBodySchema.parse(input);
  return inTransaction(db, async (trx) => {
    const access = await requireRole(trx, actor, investigationId, 'investigator');
    const clearance = await clearanceForRole(trx, access.role, investigationId);
    const sensitivity = sensitivityForInsert(parsed, clearance);
    await requireLiveSite(trx, investigationId, parsed.site_id, clearance);
    // The item's id and its markings' ids, when the client chose them, checked in one query.
    await requireUnusedRecordIds(trx, [
      ...(parsed.id === undefined ? [] : [{ id: parsed.id, field: 'id' }]),
      ...parsed.markings.flatMap((marking, index) =>
        marking.id === undefined ? [] : [{ id: marking.id, field: `markings.${index}.id` }],
      ),
    ]);
    const now = new Date();
    const row = await repository.insertItem(trx, {
      ...sensitivity,
      id: parsed.id ?? uuidv7(),
      investigation_id: investigationId,
      site_id: parsed.site_id,
      zone_id: parsed.zone_id ?? null,
      external_ref: parsed.external_ref ?? null,
      category: parsed.category,
      model: parsed.model ?? null,
      quantity: parsed.quantity,
      assembly_state: parsed.assembly_state ?? null,
      condition: parsed.condition ?? null,
      production_type: parsed.production_type,
      observations: parsed.observations,
      tags: parsed.tags,
      fuze_fitted:
        parsed.fuze_fitted !== undefined ? parsed.fuze_fitted : isFuzedCategory(parsed.category) ? 'unknown' : null,
      safety_device_fitted: parsed.safety_device_fitted ?? null,
      disposal_status: parsed.disposal_status,
      disposal_note: null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await recordChange(trx, actor, {
      action: 'item.create',
      entityType: 'items',
      entityId: row.id,
      investigationId,
      after: row,
    });
    const markings = [];
    for (const marking of parsed.markings) {
      markings.push(await insertMarkingForItem(trx, actor, row, marking, clearance));
    }
    return { ...toItem(row), markings };
  });
}

export async function listItems(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  query: ItemListQuery,
): Promise<Page<Item>> {
  const { clearance } = await requireReader(db, actor, investigationId);
  // Asking for the items of a site one may not see answers as for a site without items.
  if (query.site_id !== undefined && (await idsAbove(db, 'sites', [query.site_id], clearance)).size > 0) {
    return { items: [], next_after: null };
  }
  const rows = await repository.listItems(db, investigationId, {
    clearance,
    siteId: query.site_id,
    zoneId: query.zone_id,
    category: query.category,
    condition: query.condition,
    productionType: query.production_type,
    hazardous: query.hazardous,
    text: query.q,
    after: query.after,
    limit: query.limit,
    sort: query.sort,
    order: query.order,
    includeArchived: query.include_archived,
  });
  const hiddenSites = await idsAbove(
    db,
    'sites',
    rows.map((row) => row.site_id),
    clearance,
  );
  return toPage(rows, query.limit, (row) => toItem(row, hiddenSites));
}

/** An item with its live markings. */
export async function getItem(db: Kysely<DB>, actor: Actor, id: string): Promise<ItemDetail> {
  const row = await findById(db, 'items', id);
  const { clearance } = await requireReader(db, actor, row.investigation_id);
  requireVisible(clearance, row, 'Item');
  const hiddenSites = await idsAbove(db, 'sites', [row.site_id], clearance);
  return { ...toItem(row, hiddenSites), markings: await markingsOfItem(db, id, clearance) };
}

/**
 * Corrects an item. Disposal status has its own audited route
 * ({@link setDisposalStatus}). Changing to a category that may be fuzed makes
 * an unrecorded fuze state 'unknown', as on creation.
 */
export async function updateItem(db: Queryable, actor: Actor, id: string, input: UpdateItemInput): Promise<Item> {
  const parsed = updateItemBodySchema.parse(input);
  return inTransaction(db, async (trx) => {
    const before = await findForUpdate(trx, 'items', id);
    const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
    const clearance = await clearanceForRole(trx, access.role, before.investigation_id);
    requireVisible(clearance, before, 'Item');
    requireCanEdit(access, actor, before);
    if (parsed.site_id !== undefined && parsed.site_id !== before.site_id) {
      await requireLiveSite(trx, before.investigation_id, parsed.site_id, clearance);
    }
    const { version, sensitivity: _sensitivity, sensitivity_reason: _reason, ...changes } = parsed;
    const becomesFuzed =
      changes.category !== undefined &&
      changes.fuze_fitted === undefined &&
      before.fuze_fitted === null &&
      isFuzedCategory(changes.category);
    // Kysely leaves out fields whose value is undefined, so only what was sent changes.
    const after = await updateVersioned(trx, 'items', before, version, {
      ...changes,
      ...sensitivityPatch(parsed, before, clearance),
      ...(becomesFuzed ? { fuze_fitted: 'unknown' } : {}),
    });
    await recordChange(trx, actor, {
      action: 'item.update',
      entityType: 'items',
      entityId: id,
      investigationId: after.investigation_id,
      before,
      after,
    });
    return toItem(after, await idsAbove(trx, 'sites', [after.site_id], clearance));
  });
}

export async function archiveItem(db: Kysely<DB>, actor: Actor, id: string, input: ArchiveInput): Promise<Item> {
  return archiveAudited(db, actor, { table: 'items', id, action: 'item.archive' }, input, {
    authorize: async (trx, before) => {
      const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
      requireVisible(await clearanceForRole(trx, access.role, before.investigation_id), before, 'Item');
      requireCanEdit(access, actor, before);
    },
    present: async (trx, after) =>
      toItem(
        after,
        await idsAbove(trx, 'sites', [after.site_id], await clearanceFor(trx, actor, after.investigation_id)),
      ),
  });
}

/**
 * Records where an item stands with clearance (moved to storage, referred,
 * rendered safe…). Only a status and a note: armtrace records what was done
 * and by whom, never how.
 *
 * @example
 * await setDisposalStatus(db, actor, itemId, { version: 2, disposal_status: 'transferred', note: 'Referred to the clearance team' });
 */
export async function setDisposalStatus(db: Queryable, actor: Actor, id: string, input: DisposalInput): Promise<Item> {
  const parsed = disposalBodySchema.parse(input);
  return inTransaction(db, async (trx) => {
    const before = await findForUpdate(trx, 'items', id);
    const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
    const clearance = await clearanceForRole(trx, access.role, before.investigation_id);
    requireVisible(clearance, before, 'Item');
    requireCanEdit(access, actor, before);
    const after = await updateVersioned(trx, 'items', before, parsed.version, {
      disposal_status: parsed.disposal_status,
      disposal_note: parsed.note ?? null,
    });
    await recordChange(trx, actor, {
      action: 'item.disposal',
      entityType: 'items',
      entityId: id,
      investigationId: after.investigation_id,
      before,
      after,
    });
    return toItem(after, await idsAbove(trx, 'sites', [after.site_id], clearance));
  });
}

/**
 * The hazard list: live items that may carry a fitted fuze (yes or unknown)
 * and have not been rendered safe or destroyed, known-fuzed ones first.
 */
export async function listHazards(db: Kysely<DB>, actor: Actor, investigationId: string): Promise<Hazard[]> {
  const { clearance } = await requireReader(db, actor, investigationId);
  const rows = await repository.listHazards(db, investigationId, clearance);
  return rows.map(({ site_name, ...row }) => ({ ...toItem(row), site_id: row.site_id, site_name }));
}
