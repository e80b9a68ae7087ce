import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import type { CandidatePlan } from './candidates.js';
import { restrictedCondition } from '../sensitivity/repository.js';

/** Which markings a search may return. */
export interface MarkingFilters {
  /** Only these investigations; undefined for every investigation (administrators). */
  investigationIds: readonly string[] | undefined;
  kind?: string | undefined;
  category?: string | undefined;
  siteId?: string | undefined;
  /** Leave out the markings of this item (the one being captured). */
  excludeItemId?: string | undefined;
  /** The site's recovery day, inclusive, 'YYYY-MM-DD'. */
  recoveredFrom?: string | undefined;
  recoveredTo?: string | undefined;
  includeArchived: boolean;
  /**
   * The investigations in which restricted markings (and markings of restricted items) may be returned;
   * undefined: all of them (administrators). See src/features/sensitivity.
   */
  restrictedIn: readonly string[] | undefined;
}

/** One distinct skeleton among the candidates, with a transcription that has it. */
export interface CandidateSkeleton {
  skeleton: string;
  text: string;
}

/** A marking found by a search, with what a result shows of its item and site. */
export type MarkingHitRow = Row<'markings'> & {
  item_external_ref: string | null;
  item_category: string;
  item_model: string | null;
  site_id: string;
  site_name: string;
  site_external_ref: string | null;
};

// Bounds that keep an unselective pattern (a lone year, `19??`) cheap: the
// rows an index returns are capped before they are grouped. Every key within
// two errors of a query of 6 characters or more comes from the near lookup,
// which has no cap; these lookups add exact, prefix and part-of matches, for
// which 1,000 rows are as good as 3,000 at a million markings (the same
// recall in the benchmark) and read a third of the pages.
const SCAN_CAP = 1000;

/** Which markings a search may return, and how many rows each lookup may scan. */
export type CandidateScope = MarkingFilters & { scanCap?: number | undefined };

