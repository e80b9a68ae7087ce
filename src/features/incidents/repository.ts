import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';

export async function insertIncident(db: Queryable, row: NewRow<'incidents'>): Promise<Row<'incidents'>> {
  return db.insertInto('incidents').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listIncidents(
  db: Queryable,
  investigationId: string,
  options: {
    after: string | undefined;
    limit: number;
    includeArchived: boolean;
    incidentType: string | undefined;
    siteId: string | undefined;
  },
): Promise<Row<'incidents'>[]> {
  let query = db
    .selectFrom('incidents')
    .selectAll()
    .where('investigation_id', '=', investigationId)
    .orderBy('id')
    .limit(options.limit + 1);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  if (options.incidentType !== undefined) query = query.where('incident_type', '=', options.incidentType);
  if (options.siteId !== undefined) query = query.where('site_id', '=', options.siteId);
  return query.execute();
}

/** The item ids linked to each of the given incidents, oldest item first. */
export async function listItemIds(db: Queryable, incidentIds: string[]): Promise<Map<string, string[]>> {
  const byIncident = new Map<string, string[]>(incidentIds.map((id) => [id, []]));
  if (incidentIds.length === 0) return byIncident;
  const rows = await db
    .selectFrom('incident_items')
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
