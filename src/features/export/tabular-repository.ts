/**
 * Reads for the tabular and geographic exports, in pages ordered by id (keyset), so an export streams an
 * investigation of any size and never holds the single embedded-database connection for the whole download:
 * other users' requests run between two pages. Archived records are left out (the JSON export and the bag
 * carry them).
 */
import { sql } from 'kysely';
import type { Queryable } from '../../db/versioned.js';
import { whereSensitivityAtMost } from '../sensitivity/repository.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';

export const exportPageSize = 500;

export interface SiteExportRow {
  id: string;
  external_ref: string | null;
  name: string;
  site_type: string;
  latitude: number | null;
  longitude: number | null;
  precision_m: number | null;
  recovered_by: string | null;
  recovered_on: string | null;
  context: string;
  item_count: number;
  created_at: Date;
  updated_at: Date;
}

export async function listSitesPage(
  db: Queryable,
  investigationId: string,
  after: string | undefined,
  clearance: SensitivityLevel,
): Promise<SiteExportRow[]> {
  let query = db
    .selectFrom('sites')
    .select([
      'sites.id',
      'sites.external_ref',
      'sites.name',
      'sites.site_type',
      'sites.latitude',
      'sites.longitude',
      'sites.precision_m',
      'sites.recovered_by',
      'sites.recovered_on',
      'sites.context',
      'sites.created_at',
      'sites.updated_at',
    ])
    .select(
      sql<number>`(SELECT count(*)::int FROM items WHERE items.site_id = sites.id AND items.archived_at IS NULL)`.as(
        'item_count',
      ),
    )
    .where('sites.investigation_id', '=', investigationId)
    .where('sites.archived_at', 'is', null)
    .orderBy('sites.id')
    .limit(exportPageSize);
  query = whereSensitivityAtMost(query, 'sites', clearance);
  if (after !== undefined) query = query.where('sites.id', '>', after);
  return query.execute();
}

/** Live sites with no point: listed in CSV and XLSX, left out of GeoJSON and KML (and counted). */
export async function countSitesWithoutPoint(db: Queryable, investigationId: string): Promise<number> {
  const row = await db
    .selectFrom('sites')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('investigation_id', '=', investigationId)
    .where('archived_at', 'is', null)
    .where((eb) => eb.or([eb('latitude', 'is', null), eb('longitude', 'is', null)]))
    .executeTakeFirstOrThrow();
  return row.count;
}

export interface ItemExportRow {
  id: string;
  external_ref: string | null;
  site_id: string;
  site_name: string;
  zone_name: string | null;
  category: string;
  model: string | null;
  quantity: number;
  assembly_state: string | null;
  condition: string | null;
  production_type: string;
  fuze_fitted: string | null;
  safety_device_fitted: string | null;
  disposal_status: string;
  disposal_note: string | null;
  tags: string[];
  observations: string;
  created_at: Date;
  updated_at: Date;
}

export async function listItemsPage(
  db: Queryable,
  investigationId: string,
  after: string | undefined,
  clearance: SensitivityLevel,
): Promise<ItemExportRow[]> {
  let query = db
    .selectFrom('items')
    .innerJoin('sites', 'sites.id', 'items.site_id')
    .leftJoin('zones', 'zones.id', 'items.zone_id')
    .select([
      'items.id',
      'items.external_ref',
      'items.site_id',
      'sites.name as site_name',
      'zones.name as zone_name',
      'items.category',
      'items.model',
      'items.quantity',
      'items.assembly_state',
      'items.condition',
      'items.production_type',
      'items.fuze_fitted',
      'items.safety_device_fitted',
      'items.disposal_status',
      'items.disposal_note',
      'items.tags',
      'items.observations',
      'items.created_at',
      'items.updated_at',
    ])
    .where('items.investigation_id', '=', investigationId)
    .where('items.archived_at', 'is', null)
    .orderBy('items.id')
    .limit(exportPageSize);
  query = whereSensitivityAtMost(whereSensitivityAtMost(query, 'items', clearance), 'sites', clearance);
  if (after !== undefined) query = query.where('items.id', '>', after);
  return query.execute();
}

export interface MarkingExportRow {
  id: string;
  item_id: string;
  item_external_ref: string | null;
  text: string;
  kind: string;
  position: string | null;
  script: string | null;
  legibility: string;
  created_at: Date;
}

