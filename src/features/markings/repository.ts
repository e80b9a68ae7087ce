import { sql } from 'kysely';
import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';

export async function insertMarking(db: Queryable, row: NewRow<'markings'>): Promise<Row<'markings'>> {
  return db.insertInto('markings').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listItemMarkings(
  db: Queryable,
  itemId: string,
  options: { after: string | undefined; limit: number; includeArchived: boolean },
): Promise<Row<'markings'>[]> {
  let query = db
    .selectFrom('markings')
    .selectAll()
    .where('item_id', '=', itemId)
    .orderBy('id')
    .limit(options.limit + 1);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  return query.execute();
}

/** The live markings of one item, in the order they were recorded. */
export async function listActiveItemMarkings(db: Queryable, itemId: string): Promise<Row<'markings'>[]> {
  return db
    .selectFrom('markings')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
}

/** `%` and `_` in user text are literal characters, not wildcards. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

// Below this trigram similarity a marking that does not contain the query is noise.
const MIN_SIMILARITY = 0.3;

/**
 * Markings of an investigation. With `normalizedQuery`: those containing it
 * or close to it by trigrams, best first (one page, no keyset); without: all,
 * by id.
 */
export async function searchMarkings(
  db: Queryable,
  investigationId: string,
  options: {
    normalizedQuery: string | undefined;
    kind: string | undefined;
    after: string | undefined;
    limit: number;
    includeArchived: boolean;
  },
): Promise<(Row<'markings'> & { similarity: number | null })[]> {
  let query = db.selectFrom('markings').selectAll().where('investigation_id', '=', investigationId);
  if (options.kind !== undefined) query = query.where('kind', '=', options.kind);
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  const normalizedQuery = options.normalizedQuery;
  if (normalizedQuery === undefined) {
    if (options.after !== undefined) query = query.where('id', '>', options.after);
    return query
      .select(sql<number | null>`NULL::float8`.as('similarity'))
      .orderBy('id')
      .limit(options.limit + 1)
      .execute();
  }
  const similarity = sql<number>`similarity(normalized, ${normalizedQuery})::float8`;
  return query
    .select(similarity.as('similarity'))
    .where((eb) =>
      eb.or([eb('normalized', 'ilike', containsPattern(normalizedQuery)), eb(similarity, '>=', MIN_SIMILARITY)]),
    )
    .orderBy(similarity, 'desc')
    .orderBy('id')
    .limit(options.limit)
    .execute();
}
