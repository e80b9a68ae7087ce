import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';

export async function insertSource(db: Queryable, row: NewRow<'sources'>): Promise<Row<'sources'>> {
  return db.insertInto('sources').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listSources(
  db: Queryable,
  investigationId: string,
  options: {
    after: string | undefined;
    limit: number;
    includeArchived: boolean;
    kind: string | undefined;
    reliability: string | undefined;
  },
): Promise<Row<'sources'>[]> {
  let query = db
    .selectFrom('sources')
    .selectAll()
    .where('investigation_id', '=', investigationId)
    .orderBy('id')
    .limit(options.limit + 1);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  if (options.kind !== undefined) query = query.where('kind', '=', options.kind);
  if (options.reliability !== undefined) query = query.where('reliability', '=', options.reliability);
  return query.execute();
}
