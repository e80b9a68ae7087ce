import { keysetPage } from '../../db/pagination.js';
import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { whereRecordAndItemAtMost, whereSensitivityAtMost } from '../sensitivity/repository.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';

export async function insertMarking(db: Queryable, row: NewRow<'markings'>): Promise<Row<'markings'>> {
  return db.insertInto('markings').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listItemMarkings(
  db: Queryable,
  itemId: string,
  options: { after: string | undefined; limit: number; includeArchived: boolean },
  clearance: SensitivityLevel,
): Promise<Row<'markings'>[]> {
  let query = keysetPage(db.selectFrom('markings').selectAll().where('item_id', '=', itemId), {
    id: 'markings.id',
    after: options.after,
    limit: options.limit,
  });
  query = whereSensitivityAtMost(query, 'markings', clearance);
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  return query.execute();
}

/** The live markings of one item, in the order they were recorded. */
export async function listActiveItemMarkings(
  db: Queryable,
  itemId: string,
  clearance: SensitivityLevel,
): Promise<Row<'markings'>[]> {
  return whereSensitivityAtMost(db.selectFrom('markings'), 'markings', clearance)
    .selectAll()
    .where('item_id', '=', itemId)
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
}

/** The markings of an investigation, by id (keyset pagination). */
export async function listInvestigationMarkings(
  db: Queryable,
  investigationId: string,
  options: { kind: string | undefined; after: string | undefined; limit: number; includeArchived: boolean },
  clearance: SensitivityLevel,
): Promise<Row<'markings'>[]> {
  let query = db.selectFrom('markings').selectAll().where('investigation_id', '=', investigationId);
  query = whereRecordAndItemAtMost(query, 'markings', clearance);
  if (options.kind !== undefined) query = query.where('kind', '=', options.kind);
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  return keysetPage(query, { id: 'markings.id', after: options.after, limit: options.limit }).execute();
}
