import { sql } from 'kysely';
import { nullsLast, keysetPage, type SortExpression, type SortOrder } from '../../db/pagination.js';
import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable, Tx } from '../../db/versioned.js';
import type { ActorSortKey } from './schema.js';

export async function insertActor(db: Queryable, row: NewRow<'actors'>): Promise<Row<'actors'>> {
  return db.insertInto('actors').values(row).returningAll().executeTakeFirstOrThrow();
}

/** `%`, `_` and `\` typed by a user are literal characters, not LIKE wildcards. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

// Spellings a searcher does not tell apart: Arabic-Indic and Persian digits and ASCII ones, the forms of alef,
// alef maqsura and yeh, teh marbuta and heh; tatweel and the short-vowel marks are dropped (no counterpart in `to`).
// Applied by translate() in SQL on both sides at query time, so the stored `names_folded` keeps its audited value.
const SEARCH_VARIANTS_FROM = '٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹أإآٱىة\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652';
const SEARCH_VARIANTS_TO = '01234567890123456789اااايه';
// Every character of both lists is a single UTF-16 unit, so indexes line up as they do in translate().
const searchVariants = new Map(
  Array.from({ length: SEARCH_VARIANTS_FROM.length }, (_, index) => [
    SEARCH_VARIANTS_FROM.charAt(index),
    SEARCH_VARIANTS_TO.charAt(index),
  ]),
);

/**
 * A folded search term with the same spellings merged as {@link listActors} merges them in the database.
 *
 * @example
 * searchForm('مصنع ١٠') // 'مصنع 10'
 */
export function searchForm(folded: string): string {
  let result = '';
  // By UTF-16 unit, as the map is; a surrogate pair matches nothing and passes through whole.
  for (let index = 0; index < folded.length; index += 1) {
    const unit = folded.charAt(index);
    result += searchVariants.get(unit) ?? unit;
  }
  return result;
}

/** What each sort key of the actor list orders by (the id breaks ties). */
const actorSortExpressions: Record<ActorSortKey, SortExpression[]> = {
  created: [],
  name: [sql`lower(actors.name)`],
  actor_type: [sql`actors.actor_type`],
  country_code: nullsLast('actors.country_code', sql`''`),
  archived: [sql`(actors.archived_at is not null)`],
};

export async function listActors(
  db: Queryable,
  options: {
    investigationId: string;
    after: string | undefined;
    limit: number;
    sort: ActorSortKey;
    order: SortOrder;
    includeArchived: boolean;
    actorType: string | undefined;
    countryCode: string | undefined;
    /** Compared with the folded name and aliases, so it must be folded the same way. */
    foldedSearch: string | undefined;
  },
): Promise<Row<'actors'>[]> {
  let query = keysetPage(db.selectFrom('actors').selectAll(), {
    id: 'actors.id',
    keys: actorSortExpressions[options.sort],
    order: options.order,
    after: options.after,
    limit: options.limit,
  }).where('investigation_id', '=', options.investigationId);
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  if (options.actorType !== undefined) query = query.where('actor_type', '=', options.actorType);
  if (options.countryCode !== undefined) query = query.where('country_code', '=', options.countryCode);
  if (options.foldedSearch !== undefined) {
    const pattern = `%${escapeLike(searchForm(options.foldedSearch))}%`;
    query = query.where(
      sql<string>`translate(names_folded, ${SEARCH_VARIANTS_FROM}, ${SEARCH_VARIANTS_TO})`,
      'like',
      pattern,
    );
  }
  return query.execute();
}

/** The trace requests addressed to an actor, archived ones included, locked until the transaction ends. */
export async function lockTraceRequestsAddressedTo(trx: Tx, actorId: string): Promise<Row<'trace_requests'>[]> {
  return trx
    .selectFrom('trace_requests')
    .selectAll()
    .where('addressee_id', '=', actorId)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** The provenance claims naming an actor (as actor or counterpart), archived ones included, locked. */
export async function lockClaimsNaming(trx: Tx, actorId: string): Promise<Row<'provenance_claims'>[]> {
  return trx
    .selectFrom('provenance_claims')
    .selectAll()
    .where((eb) => eb.or([eb('actor_id', '=', actorId), eb('counterpart_id', '=', actorId)]))
    .orderBy('id')
    .forUpdate()
    .execute();
}

// A merge re-points references in archived records too (so no record names a
// merged actor), which the ordinary update path refuses; the version still moves on.
export async function repointTraceRequest(
  trx: Tx,
  current: Row<'trace_requests'>,
  addresseeId: string,
): Promise<Row<'trace_requests'>> {
  return trx
    .updateTable('trace_requests')
    .set({ addressee_id: addresseeId, version: current.version + 1, updated_at: new Date() })
    .where('id', '=', current.id)
    .where('version', '=', current.version)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function repointClaim(
  trx: Tx,
  current: Row<'provenance_claims'>,
  from: string,
  to: string,
): Promise<Row<'provenance_claims'>> {
  return trx
    .updateTable('provenance_claims')
    .set({
      actor_id: current.actor_id === from ? to : current.actor_id,
      counterpart_id: current.counterpart_id === from ? to : current.counterpart_id,
      version: current.version + 1,
      updated_at: new Date(),
    })
    .where('id', '=', current.id)
    .where('version', '=', current.version)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The trace requests addressed to an actor, archived ones included (read only, for a merge preview). */
export async function listTraceRequestsAddressedTo(db: Queryable, actorId: string): Promise<Row<'trace_requests'>[]> {
  return db.selectFrom('trace_requests').selectAll().where('addressee_id', '=', actorId).orderBy('id').execute();
}

/** The provenance claims naming an actor, archived ones included (read only, for a merge preview). */
export async function listClaimsNaming(db: Queryable, actorId: string): Promise<Row<'provenance_claims'>[]> {
  return db
    .selectFrom('provenance_claims')
    .selectAll()
    .where((eb) => eb.or([eb('actor_id', '=', actorId), eb('counterpart_id', '=', actorId)]))
    .orderBy('id')
    .execute();
}
