import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { DB, Row } from '../../db/tables.js';
import type { Queryable, Tx } from '../../db/versioned.js';
import type { ReviewKind, ReviewQueueQuery, ReviewState } from './schema.js';
import { levelsAtMost, type SensitivityLevel } from '../sensitivity/schema.js';

/** The tables whose records go through review, by the kind the API names them with. */
export const reviewTables = {
  site: 'sites',
  item: 'items',
  marking: 'markings',
  provenance_claim: 'provenance_claims',
  media: 'media',
} as const satisfies Record<ReviewKind, keyof DB>;
export type ReviewTable = (typeof reviewTables)[ReviewKind];

/** The columns every reviewed record shares (see migrations/0018_review.sql). */
export type ReviewRow = Pick<
  Row<'sites'>,
  | 'id'
  | 'investigation_id'
  | 'created_by'
  | 'version'
  | 'archived_at'
  | 'review_state'
  | 'verified_version'
  | 'verified_by'
  | 'verified_at'
  | 'published_by'
  | 'published_at'
  | 'unpublished_by'
  | 'unpublished_at'
  | 'unpublish_reason'
  | 'sensitivity'
>;

/** The state a record must be in to appear in a `public` export or on a public site. */
export const PUBLISHED_STATE: ReviewState = 'published';

/**
 * Whether a record read from the database may leave the organisation: published and not archived. The `public`
 * export profile keeps only records for which this holds.
 *
 * @example
 * const publicSites = sites.filter(isPublishedRecord);
 */
export function isPublishedRecord(row: { review_state: string; archived_at: Date | string | null }): boolean {
  return row.review_state === PUBLISHED_STATE && row.archived_at === null;
}

/**
 * Narrows a query over a reviewed table to its published, unarchived records (the SQL form of
 * {@link isPublishedRecord}), for the `public` export profile.
 *
 * @example
 * const rows = await wherePublished(db.selectFrom('items').selectAll(), 'items').execute();
 */
export function wherePublished<TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  table: ReviewTable,
): SelectQueryBuilder<DB, TB, O> {
  return query.where(
    sql<boolean>`(${sql.ref(`${table}.review_state`)} = ${PUBLISHED_STATE} AND ${sql.ref(`${table}.archived_at`)} IS NULL)`,
  );
}

// Kysely cannot type a query over a table chosen at run time; the reviewed tables share the columns used here.
type AnyReviewed = 'sites';

