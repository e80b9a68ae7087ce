import type { Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import type { BulkItemFilter } from './bulk-schema.js';

/** `%` and `_` in user text are literal characters, not wildcards (as in the item list). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** The live items of an investigation matching the item list's filter (see repository.listItems). */
function matching(db: Queryable, investigationId: string, filter: BulkItemFilter) {
  let query = db.selectFrom('items').where('investigation_id', '=', investigationId).where('archived_at', 'is', null);
  if (filter.site_id !== undefined) query = query.where('site_id', '=', filter.site_id);
  if (filter.zone_id !== undefined) query = query.where('zone_id', '=', filter.zone_id);
  if (filter.category !== undefined) query = query.where('category', '=', filter.category);
  if (filter.condition !== undefined) query = query.where('condition', '=', filter.condition);
  if (filter.production_type !== undefined) query = query.where('production_type', '=', filter.production_type);
  if (filter.hazardous) {
    query = query
      .where('fuze_fitted', 'in', ['yes', 'unknown'])
      .where('disposal_status', 'not in', ['rendered_safe', 'destroyed']);
  }
  const text = filter.q;
  if (text !== undefined) {
    const pattern = containsPattern(text);
    query = query.where((eb) =>
      eb.or([
        eb('model', 'ilike', pattern),
        eb('observations', 'ilike', pattern),
        eb('external_ref', 'ilike', pattern),
      ]),
    );
  }
  return query;
}

/** How many live items match the filter. */
export async function countMatchingItems(
  db: Queryable,
  investigationId: string,
  filter: BulkItemFilter,
): Promise<number> {
  const row = await matching(db, investigationId, filter)
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Up to `limit` matching items but those in `excludedIds`, locked for the caller's transaction, in id order. */
export async function lockMatchingItems(
  db: Queryable,
  investigationId: string,
  filter: BulkItemFilter,
  excludedIds: readonly string[],
  limit: number,
): Promise<Row<'items'>[]> {
  let query = matching(db, investigationId, filter);
  if (excludedIds.length > 0) query = query.where('id', 'not in', excludedIds);
  return query.selectAll().orderBy('id').limit(limit).forUpdate().execute();
}

/** The items of an investigation among `ids`, locked for the caller's transaction, in id order. */
export async function lockItemsByIds(
  db: Queryable,
  investigationId: string,
  ids: readonly string[],
): Promise<Row<'items'>[]> {
  return db
    .selectFrom('items')
    .selectAll()
    .where('investigation_id', '=', investigationId)
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
}
