import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { z } from 'zod';

/** Keyset pagination over UUIDv7 ids, which sort by creation time. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Rows per page (1-500)'),
  after: z.uuid().optional().describe('The `next_after` of the previous page'),
  include_archived: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('Also list archived (tombstoned) records'),
});
export type PageQuery = z.output<typeof pageQuerySchema>;

export interface Page<T> {
  items: T[];
  next_after: string | null;
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_after: z.string().nullable() });
}

/** Repositories fetch `limit + 1` rows; the extra one only says whether a next page exists. */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, map: (row: R) => T): Page<T> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(map), next_after: rows.length > limit && last !== undefined ? last.id : null };
}

export const sortOrderSchema = z.enum(['asc', 'desc']);
export type SortOrder = z.infer<typeof sortOrderSchema>;

/**
 * The `sort` and `order` query parameters of a list: `sort` names one of the list's sortable columns (anything else
 * is refused with a 400 naming the field and the allowed keys), `order` is `asc` or `desc`. Rows with equal values
 * are ordered by id, in the same direction, so every page follows on from the last one.
 *
 * @example
 * const actorSort = sortQuerySchema(['created', 'name', 'actor_type'] as const, 'created');
 * const actorListQuerySchema = pageQuerySchema.extend({ ...actorSort.shape });
 */
export function sortQuerySchema<const Keys extends readonly [string, ...string[]]>(
  keys: Keys,
  defaultKey: Keys[number],
  defaultOrder: SortOrder = 'asc',
) {
  return z.object({
    sort: z
      .enum(keys)
      .default(defaultKey as never)
      .describe(`Column the rows are sorted by (ties by id, in the same direction): ${keys.join(', ')}`),
    order: sortOrderSchema.default(defaultOrder).describe('asc or desc'),
  });
}

/** A non-null value per row that a list can be sorted by (nullable columns are wrapped by {@link nullsLast}). */
export type SortExpression = RawBuilder<unknown>;

/**
 * Two non-null sort keys for a nullable column: rows without a value after those with one (ascending), and the
 * value itself with `fallback` (of the column's type) in place of NULL.
 *
 * @example
 * nullsLast('actors.country_code', sql`''`)
 */
export function nullsLast(column: string | SortExpression, fallback: RawBuilder<unknown>): SortExpression[] {
  const value = typeof column === 'string' ? sql.ref(column) : column;
  return [sql`(${value} is null)`, sql`coalesce(${value}, ${fallback})`];
}

/**
 * Orders a list query by `keys` and then its id, in `order`, and keeps only the rows after the row `after`
 * (keyset pagination: the row's own values are read in the database, so the cursor stays the row's id). The
 * query must not be limited yet; the caller limits it to `limit + 1` rows as {@link toPage} expects.
 *
 * @example
 * let query = sortedAfter(db.selectFrom('actors').selectAll(), { id: 'actors.id', keys: [sql`lower(name)`], order: 'asc', after });
 */
export function sortedAfter<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  options: { id: string; keys: readonly SortExpression[]; order: SortOrder; after: string | undefined },
): SelectQueryBuilder<DB, TB, O> {
  const id = sql.ref(options.id);
  const keys = [...options.keys, id];
  let sorted = query;
  for (const key of keys) sorted = sorted.orderBy(key, options.order);
  if (options.after === undefined) return sorted;
  // The cursor row is looked up without the list's filters: it still anchors the page if it left the filter since.
  const cursor = query
    .clearWhere()
    .clearSelect()
    .select(keys.map((key, index) => key.as(`k${index}`)) as never)
    .where(sql<boolean>`${id} = ${options.after}`)
    .as('cursor');
  const cursorKeys = keys.map((_, index) => sql.ref(`cursor.k${index}`));
  const comparison = options.order === 'asc' ? sql.raw('>') : sql.raw('<');
  return sorted.where(sql<boolean>`(${sql.join(keys)}) ${comparison} (select ${sql.join(cursorKeys)} from ${cursor})`);
}

/**
 * One keyset page of a list query: ordered by `keys` (when given) and then `id`, only the rows after the row
 * `after`, and `limit + 1` rows, so that {@link toPage} can tell from the extra row whether a next page exists and
 * name the page's last id as the `next_after` cursor. Without `keys` the list is in id order (UUIDv7: creation
 * order) and the cursor is compared with the id directly; with `keys` the cursor row's own values are read in the
 * database ({@link sortedAfter}). Filters may be added before or after; the query must not be limited yet.
 *
 * @example
 * // In id order (the simplest list):
 * const rows = await keysetPage(db.selectFrom('zones').selectAll().where('site_id', '=', siteId), {
 *   id: 'zones.id',
 *   after: page.after,
 *   limit: page.limit,
 * }).execute();
 * return toPage(rows, page.limit, toZone);
 *
 * // Sorted by a column chosen by the client:
 * keysetPage(db.selectFrom('actors').selectAll(), { id: 'actors.id', keys: [sql`lower(actors.name)`], order: 'asc', after, limit });
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  options: {
    /** The id column, qualified with its table (`'zones.id'`). */
    id: string;
    /** The sort keys before the id; none: id order. */
    keys?: readonly SortExpression[] | undefined;
    order?: SortOrder | undefined;
    /** The `next_after` of the previous page. */
    after: string | undefined;
    /** Rows per page (the query fetches one more). */
    limit: number;
  },
): SelectQueryBuilder<DB, TB, O> {
  const { id, keys, order = 'asc', after, limit } = options;
  if (keys !== undefined) return sortedAfter(query, { id, keys, order, after }).limit(limit + 1);
  const idRef = sql.ref(id);
  const ordered = query.orderBy(idRef, order).limit(limit + 1);
  if (after === undefined) return ordered;
  const comparison = order === 'asc' ? sql.raw('>') : sql.raw('<');
  return ordered.where(sql<boolean>`${idRef} ${comparison} ${after}`);
}
