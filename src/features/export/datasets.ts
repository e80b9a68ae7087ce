/**
 * The four tables armtrace exports, with the columns each carries: sites, items (with their markings), markings,
 * and the hazard list with what a clearance team needs (where, how precisely, what, how many, fuze and safety
 * device state, disposal status and since when). Rows are read page by page (tabular-repository.ts).
 */
import type { Queryable } from '../../db/versioned.js';
import type { ExportColumn, ExportTable } from './tabular.js';
import { isoTime } from './tabular.js';
import {
  listHazardsPage,
  listItemsPage,
  listMarkingsPage,
  listMarkingTexts,
  listSitesPage,
  type HazardExportRow,
  type ItemExportRow,
  type MarkingExportRow,
  type SiteExportRow,
} from './tabular-repository.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';

/** Every page of a keyset-paginated read, row by row. */
async function* paged<Row extends { id: string }>(
  readPage: (after: string | undefined) => Promise<Row[]>,
): AsyncGenerator<Row> {
  let after: string | undefined;
  for (;;) {
    const page = await readPage(after);
    yield* page;
    if (page.length === 0) return;
    after = page[page.length - 1]!.id;
  }
}

export const siteColumns: readonly ExportColumn<SiteExportRow>[] = [
  { name: 'site_id', value: (row) => row.id },
  { name: 'external_ref', value: (row) => row.external_ref, from: 'sites.external_ref' },
  // Not `name`: KML readers (GDAL's LIBKML) take `Name` for the placemark's own name and drop a second one.
  { name: 'site_name', value: (row) => row.name, from: 'sites.name' },
  { name: 'site_type', value: (row) => row.site_type, vocabulary: 'siteType', from: 'sites.site_type' },
  { name: 'latitude', value: (row) => row.latitude, from: 'sites.latitude' },
  { name: 'longitude', value: (row) => row.longitude, from: 'sites.longitude' },
  { name: 'precision_m', value: (row) => row.precision_m, from: 'sites.precision_m' },
  { name: 'recovered_by', value: (row) => row.recovered_by, from: 'sites.recovered_by' },
  { name: 'recovered_on', value: (row) => row.recovered_on, from: 'sites.recovered_on' },
  { name: 'item_count', value: (row) => row.item_count },
  { name: 'context', value: (row) => row.context, from: 'sites.context' },
  { name: 'created_at', value: (row) => isoTime(row.created_at), from: 'sites.created_at' },
  { name: 'updated_at', value: (row) => isoTime(row.updated_at), from: 'sites.updated_at' },
];

export function sitesTable(
  db: Queryable,
  investigationId: string,
  clearance: SensitivityLevel,
): ExportTable<SiteExportRow> {
  return {
    name: 'sites',
    columns: siteColumns,
    rows: paged((after) => listSitesPage(db, investigationId, after, clearance)),
  };
}

export type ItemWithMarkings = ItemExportRow & { markings: string[] };

/** Items with the text of their markings, one page of markings per page of items. */
async function* itemsWithMarkings(
  db: Queryable,
  investigationId: string,
  clearance: SensitivityLevel,
  markingKept: (id: string) => boolean,
): AsyncGenerator<ItemWithMarkings> {
  let after: string | undefined;
  for (;;) {
    const page = await listItemsPage(db, investigationId, after, clearance);
    if (page.length === 0) return;
    const texts = new Map<string, string[]>();
    for (const marking of await listMarkingTexts(
      db,
      page.map((item) => item.id),
      clearance,
    )) {
      if (!markingKept(marking.id)) continue;
      const list = texts.get(marking.item_id) ?? [];
      list.push(marking.text);
      texts.set(marking.item_id, list);
    }
    for (const item of page) yield { ...item, markings: texts.get(item.id) ?? [] };
    after = page[page.length - 1]!.id;
  }
}

export const itemColumns: readonly ExportColumn<ItemWithMarkings>[] = [
  { name: 'item_id', value: (row) => row.id },
  { name: 'external_ref', value: (row) => row.external_ref, from: 'items.external_ref' },
  { name: 'site_id', value: (row) => row.site_id },
  { name: 'site_name', value: (row) => row.site_name, from: 'sites.name' },
  { name: 'zone_name', value: (row) => row.zone_name, from: 'zones.name' },
  { name: 'category', value: (row) => row.category, vocabulary: 'category', from: 'items.category' },
  { name: 'model', value: (row) => row.model, from: 'items.model' },
  { name: 'quantity', value: (row) => row.quantity, from: 'items.quantity' },
  { name: 'assembly_state', value: (row) => row.assembly_state, vocabulary: 'assembly', from: 'items.assembly_state' },
  { name: 'condition', value: (row) => row.condition, vocabulary: 'condition', from: 'items.condition' },
  {
    name: 'production_type',
    value: (row) => row.production_type,
    vocabulary: 'productionType',
    from: 'items.production_type',
  },
  { name: 'fuze_fitted', value: (row) => row.fuze_fitted, vocabulary: 'hazardState', from: 'items.fuze_fitted' },
  {
    name: 'safety_device_fitted',
    value: (row) => row.safety_device_fitted,
    vocabulary: 'hazardState',
    from: 'items.safety_device_fitted',
  },
  {
    name: 'disposal_status',
    value: (row) => row.disposal_status,
    vocabulary: 'disposal',
    from: 'items.disposal_status',
  },
  { name: 'disposal_note', value: (row) => row.disposal_note, from: 'items.disposal_note' },
  { name: 'marking_count', value: (row) => row.markings.length },
  // One marking per line, as transcribed; the markings table has each with its kind and legibility.
  { name: 'markings', value: (row) => row.markings.join('\n'), from: 'markings.text' },
  { name: 'tags', value: (row) => row.tags.join('; '), from: 'items.tags' },
  { name: 'observations', value: (row) => row.observations, from: 'items.observations' },
  { name: 'created_at', value: (row) => isoTime(row.created_at), from: 'items.created_at' },
  { name: 'updated_at', value: (row) => isoTime(row.updated_at), from: 'items.updated_at' },
];

