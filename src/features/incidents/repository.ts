import { sql } from 'kysely';
import { nullsLast, keysetPage, type SortExpression, type SortOrder } from '../../db/pagination.js';
import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { whereItemAtMost, whereSiteAtMost } from '../sensitivity/repository.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';
import type { IncidentSortKey } from './schema.js';

export async function insertIncident(db: Queryable, row: NewRow<'incidents'>): Promise<Row<'incidents'>> {
  return db.insertInto('incidents').values(row).returningAll().executeTakeFirstOrThrow();
}

/** What each sort key orders by (the id breaks ties). */
const sortExpressions: Record<IncidentSortKey, SortExpression[]> = {
  created: [],
  title: [sql`lower(incidents.title)`],
  incident_type: [sql`incidents.incident_type`],
  occurred_on: nullsLast('incidents.occurred_on', sql`date '0001-01-01'`),
  killed: nullsLast('incidents.killed', sql`0`),
  injured: nullsLast('incidents.injured', sql`0`),
  items: [sql`(select count(*) from incident_items where incident_items.incident_id = incidents.id)`],
  archived: [sql`(incidents.archived_at is not null)`],
};

export async function listIncidents(
  db: Queryable,
  investigationId: string,
  options: {
    after: string | undefined;
    limit: number;
    sort: IncidentSortKey;
    order: SortOrder;
    includeArchived: boolean;
    incidentType: string | undefined;
    siteId: string | undefined;
    text?: string | undefined;
  },
): Promise<Row<'incidents'>[]> {
  let query = keysetPage(db.selectFrom('incidents').selectAll(), {
    id: 'incidents.id',
    keys: sortExpressions[options.sort],
    order: options.order,
    after: options.after,
    limit: options.limit,
  }).where('investigation_id', '=', investigationId);
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  if (options.incidentType !== undefined) query = query.where('incident_type', '=', options.incidentType);
  const siteId = options.siteId;
  if (siteId !== undefined) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('incident_sites')
          .select('incident_sites.site_id')
          .whereRef('incident_sites.incident_id', '=', 'incidents.id')
          .where('incident_sites.site_id', '=', siteId),
      ),
    );
  }
  if (options.text !== undefined) {
    // `%`, `_` and `\` typed by a user are literal characters, not wildcards.
    const pattern = `%${options.text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    query = query.where((eb) => eb.or([eb('title', 'ilike', pattern), eb('place', 'ilike', pattern)]));
  }
  return query.execute();
}

/** The item ids linked to each of the given incidents that the reader may see (`clearance`), oldest item first. */
export async function listItemIds(
  db: Queryable,
  incidentIds: string[],
  clearance: SensitivityLevel,
): Promise<Map<string, string[]>> {
  const byIncident = new Map<string, string[]>(incidentIds.map((id) => [id, []]));
  if (incidentIds.length === 0) return byIncident;
  const rows = await whereItemAtMost(db.selectFrom('incident_items'), 'incident_items', clearance)
    .select(['incident_id', 'item_id'])
    .where('incident_id', 'in', incidentIds)
    .orderBy('incident_id')
    .orderBy('item_id')
    .execute();
  for (const row of rows) byIncident.get(row.incident_id)?.push(row.item_id);
  return byIncident;
}

export async function insertIncidentItem(db: Queryable, row: NewRow<'incident_items'>): Promise<Row<'incident_items'>> {
  return db.insertInto('incident_items').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findIncidentItem(
  db: Queryable,
  incidentId: string,
  itemId: string,
): Promise<Row<'incident_items'> | undefined> {
  return db
    .selectFrom('incident_items')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('item_id', '=', itemId)
    .executeTakeFirst();
}

/** Removes an item's link to an incident; false when there was none. */
export async function deleteIncidentItem(db: Queryable, incidentId: string, itemId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('incident_items')
    .where('incident_id', '=', incidentId)
    .where('item_id', '=', itemId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * The site ids linked to each of the given incidents that the reader may see (`clearance`; `'restricted'` for all
 * of them), in the order they were linked.
 */
export async function listSiteIds(
  db: Queryable,
  incidentIds: string[],
  clearance: SensitivityLevel,
): Promise<Map<string, string[]>> {
  const byIncident = new Map<string, string[]>(incidentIds.map((id) => [id, []]));
  if (incidentIds.length === 0) return byIncident;
  const rows = await whereSiteAtMost(db.selectFrom('incident_sites'), 'incident_sites', clearance)
    .select(['incident_id', 'site_id'])
    .where('incident_id', 'in', incidentIds)
    .orderBy('created_at')
    .orderBy('site_id')
    .execute();
  for (const row of rows) byIncident.get(row.incident_id)?.push(row.site_id);
  return byIncident;
}

export async function findIncidentSite(
  db: Queryable,
  incidentId: string,
  siteId: string,
): Promise<Row<'incident_sites'> | undefined> {
  return db
    .selectFrom('incident_sites')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('site_id', '=', siteId)
    .executeTakeFirst();
}

export async function insertIncidentSite(db: Queryable, row: NewRow<'incident_sites'>): Promise<Row<'incident_sites'>> {
  return db.insertInto('incident_sites').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Removes a site's link to an incident; false when there was none. */
export async function deleteIncidentSite(db: Queryable, incidentId: string, siteId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('incident_sites')
    .where('incident_id', '=', incidentId)
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** A site of the investigation (archived ones too), for checking a link. */
export async function findSite(
  db: Queryable,
  investigationId: string,
  siteId: string,
): Promise<Pick<Row<'sites'>, 'id' | 'archived_at'> | undefined> {
  return db
    .selectFrom('sites')
    .select(['id', 'archived_at'])
    .where('id', '=', siteId)
    .where('investigation_id', '=', investigationId)
    .executeTakeFirst();
}