/** The filters as SQL conditions on `m` (markings). */
function filterConditions(filters: MarkingFilters): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [];
  if (filters.investigationIds !== undefined) {
    conditions.push(
      filters.investigationIds.length === 0
        ? sql`false`
        : sql`m.investigation_id IN (${sql.join(filters.investigationIds.map((id) => sql`${id}::uuid`))})`,
    );
  }
  if (!filters.includeArchived) conditions.push(sql`m.archived_at IS NULL`);
  // Nothing to leave out when the reader sees restricted records in every investigation searched.
  const restrictedEverywhere =
    filters.investigationIds !== undefined &&
    filters.restrictedIn !== undefined &&
    filters.investigationIds.every((id) => filters.restrictedIn!.includes(id));
  if (filters.restrictedIn !== undefined && !restrictedEverywhere) {
    conditions.push(restrictedCondition('m', filters.restrictedIn));
  }
  if (filters.kind !== undefined) conditions.push(sql`m.kind = ${filters.kind}`);
  if (filters.excludeItemId !== undefined) conditions.push(sql`m.item_id <> ${filters.excludeItemId}::uuid`);
  const itemConditions: RawBuilder<unknown>[] = [];
  if (filters.category !== undefined) itemConditions.push(sql`i.category = ${filters.category}`);
  if (filters.siteId !== undefined) itemConditions.push(sql`i.site_id = ${filters.siteId}::uuid`);
  if (filters.recoveredFrom !== undefined || filters.recoveredTo !== undefined) {
    const siteConditions: RawBuilder<unknown>[] = [sql`s.id = i.site_id`];
    if (filters.recoveredFrom !== undefined) siteConditions.push(sql`s.recovered_on >= ${filters.recoveredFrom}::date`);
    if (filters.recoveredTo !== undefined) siteConditions.push(sql`s.recovered_on <= ${filters.recoveredTo}::date`);
    itemConditions.push(sql`EXISTS (SELECT 1 FROM sites s WHERE ${sql.join(siteConditions, sql` AND `)})`);
  }
  if (itemConditions.length > 0) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM items i WHERE i.id = m.item_id AND ${sql.join(itemConditions, sql` AND `)})`,
    );
  }
  return conditions;
}

function where(filters: MarkingFilters, ...more: RawBuilder<unknown>[]): RawBuilder<unknown> {
  const conditions = [...filterConditions(filters), ...more];
  return conditions.length === 0 ? sql`true` : sql.join(conditions, sql` AND `);
}

/**
 * Distinct skeletons whose confusion key matches a condition, the rows
 * scanned capped; `order` picks which of many matches to keep.
 */
async function distinctSkeletons(
  db: Queryable,
  filters: CandidateScope,
  condition: RawBuilder<unknown>,
  limit: number,
  order: RawBuilder<unknown> = sql`1`,
): Promise<CandidateSkeleton[]> {
  const result = await sql<CandidateSkeleton>`
    SELECT skeleton, min(text) AS text FROM (
      SELECT m.skeleton, m.text, ${order} AS rank FROM markings m
      WHERE ${where(filters, condition)} LIMIT ${filters.scanCap ?? SCAN_CAP}
    ) scanned
    WHERE skeleton IS NOT NULL
    GROUP BY skeleton ORDER BY min(rank) LIMIT ${limit}`.execute(db);
  return result.rows;
}

function anyOf(patterns: readonly string[]): RawBuilder<unknown> {
  return sql`(${sql.join(
    patterns.map((pattern) => sql`m.confusion_key LIKE ${pattern}`),
    sql` OR `,
  )})`;
}

/**
 * The first, cheap round of candidates: the query as an exact pattern, as a
 * prefix and (short queries) contained, its one-edit variants (short
 * queries) or pigeonhole patterns (longer ones), each answered from the
 * confusion-key indexes. The lookups are independent, so they run side by
 * side where the database has connections to spare.
 */
export async function findCandidateSkeletons(
  db: Queryable,
  plan: CandidatePlan,
  filters: CandidateScope,
): Promise<CandidateSkeleton[]> {
  const lookups: Promise<CandidateSkeleton[]>[] = [];
  const startsWithLiteral = !plan.exactPattern.startsWith('_') && !plan.exactPattern.startsWith('%');
  if (plan.exactIsIndexable || startsWithLiteral) {
    lookups.push(
      distinctSkeletons(
        db,
        filters,
        plan.exactIsLiteral
          ? sql`m.confusion_key = ${plan.exactPattern}`
          : sql`m.confusion_key LIKE ${plan.exactPattern}`,
        200,
      ),
    );
    if (!plan.exactPattern.endsWith('%')) {
      const prefix = `${plan.exactPattern}%`;
      lookups.push(distinctSkeletons(db, filters, sql`m.confusion_key LIKE ${prefix}`, 100, sql`length(m.skeleton)`));
    }
  }
  if (plan.infix) {
    const infix = `%${plan.exactPattern}%`;
    lookups.push(distinctSkeletons(db, filters, sql`m.confusion_key LIKE ${infix}`, 100, sql`length(m.skeleton)`));
  }
  // These patterns match many keys that are not close: keep the most similar.
  const similarity = sql`-similarity(m.confusion_key, ${plan.similarityText})`;
  if (plan.oneEditPatterns.length > 0) {
    lookups.push(distinctSkeletons(db, filters, anyOf(plan.oneEditPatterns), 300, similarity));
  }
  if (plan.fuzzyPatterns.length > 0) {
    lookups.push(distinctSkeletons(db, filters, anyOf(plan.fuzzyPatterns), 300, similarity));
  }
  if (plan.segmentPairProbes.length > 0) lookups.push(nearSkeletons(db, plan, filters));
  const found = new Map<string, CandidateSkeleton>();
  for (const candidates of await Promise.all(lookups)) {
    for (const candidate of candidates) {
      const known = found.get(candidate.skeleton);
      if (known === undefined || candidate.text < known.text) found.set(candidate.skeleton, candidate);
    }
  }
  return [...found.values()];
}

// Markings read for each key found near: enough for the few skeletons a key
// stands for (`lot` and `10t` share one), however many items carry it.
const NEAR_MARKINGS_PER_KEY = 20;

/**
 * Every skeleton whose confusion key is within `plan.nearDistance` errors of
 * the query (edits, swaps of two neighbours, unreadable characters, a `?` on
 * either side counting as one): the distinct keys sharing a segment pair with
 * the query or a swapped form of it (migration 0008), each checked with
 * Levenshtein distances, then a few markings of each key the filters let
 * through. Closest first.
 */
async function nearSkeletons(
  db: Queryable,
  plan: CandidatePlan,
  filters: CandidateScope,
): Promise<CandidateSkeleton[]> {
  const distances = [
    sql`levenshtein_less_equal(k.confusion_key, ${plan.nearKey}, ${plan.nearDistance})`,
    ...plan.nearSwapped.map(
      (swapped) => sql`1 + levenshtein_less_equal(k.confusion_key, ${swapped}, ${plan.nearDistance - 1})`,
    ),
  ];
  if (plan.nearSwappedTwice.length > 0) {
    distances.push(sql`CASE WHEN k.confusion_key = ANY(${plan.nearSwappedTwice}::text[]) THEN 2 END`);
  }
  const result = await sql<CandidateSkeleton>`
    SELECT m.skeleton, min(m.text) AS text FROM (
      SELECT k.confusion_key,
        CASE WHEN length(k.confusion_key) <= 255 THEN LEAST(${sql.join(distances)}) END AS distance
      FROM marking_search_keys k
      WHERE marking_key_segment_pairs(k.confusion_key)
        && ARRAY(SELECT hashtext(probe) FROM unnest(${plan.segmentPairProbes}::text[]) AS probe)
    ) near
    CROSS JOIN LATERAL (
      SELECT m.skeleton, m.text FROM markings m
      WHERE ${where(filters, sql`m.confusion_key = near.confusion_key`)}
      LIMIT ${NEAR_MARKINGS_PER_KEY}
    ) m
    WHERE near.distance <= ${plan.nearDistance} AND m.skeleton IS NOT NULL
    GROUP BY m.skeleton ORDER BY min(near.distance) LIMIT 300`.execute(db);
  return result.rows;
}

// pg_trgm's default threshold (0.3) lets tens of thousands of short keys
// through on a large table; candidates worth ranking share more.
const SIMILARITY_THRESHOLD = 0.4;

/**
 * The second round, when the first found nothing close: confusion keys
 * similar by trigrams (pg_trgm's `%`), most similar first.
 */
export async function findSimilarSkeletons(
  db: Kysely<DB>,
  plan: CandidatePlan,
  filters: MarkingFilters,
): Promise<CandidateSkeleton[]> {
  // The threshold is a setting; set for this transaction only, it cannot leak to other users of the connection.
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('pg_trgm.similarity_threshold', ${String(SIMILARITY_THRESHOLD)}, true)`.execute(trx);
    return distinctSkeletons(
      trx,
      filters,
      sql`m.confusion_key % ${plan.similarityText}`,
      100,
      sql`-similarity(m.confusion_key, ${plan.similarityText})`,
    );
  });
}