/** Live markings of live items, by id. */
export async function listMarkingsPage(
  db: Queryable,
  investigationId: string,
  after: string | undefined,
  clearance: SensitivityLevel,
): Promise<MarkingExportRow[]> {
  let query = db
    .selectFrom('markings')
    .innerJoin('items', 'items.id', 'markings.item_id')
    .select([
      'markings.id',
      'markings.item_id',
      'items.external_ref as item_external_ref',
      'markings.text',
      'markings.kind',
      'markings.position',
      'markings.script',
      'markings.legibility',
      'markings.created_at',
    ])
    .where('markings.investigation_id', '=', investigationId)
    .where('markings.archived_at', 'is', null)
    .where('items.archived_at', 'is', null)
    .orderBy('markings.id')
    .limit(exportPageSize);
  query = whereSensitivityAtMost(whereSensitivityAtMost(query, 'markings', clearance), 'items', clearance);
  if (after !== undefined) query = query.where('markings.id', '>', after);
  return query.execute();
}

/** The live markings of some items, in the order they were recorded. */
export async function listMarkingTexts(
  db: Queryable,
  itemIds: readonly string[],
  clearance: SensitivityLevel,
): Promise<{ id: string; item_id: string; text: string }[]> {
  if (itemIds.length === 0) return [];
  return whereSensitivityAtMost(db.selectFrom('markings'), 'markings', clearance)
    .select(['id', 'item_id', 'text'])
    .where('item_id', 'in', itemIds)
    .where('archived_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export interface HazardExportRow {
  id: string;
  external_ref: string | null;
  site_id: string;
  site_name: string;
  site_external_ref: string | null;
  latitude: number | null;
  longitude: number | null;
  precision_m: number | null;
  zone_name: string | null;
  category: string;
  model: string | null;
  quantity: number;
  fuze_fitted: string;
  safety_device_fitted: string | null;
  disposal_status: string;
  /** When the disposal status was last recorded (the latest item.disposal audit entry), else when the item was. */
  disposal_status_since: Date;
  disposal_note: string | null;
}

/**
 * One page of the hazard list, defined as on screen (items/repository.ts listHazards): live items whose fuze is
 * fitted or not known to be absent and that are neither rendered safe nor destroyed. The caller reads the
 * known-fuzed ones first (`fuze: 'yes'`), then the unknown ones, each by id.
 */
export async function listHazardsPage(
  db: Queryable,
  investigationId: string,
  fuze: 'yes' | 'unknown',
  after: string | undefined,
  clearance: SensitivityLevel,
): Promise<HazardExportRow[]> {
  let query = db
    .selectFrom('items')
    .innerJoin('sites', 'sites.id', 'items.site_id')
    .leftJoin('zones', 'zones.id', 'items.zone_id')
    .select([
      'items.id',
      'items.external_ref',
      'items.site_id',
      'sites.name as site_name',
      'sites.external_ref as site_external_ref',
      'sites.latitude',
      'sites.longitude',
      'sites.precision_m',
      'zones.name as zone_name',
      'items.category',
      'items.model',
      'items.quantity',
      'items.safety_device_fitted',
      'items.disposal_status',
      'items.disposal_note',
    ])
    .select(sql<string>`items.fuze_fitted`.as('fuze_fitted'))
    .select(
      sql<Date>`coalesce((SELECT max(audit_log.at) FROM audit_log WHERE audit_log.entity_type = 'items'
        AND audit_log.entity_id = items.id AND audit_log.action = 'item.disposal'), items.created_at)`.as(
        'disposal_status_since',
      ),
    )
    .where('items.investigation_id', '=', investigationId)
    .where('items.archived_at', 'is', null)
    .where('items.fuze_fitted', '=', fuze)
    .where('items.disposal_status', 'not in', ['rendered_safe', 'destroyed'])
    .orderBy('items.id')
    .limit(exportPageSize);
  query = whereSensitivityAtMost(whereSensitivityAtMost(query, 'items', clearance), 'sites', clearance);
  if (after !== undefined) query = query.where('items.id', '>', after);
  return query.execute();
}

export async function countHazardsWithoutPoint(db: Queryable, investigationId: string): Promise<number> {
  const row = await db
    .selectFrom('items')
    .innerJoin('sites', 'sites.id', 'items.site_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('items.investigation_id', '=', investigationId)
    .where('items.archived_at', 'is', null)
    .where('items.fuze_fitted', 'in', ['yes', 'unknown'])
    .where('items.disposal_status', 'not in', ['rendered_safe', 'destroyed'])
    .where((eb) => eb.or([eb('sites.latitude', 'is', null), eb('sites.longitude', 'is', null)]))
    .executeTakeFirstOrThrow();
  return row.count;
}
