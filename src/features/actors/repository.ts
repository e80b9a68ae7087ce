import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';

export async function insertActor(db: Queryable, row: NewRow<'actors'>): Promise<Row<'actors'>> {
  return db.insertInto('actors').values(row).returningAll().executeTakeFirstOrThrow();
}

/** `%`, `_` and `\` typed by a user are literal characters, not LIKE wildcards. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

export async function listActors(
  db: Queryable,
  options: {
    investigationId: string;
    after: string | undefined;
    limit: number;
    includeArchived: boolean;
    actorType: string | undefined;
    countryCode: string | undefined;
    /** Compared with the folded name and aliases, so it must be folded the same way. */
    foldedSearch: string | undefined;
  },
): Promise<Row<'actors'>[]> {
  let query = db
    .selectFrom('actors')
    .selectAll()
    .where('investigation_id', '=', options.investigationId)
    .orderBy('id')
    .limit(options.limit + 1);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  if (options.actorType !== undefined) query = query.where('actor_type', '=', options.actorType);
  if (options.countryCode !== undefined) query = query.where('country_code', '=', options.countryCode);
  if (options.foldedSearch !== undefined) {
    query = query.where('names_folded', 'like', `%${escapeLike(options.foldedSearch)}%`);
  }
  return query.execute();
}