export async function findReviewRow(
  db: Queryable,
  table: ReviewTable,
  id: string,
  options: { forUpdate: boolean },
): Promise<ReviewRow | undefined> {
  let query = db
    .selectFrom(table as AnyReviewed)
    .select([
      'id',
      'investigation_id',
      'created_by',
      'version',
      'archived_at',
      'review_state',
      'verified_version',
      'verified_by',
      'verified_at',
      'published_by',
      'published_at',
      'unpublished_by',
      'unpublished_at',
      'unpublish_reason',
      'sensitivity',
    ])
    .where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The whole row, as the audit log records it before and after a review transition. */
export async function findWholeRow(trx: Tx, table: ReviewTable, id: string): Promise<Record<string, unknown>> {
  return await trx
    .selectFrom(table as AnyReviewed)
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Sets the review columns of a record still at `version`; review transitions leave `version` as it is. */
export async function updateReviewColumns(
  trx: Tx,
  table: ReviewTable,
  id: string,
  version: number,
  patch: Partial<
    Pick<
      ReviewRow,
      | 'review_state'
      | 'verified_version'
      | 'verified_by'
      | 'verified_at'
      | 'published_by'
      | 'published_at'
      | 'unpublished_by'
      | 'unpublished_at'
      | 'unpublish_reason'
    >
  >,
): Promise<Record<string, unknown> | undefined> {
  return await trx
    .updateTable(table as AnyReviewed)
    .set(patch)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

/** An audit entry's `after.version` is above `sinceVersion` (jsonb compares numbers as numbers). */
function changedAfter(sinceVersion: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`(audit_log.after -> 'version') > to_jsonb(${sinceVersion}::integer)`;
}

/**
 * Who wrote the record's content since it was last verified: its creator and everyone whose audited change made
 * a version after `verified_version` (review transitions do not count). None of them may verify it.
 */
export async function findContentAuthors(db: Queryable, table: ReviewTable, row: ReviewRow): Promise<Set<string>> {
  const since = row.verified_version ?? 0;
  const rows = await db
    .selectFrom('audit_log')
    .select('actor_id')
    .distinct()
    .where('entity_type', '=', table)
    .where('entity_id', '=', row.id)
    .where('actor_id', 'is not', null)
    .where('action', 'not like', 'review.%')
    .where(changedAfter(sql`${since}`))
    .execute();
  const authors = new Set<string>([row.created_by]);
  for (const { actor_id } of rows) if (actor_id !== null) authors.add(actor_id);
  return authors;
}

/** The record's values at `version` as the audit log kept them (the verified version after a correction). */
export async function findAuditedVersion(
  db: Queryable,
  table: ReviewTable,
  id: string,
  version: number,
): Promise<Record<string, unknown> | undefined> {
  const row = await db
    .selectFrom('audit_log')
    .select('after')
    .where('entity_type', '=', table)
    .where('entity_id', '=', id)
    .where(sql<boolean>`(audit_log.after -> 'version') = to_jsonb(${version}::integer)`)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const after = row?.after;
  return after !== null && typeof after === 'object' ? (after as Record<string, unknown>) : undefined;
}

export interface UserRef {
  id: string;
  username: string;
  display_name: string;
}

export async function findUsers(db: Queryable, ids: readonly string[]): Promise<Map<string, UserRef>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

export interface QueueRow {
  kind: ReviewKind;
  id: string;
  label: string;
  item_id: string | null;
  site_id: string | null;
  version: number;
  verified_version: number | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  username: string;
  display_name: string;
}

/** One SELECT per kind, all with the same columns, over an investigation's records in any review state. */
function kindSelect(kind: ReviewKind, investigationId: string): RawBuilder<unknown> {
  const table = sql.table(reviewTables[kind]);
  const label = {
    site: sql`name`,
    item: sql`concat_ws(' · ', external_ref, category, model)`,
    marking: sql`text`,
    provenance_claim: sql`concat_ws(' · ', event_type, lot_marking, occurred_from::text)`,
    media: sql`coalesce(original_filename, substr(sha256, 1, 12))`,
  }[kind];
  const itemId = kind === 'marking' || kind === 'provenance_claim' ? sql`item_id` : sql`NULL::uuid`;
  const siteId = kind === 'item' ? sql`site_id` : sql`NULL::uuid`;
  return sql`SELECT ${kind}::text AS kind, id, ${label} AS label, ${itemId} AS item_id, ${siteId} AS site_id,
    version, verified_version, created_by, created_at, updated_at, review_state, archived_at, sensitivity, ${sql.lit(reviewTables[kind])}::text AS entity_type
    FROM ${table} WHERE investigation_id = ${investigationId}`;
}

/**
 * The records of an investigation awaiting `userId`'s review: submitted, not archived, not created by them and
 * not changed by them since their last verification; sorted, filtered by kind and paged by keyset (ids are
 * UUIDv7, unique across the tables).
 */
export async function listQueue(
  db: Queryable,
  investigationId: string,
  userId: string,
  query: ReviewQueueQuery,
  clearance: SensitivityLevel,
): Promise<QueueRow[]> {
  const kinds = query.kind === undefined ? (Object.keys(reviewTables) as ReviewKind[]) : [query.kind];
  const all = sql.join(
    kinds.map((kind) => kindSelect(kind, investigationId)),
    sql` UNION ALL `,
  );
  const key = {
    updated: sql`r.updated_at`,
    created: sql`r.created_at`,
    kind: sql`r.kind`,
    label: sql`lower(r.label)`,
  }[query.sort];
  const cursorKey = sql.raw(
    { updated: 'c.updated_at', created: 'c.created_at', kind: 'c.kind', label: 'lower(c.label)' }[query.sort],
  );
  const direction = query.order === 'asc' ? sql.raw('ASC') : sql.raw('DESC');
  const comparison = query.order === 'asc' ? sql.raw('>') : sql.raw('<');
  // The cursor row is read among all the records, so a page still follows on when that row left the queue.
  const after =
    query.after === undefined
      ? sql`TRUE`
      : sql`(${key}, r.id) ${comparison} (SELECT ${cursorKey}, c.id FROM all_records c WHERE c.id = ${query.after})`;
  const result = await sql<QueueRow>`
    WITH all_records AS (${all})
    SELECT r.kind, r.id, r.label, r.item_id, r.site_id, r.version, r.verified_version, r.created_by, r.created_at,
      r.updated_at, u.username, u.display_name
    FROM all_records r JOIN users u ON u.id = r.created_by
    WHERE r.review_state = 'submitted' AND r.archived_at IS NULL AND r.created_by <> ${userId}
      AND r.sensitivity IN (${sql.join(levelsAtMost(clearance))})
      AND NOT EXISTS (
        SELECT 1 FROM audit_log
        WHERE audit_log.entity_type = r.entity_type AND audit_log.entity_id = r.id AND audit_log.actor_id = ${userId}
          AND audit_log.action NOT LIKE 'review.%' AND ${changedAfter(sql`coalesce(r.verified_version, 0)`)}
      )
      AND ${after}
    ORDER BY ${key} ${direction}, r.id ${direction}
    LIMIT ${query.limit + 1}`.execute(db);
  return result.rows;
}
