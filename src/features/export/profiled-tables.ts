/**
 * The tabular and map exports under an export profile: the same rules as the JSON export (profiles.ts), applied
 * to the streamed tables. The records a profile keeps are worked out once from the investigation's sites, zones,
 * items and markings; each streamed row is then kept or left out by its id, each column kept, generalised or
 * dropped by the class of the stored column it comes from (`from`, personal-data.ts).
 */
import type { Queryable } from '../../db/versioned.js';
import { toJsonRecord } from '../../db/serialize.js';
import { generalisePoint } from './grid.js';
import { classOfColumn } from './personal-data.js';
import {
  applyProfile,
  profileDefinitions,
  type ProfileContext,
  type ProfileDefinition,
  type ProfileOptions,
} from './profiles.js';
import { listInvestigationRows, type ExportedTable } from './repository.js';
import type { Cell, ExportColumn, ExportTable } from './tabular.js';
import { DEFAULT_GRID_KM } from './grid.js';

export interface TabularScope {
  definition: ProfileDefinition;
  cellKm: number;
  sites: Set<string>;
  items: Set<string>;
  markings: Set<string>;
  /** Kept live items per site, for a site's item count. */
  itemsPerSite: Map<string, number>;
  /** Kept sites without a point, and kept hazard-list items at such sites (left out of GeoJSON and KML). */
  sitesWithoutPoint: number;
  hazardsWithoutPoint: number;
}

/**
 * What a profile keeps of an investigation's sites, items and markings; undefined for `internal`, which keeps
 * every live row (bounded by the caller's clearance).
 *
 * @example
 * const scope = await tabularScope(db, investigationId, { profile: 'public' }, context);
 */
export async function tabularScope(
  db: Queryable,
  investigationId: string,
  options: ProfileOptions,
  context: ProfileContext,
): Promise<TabularScope | undefined> {
  if (options.profile === 'internal' && context.clearance === 'restricted') return undefined;
  const read = async (table: ExportedTable) =>
    (await listInvestigationRows(db, table, investigationId)).map((row) => toJsonRecord(row));
  const kept = applyProfile(
    {
      sites: await read('sites'),
      zones: await read('zones'),
      items: await read('items'),
      markings: await read('markings'),
    },
    options,
    context,
  );
  const live = (rows: Record<string, unknown>[]) =>
    rows.filter((row) => row.archived_at === null || row.archived_at === undefined);
  const items = live(kept.items);
  const itemsPerSite = new Map<string, number>();
  for (const item of items) itemsPerSite.set(String(item.site_id), (itemsPerSite.get(String(item.site_id)) ?? 0) + 1);
  const ids = (rows: Record<string, unknown>[]) => new Set(rows.map((row) => String(row.id)));
  const keptSites = live(kept.sites);
  const withoutPoint = new Set(
    keptSites.filter((site) => site.latitude === null || site.longitude === null).map((site) => String(site.id)),
  );
  // The hazard list's own rule (tabular-repository.ts, listHazardsPage): fuzed or not known, not yet made safe.
  const hazardsWithoutPoint = items.filter(
    (item) =>
      withoutPoint.has(String(item.site_id)) &&
      (item.fuze_fitted === 'yes' || item.fuze_fitted === 'unknown') &&
      item.disposal_status !== 'rendered_safe' &&
      item.disposal_status !== 'destroyed',
  ).length;
  return {
    sitesWithoutPoint: withoutPoint.size,
    hazardsWithoutPoint,
    definition: profileDefinitions[options.profile],
    cellKm: options.gridKm ?? DEFAULT_GRID_KM,
    sites: ids(keptSites),
    items: ids(items),
    markings: ids(live(kept.markings)),
    itemsPerSite,
  };
}

function columnKept<Row>(column: ExportColumn<Row>, definition: ProfileDefinition): boolean {
  if (column.from === undefined) return true;
  const [table, name] = column.from.split('.') as [ExportedTable, string];
  return definition.tables.has(table) && definition.keptClasses.has(classOfColumn(table, name));
}

/**
 * A streamed table as a profile lets it out: rows whose record (`keyOf`: `sites`, `items` or `markings` by
 * `idOf`) the profile keeps; columns by class; points on the grid for `public`.
 *
 * @example
 * const table = profiledTable(sitesTable(db, id), scope, 'sites', (row) => row.id);
 */
export function profiledTable<Row>(
  table: ExportTable<Row>,
  scope: TabularScope | undefined,
  keyOf: 'sites' | 'items' | 'markings',
  idOf: (row: Row) => string,
  pointOf?: (row: Row) => [number | null, number | null],
): ExportTable<Row> {
  if (scope === undefined) return table;
  const { definition, cellKm } = scope;
  const allowed = scope[keyOf];
  async function* rows(): AsyncGenerator<Row> {
    for await (const row of table.rows) if (allowed.has(idOf(row))) yield row;
  }
  const columns = table.columns
    .filter((column) => columnKept(column, definition))
    .map((column): ExportColumn<Row> => {
      const stored =
        column.from === undefined ? undefined : classOfColumn(...(column.from.split('.') as [ExportedTable, string]));
      if (column.name === 'item_count' && keyOf === 'sites') {
        return { ...column, value: (row) => scope.itemsPerSite.get(idOf(row)) ?? 0 };
      }
      if (!definition.grid || pointOf === undefined || (stored !== 'latitude' && stored !== 'longitude')) return column;
      return {
        ...column,
        value: (row): Cell => {
          const [latitude, longitude] = pointOf(row);
          if (latitude === null || longitude === null) return null;
          const centre = generalisePoint(latitude, longitude, cellKm);
          return stored === 'latitude' ? centre.latitude : centre.longitude;
        },
      };
    });
  return { name: table.name, columns, rows: rows() };
}
