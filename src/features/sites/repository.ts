import { keysetPage } from '../../db/pagination.js';
import { sql } from 'kysely';
import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import type { BoundingBox } from './schema.js';
import { whereSensitivityAtMost } from '../sensitivity/repository.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';

export async function insertSite(db: Queryable, row: NewRow<'sites'>): Promise<Row<'sites'>> {
  return db.insertInto('sites').values(row).returningAll().executeTakeFirstOrThrow();
}

/** `%` and `_` typed by the user are matched literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export interface SiteFilters {
  siteType?: string | undefined;
  nameContains?: string | undefined;
  bbox?: BoundingBox | undefined;
  includeArchived: boolean;
}

export async function listSites(
  db: Queryable,
  investigationId: string,
  filters: SiteFilters,
  page: { after: string | undefined; limit: number },
  clearance: SensitivityLevel,
): Promise<Row<'sites'>[]> {
  let query = keysetPage(db.selectFrom('sites').selectAll().where('investigation_id', '=', investigationId), {
    id: 'sites.id',
    after: page.after,
    limit: page.limit,
  });
  query = whereSensitivityAtMost(query, 'sites', clearance);
  if (!filters.includeArchived) query = query.where('archived_at', 'is', null);
  if (filters.siteType !== undefined) query = query.where('site_type', '=', filters.siteType);
  if (filters.nameContains !== undefined) {
    const pattern = containsPattern(filters.nameContains);
    // Sites are often known by their Arabic or local name as well: search every language.
    query = query.where((eb) =>
      eb.or([
        eb('name', 'ilike', pattern),
        eb.exists(
          sql<number>`(SELECT 1 FROM jsonb_each_text(sites.names) AS entry WHERE entry.value ILIKE ${pattern})`,
        ),
      ]),
    );
  }
  const bbox = filters.bbox;
  if (bbox !== undefined) {
    query = query.where('latitude', '>=', bbox.minLat).where('latitude', '<=', bbox.maxLat);
    query =
      bbox.minLon <= bbox.maxLon
        ? query.where('longitude', '>=', bbox.minLon).where('longitude', '<=', bbox.maxLon)
        : query.where((eb) => eb.or([eb('longitude', '>=', bbox.minLon), eb('longitude', '<=', bbox.maxLon)]));
  }
  return query.execute();
}

/** Every live, located site of an investigation, for the map. */
export async function listLocatedSites(
  db: Queryable,
  investigationId: string,
  siteType: string | undefined,
  clearance: SensitivityLevel,
): Promise<Row<'sites'>[]> {
  let query = db
    .selectFrom('sites')
    .selectAll()
    .where('investigation_id', '=', investigationId)
    .where('archived_at', 'is', null)
    .where('latitude', 'is not', null)
    .where('longitude', 'is not', null)
    .orderBy('id');
  query = whereSensitivityAtMost(query, 'sites', clearance);
  if (siteType !== undefined) query = query.where('site_type', '=', siteType);
  return query.execute();
}

export async function insertZone(db: Queryable, row: NewRow<'zones'>): Promise<Row<'zones'>> {
  return db.insertInto('zones').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listZones(
  db: Queryable,
  siteId: string,
  page: { after: string | undefined; limit: number; includeArchived: boolean },
): Promise<Row<'zones'>[]> {
  let query = keysetPage(db.selectFrom('zones').selectAll().where('site_id', '=', siteId), {
    id: 'zones.id',
    after: page.after,
    limit: page.limit,
  });
  if (!page.includeArchived) query = query.where('archived_at', 'is', null);
  return query.execute();
}