/** The items table; `markingKept` leaves out the markings an export profile withholds from the `markings` column. */
export function itemsTable(
  db: Queryable,
  investigationId: string,
  clearance: SensitivityLevel,
  markingKept: (id: string) => boolean = () => true,
): ExportTable<ItemWithMarkings> {
  return { name: 'items', columns: itemColumns, rows: itemsWithMarkings(db, investigationId, clearance, markingKept) };
}

export const markingColumns: readonly ExportColumn<MarkingExportRow>[] = [
  { name: 'marking_id', value: (row) => row.id },
  { name: 'item_id', value: (row) => row.item_id },
  { name: 'item_external_ref', value: (row) => row.item_external_ref, from: 'items.external_ref' },
  { name: 'text', value: (row) => row.text, from: 'markings.text' },
  { name: 'kind', value: (row) => row.kind, vocabulary: 'markingKind', from: 'markings.kind' },
  { name: 'position', value: (row) => row.position, from: 'markings.position' },
  { name: 'script', value: (row) => row.script, vocabulary: 'script', from: 'markings.script' },
  { name: 'legibility', value: (row) => row.legibility, vocabulary: 'legibility', from: 'markings.legibility' },
  { name: 'created_at', value: (row) => isoTime(row.created_at), from: 'markings.created_at' },
];

export function markingsTable(
  db: Queryable,
  investigationId: string,
  clearance: SensitivityLevel,
): ExportTable<MarkingExportRow> {
  return {
    name: 'markings',
    columns: markingColumns,
    rows: paged((after) => listMarkingsPage(db, investigationId, after, clearance)),
  };
}

export const hazardColumns: readonly ExportColumn<HazardExportRow>[] = [
  { name: 'item_id', value: (row) => row.id },
  { name: 'external_ref', value: (row) => row.external_ref, from: 'items.external_ref' },
  { name: 'site_id', value: (row) => row.site_id },
  { name: 'site_name', value: (row) => row.site_name, from: 'sites.name' },
  { name: 'site_external_ref', value: (row) => row.site_external_ref, from: 'sites.external_ref' },
  { name: 'zone_name', value: (row) => row.zone_name, from: 'zones.name' },
  { name: 'latitude', value: (row) => row.latitude, from: 'sites.latitude' },
  { name: 'longitude', value: (row) => row.longitude, from: 'sites.longitude' },
  { name: 'precision_m', value: (row) => row.precision_m, from: 'sites.precision_m' },
  { name: 'category', value: (row) => row.category, vocabulary: 'category', from: 'items.category' },
  { name: 'model', value: (row) => row.model, from: 'items.model' },
  { name: 'quantity', value: (row) => row.quantity, from: 'items.quantity' },
  { name: 'fuze_fitted', value: (row) => row.fuze_fitted, vocabulary: 'hazardState', from: 'items.fuze_fitted' },
  {
    name: 'safety_device_fitted',
    value: (row) => row.safety_device_fitted,
    vocabulary: 'hazardState',
    from: 'items.safety_device_fitted',
  },
  {
    name: 'disposal_status',
    value: (row) => row.disposal_status,
    vocabulary: 'disposal',
    from: 'items.disposal_status',
  },
  {
    name: 'disposal_status_since',
    value: (row) => isoTime(row.disposal_status_since),
    from: 'items.disposal_status',
  },
  { name: 'disposal_note', value: (row) => row.disposal_note, from: 'items.disposal_note' },
];

/** The hazard list in the screen's order: items known to be fuzed first, then those not known, each by id. */
async function* hazards(
  db: Queryable,
  investigationId: string,
  clearance: SensitivityLevel,
): AsyncGenerator<HazardExportRow> {
  yield* paged((after) => listHazardsPage(db, investigationId, 'yes', after, clearance));
  yield* paged((after) => listHazardsPage(db, investigationId, 'unknown', after, clearance));
}

export function hazardsTable(
  db: Queryable,
  investigationId: string,
  clearance: SensitivityLevel,
): ExportTable<HazardExportRow> {
  return { name: 'hazards', columns: hazardColumns, rows: hazards(db, investigationId, clearance) };
}
