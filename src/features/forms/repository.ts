import type { Queryable } from '../../db/versioned.js';
import type { NewRow, Row } from '../../db/tables.js';

/** The live sites of an investigation, for the form's site list. */
export async function listLiveSites(
  db: Queryable,
  investigationId: string,
): Promise<Pick<Row<'sites'>, 'id' | 'name' | 'names' | 'site_type' | 'archived_at' | 'sensitivity'>[]> {
  return db
    .selectFrom('sites')
    .select(['id', 'name', 'names', 'site_type', 'archived_at', 'sensitivity'])
    .where('investigation_id', '=', investigationId)
    .where('archived_at', 'is', null)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function findSites(
  db: Queryable,
  investigationId: string,
  ids: readonly string[],
): Promise<Pick<Row<'sites'>, 'id' | 'archived_at'>[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('sites')
    .select(['id', 'archived_at'])
    .where('investigation_id', '=', investigationId)
    .where('id', 'in', ids)
    .execute();
}

export async function findLiveSiteByName(
  db: Queryable,
  investigationId: string,
  name: string,
  siteType: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('sites')
    .select('id')
    .where('investigation_id', '=', investigationId)
    .where('name', '=', name)
    .where('site_type', '=', siteType)
    .where('archived_at', 'is', null)
    .orderBy('id')
    .executeTakeFirst();
  return row?.id;
}

export async function findLiveZoneByName(db: Queryable, siteId: string, name: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('zones')
    .select('id')
    .where('site_id', '=', siteId)
    .where('name', '=', name)
    .where('archived_at', 'is', null)
    .orderBy('id')
    .executeTakeFirst();
  return row?.id;
}

/** The instance IDs among `instanceIds` already imported into the investigation. */
export async function findImportedInstances(
  db: Queryable,
  investigationId: string,
  instanceIds: readonly string[],
): Promise<Set<string>> {
  if (instanceIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('form_submissions')
    .select('instance_id')
    .where('investigation_id', '=', investigationId)
    .where('instance_id', 'in', instanceIds)
    .execute();
  return new Set(rows.map((row) => row.instance_id));
}

export async function insertFormSubmission(
  db: Queryable,
  row: NewRow<'form_submissions'>,
): Promise<Row<'form_submissions'>> {
  return db.insertInto('form_submissions').values(row).returningAll().executeTakeFirstOrThrow();
}