/**
 * The markings with the given skeletons, with their item and site: at most
 * `perSkeleton` of each (the oldest), those of the first skeletons first.
 */
export async function listMarkingsBySkeleton(
  db: Queryable,
  skeletons: readonly string[],
  filters: MarkingFilters,
  perSkeleton: number,
): Promise<MarkingHitRow[]> {
  if (skeletons.length === 0) return [];
  // Each through markings_skeleton (skeleton, id; migration 0039), in id order: the oldest of a skeleton are read
  // and the scan stops, where the confusion-key index read every marking of the key and sorted them (a skeleton
  // 500 items carry: 500 table rows to keep 10). No condition on the confusion key beside it: with both, the
  // planner combined the two indexes and sorted again.
  const result = await sql<MarkingHitRow>`
    SELECT m.*, i.external_ref AS item_external_ref, i.category AS item_category, i.model AS item_model,
      s.id AS site_id, s.name AS site_name, s.external_ref AS site_external_ref
    FROM unnest(${[...skeletons]}::text[]) WITH ORDINALITY AS wanted (skeleton, position)
    CROSS JOIN LATERAL (
      SELECT * FROM markings m
      WHERE ${where(filters, sql`m.skeleton = wanted.skeleton`)}
      ORDER BY m.id LIMIT ${perSkeleton}
    ) m
    JOIN items i ON i.id = m.item_id
    JOIN sites s ON s.id = i.site_id
    ORDER BY wanted.position, m.id`.execute(db);
  return result.rows;
}

/** Markings whose search keys are not computed yet (written before 0005, or by code that does not set them). */
export async function listMarkingsWithoutKeys(
  db: Queryable,
  limit: number,
): Promise<Pick<Row<'markings'>, 'id' | 'text'>[]> {
  return db.selectFrom('markings').select(['id', 'text']).where('skeleton', 'is', null).limit(limit).execute();
}

/** Stores computed search keys, unless the text changed in the meantime. */
export async function storeSearchKeys(
  db: Queryable,
  rows: readonly { id: string; text: string; skeleton: string; confusion_key: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    UPDATE markings SET skeleton = keys.skeleton, confusion_key = keys.confusion_key
    FROM unnest(${rows.map((row) => row.id)}::uuid[], ${rows.map((row) => row.text)}::text[],
      ${rows.map((row) => row.skeleton)}::text[], ${rows.map((row) => row.confusion_key)}::text[])
      AS keys (id, text, skeleton, confusion_key)
    WHERE markings.id = keys.id AND markings.text = keys.text`.execute(db);
}
