import { sql } from 'kysely';
import { nullsLast, keysetPage, type SortExpression, type SortOrder } from '../../db/pagination.js';
import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import type { SourceSortKey } from './schema.js';

export async function insertSource(db: Queryable, row: NewRow<'sources'>): Promise<Row<'sources'>> {
  return db.insertInto('sources').values(row).returningAll().executeTakeFirstOrThrow();
}

/** What each sort key orders by (the id breaks ties). */
const sortExpressions: Record<SourceSortKey, SortExpression[]> = {
  created: [],
  title: [sql`lower(sources.title)`],
  grading: [...nullsLast('sources.reliability', sql`''`), ...nullsLast('sources.credibility', sql`0`)],
  kind: [sql`sources.kind`],
  credit_line: nullsLast(sql`lower(sources.credit_line)`, sql`''`),
  published_on: nullsLast('sources.published_on', sql`date '0001-01-01'`),
  archived: [sql`(sources.archived_at is not null)`],
};

export async function listSources(
  db: Queryable,
  investigationId: string,
  options: {
    after: string | undefined;
    limit: number;
    sort: SourceSortKey;
    order: SortOrder;
    includeArchived: boolean;
    kind: string | undefined;
    reliability: string | undefined;
    text?: string | undefined;
  },
): Promise<Row<'sources'>[]> {
  let query = keysetPage(db.selectFrom('sources').selectAll(), {
    id: 'sources.id',
    keys: sortExpressions[options.sort],
    order: options.order,
    after: options.after,
    limit: options.limit,
  }).where('investigation_id', '=', investigationId);
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  if (options.kind !== undefined) query = query.where('kind', '=', options.kind);
  if (options.reliability !== undefined) query = query.where('reliability', '=', options.reliability);
  if (options.text !== undefined) {
    // `%`, `_` and `\` typed by a user are literal characters, not wildcards.
    const pattern = `%${options.text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('title', 'ilike', pattern), eb('publisher', 'ilike', pattern), eb('credit_line', 'ilike', pattern)]),
    );
  }
  return query.execute();
}
