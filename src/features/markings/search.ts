/**
 * Ranked marking search: candidates from the confusion-key indexes, ranked
 * by the weighted edit distance (distance.ts). Also "seen elsewhere", the
 * same search as a marking is typed.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import { listMemberInvestigationIds } from '../access/repository.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { planCandidates } from './candidates.js';
import { describeDifferences, matchMarking, type MatchResult } from './distance.js';
import { foldMarking, markingSkeleton, searchKeys, type Legibility } from './normalize.js';
import { parseMarkingQuery, QuerySyntaxError, type ParsedQuery } from './query.js';
import * as repository from './search-repository.js';
import type { MarkingFilters, MarkingHitRow } from './search-repository.js';
import type { MarkingKind } from './schema.js';
import {
  type MarkingHit,
  type MarkingSearchInput,
  type SeenElsewhereInput,
} from './search-schema.js';

const KEY_BATCH = 1000;

/**
 * Computes the search keys of markings that have none (rows written before
 * the keys existed, or by code that does not set them). Cheap when there are
 * none: one probe of a partial index.
 */
export async function ensureSearchKeys(db: Queryable): Promise<number> {
  let filled = 0;
  for (;;) {
    const rows = await repository.listMarkingsWithoutKeys(db, KEY_BATCH);
    if (rows.length === 0) return filled;
    await repository.storeSearchKeys(
      db,
      rows.map((row) => ({ id: row.id, text: row.text, ...searchKeys(row.text) })),
    );
    filled += rows.length;
    if (rows.length < KEY_BATCH) return filled;
  }
}

/** Parses a query, or says in the `q` field what is wrong with it. */
export function parseQueryOrFail(query: string, field = 'q'): ParsedQuery {
  try {
    return parseMarkingQuery(query);
  } catch (error) {
    if (error instanceof QuerySyntaxError) {
      throw new DomainError('validation_failed', `The search "${query}" cannot be read: ${error.message}.`, [
        { field, message: error.message },
      ]);
    }
    throw error;
  }
}

/** The investigations the actor may read: undefined means all (administrators). */
async function readableInvestigations(
  db: Queryable,
  actor: Actor,
  investigationId: string | undefined,
): Promise<readonly string[] | undefined> {
  if (investigationId !== undefined) {
    await requireRole(db, actor, investigationId, 'viewer');
    return [investigationId];
  }
  if (actor.isAdmin) return undefined;
  return listMemberInvestigationIds(db, actor.userId);
}

/**
 * How far a candidate may be from the query and still be shown: one
 * arbitrary edit for short queries, about one in three characters for long
 * ones. Characters of the marking beyond the query do not count, so a part
 * of a marking finds the whole.
 */
function isCloseEnough(query: ParsedQuery, match: MatchResult, maxCost: number | undefined): boolean {
  const beyond = match.differences
    .filter((difference) => difference.kind === 'beyond_query')
    .reduce((sum, difference) => sum + difference.cost, 0);
  return match.cost - beyond <= (maxCost ?? Math.max(1, query.length * 0.34));
}

interface Ranked<T> {
  value: T;
  match: MatchResult;
}

/**
 * Sorts by cost; at equal cost, markings longer or shorter than the query
 * come after those of its length, and a skeleton already listed comes after
 * the first of every other, so that ten copies of one lot do not hide the
 * other candidates.
 */
function rank<T>(entries: Ranked<T>[], skeletonOf: (value: T) => string, queryLength: number): Ranked<T>[] {
  const sorted = [...entries].sort((a, b) => a.match.cost - b.match.cost);
  const seen = new Map<string, number>();
  const repeat = new Map<Ranked<T>, number>();
  for (const entry of sorted) {
    const key = `${skeletonOf(entry.value)}\u0000${entry.match.cost}`;
    const count = seen.get(key) ?? 0;
    seen.set(key, count + 1);
    repeat.set(entry, count);
  }
  const lengthGap = (entry: Ranked<T>) => Math.abs(skeletonOf(entry.value).length - queryLength);
  return sorted.sort(
    (a, b) => a.match.cost - b.match.cost || repeat.get(a)! - repeat.get(b)! || lengthGap(a) - lengthGap(b),
  );
}

/**
 * The engine behind every marking search: candidate skeletons from the
 * indexes, ranked; a second, trigram round when the first found nothing
 * within one arbitrary edit; then the markings of the best skeletons, each
 * ranked by its own transcription.
 */
export async function runMarkingSearch(
  db: Queryable,
  query: ParsedQuery,
  filters: MarkingFilters,
  limit: number,
  maxCost?: number,
): Promise<{ row: MarkingHitRow; match: MatchResult }[]> {
  await ensureSearchKeys(db);
  const plan = planCandidates(query);
  const scored = new Map<string, Ranked<string>>();
  const score = (candidates: repository.CandidateSkeleton[]) => {
    for (const candidate of candidates) {
      if (scored.has(candidate.skeleton)) continue;
      const match = matchMarking(query, foldMarking(candidate.text));
      if (isCloseEnough(query, match, maxCost)) scored.set(candidate.skeleton, { value: candidate.skeleton, match });
    }
  };
  score(await repository.findCandidateSkeletons(db, plan, filters));
  const bestCost = Math.min(...[...scored.values()].map((entry) => entry.match.cost));
  if (plan.similarityText.length >= 3 && (bestCost >= 1 || plan.fuzzyPatterns.length === 0)) {
    score(await repository.findSimilarSkeletons(db, plan, filters));
  }
  const best = rank([...scored.values()], (skeleton) => skeleton, query.length).slice(0, limit);
  const rows = await repository.listMarkingsBySkeleton(
    db,
    best.map((entry) => entry.value),
    filters,
    limit,
  );
  const ranked = rank(
    rows
      .map((row) => ({ value: row, match: matchMarking(query, foldMarking(row.text)) }))
      .filter((entry) => isCloseEnough(query, entry.match, maxCost)),
    (row) => row.skeleton ?? markingSkeleton(row.text),
    query.length,
  );
  return ranked.map((entry) => ({ row: entry.value, match: entry.match }));
}

/** A search hit as the API and the CLI show it. */
export function toHit({ row, match }: { row: MarkingHitRow; match: MatchResult }): MarkingHit {
  return {
    id: row.id,
    investigation_id: row.investigation_id,
    item_id: row.item_id,
    text: row.text,
    normalized: row.normalized,
    kind: row.kind as MarkingKind,
    position: row.position,
    script: row.script,
    legibility: row.legibility as Legibility,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
    archived_at: row.archived_at === null ? null : row.archived_at.toISOString(),
    archive_reason: row.archive_reason,
    item: {
      id: row.item_id,
      external_ref: row.item_external_ref,
      category: row.item_category,
      model: row.item_model,
    },
    site: { id: row.site_id, name: row.site_name, external_ref: row.site_external_ref },
    score: match.score,
    cost: match.cost,
    differences: match.differences,
    explanation: describeDifferences(match.differences),
  };
}

/**
 * Finds markings across every investigation the actor can read (all for
 * administrators), or in one, closest first, each with its score and the
 * characters that differ.
 *
 * @example
 * await searchAllMarkings(db, actor, { q: 'ЗВ-19?5', kind: 'factory_code', limit: 20 });
 */
export async function searchAllMarkings(
  db: Kysely<DB>,
  actor: Actor,
  parsed: MarkingSearchInput,
): Promise<{ items: MarkingHit[] }> {
  const query = parseQueryOrFail(parsed.q);
  const investigationIds = await readableInvestigations(db, actor, parsed.investigation_id);
  const hits = await runMarkingSearch(
    db,
    query,
    {
      investigationIds,
      kind: parsed.kind,
      category: parsed.category,
      siteId: parsed.site_id,
      recoveredFrom: parsed.recovered_from,
      recoveredTo: parsed.recovered_to,
      includeArchived: parsed.include_archived,
    },
    parsed.limit,
  );
  return { items: hits.map(toHit) };
}

// Operators are escaped: a transcription being typed is matched as text ('?' still stands for an unread character).
function transcriptionAsPrefixQuery(text: string): string {
  return `${text.replace(/[\\*[\]]/g, (character) => `\\${character}`)}*`;
}

// Seen-elsewhere shows matches, not suggestions: misreadings, look-alikes and
// unread characters, plus one arbitrary edit once the text is long enough
// for one wrong character to be a typo rather than another marking.
const SEEN_ELSEWHERE_MAX_COST = { short: 0.99, long: 1 };
const SEEN_ELSEWHERE_LONG = 8;

/**
 * The markings at other items that match a marking as it is being typed:
 * same skeleton first, then those it begins, then close ones. Empty until the
 * text has three letters or digits.
 *
 * @example
 * await seenElsewhere(db, actor, { text: 'КЛ 04', item_id: itemId });
 */
export async function seenElsewhere(
  db: Kysely<DB>,
  actor: Actor,
  parsed: SeenElsewhereInput,
): Promise<{ items: MarkingHit[] }> {
  if (markingSkeleton(parsed.text).replace(/\?/g, '').length < 3) return { items: [] };
  const query = parseQueryOrFail(transcriptionAsPrefixQuery(parsed.text), 'text');
  const investigationIds = await readableInvestigations(db, actor, undefined);
  const hits = await runMarkingSearch(
    db,
    query,
    {
      investigationIds,
      kind: parsed.kind,
      excludeItemId: parsed.item_id,
      includeArchived: false,
    },
    parsed.limit,
    query.length >= SEEN_ELSEWHERE_LONG ? SEEN_ELSEWHERE_MAX_COST.long : SEEN_ELSEWHERE_MAX_COST.short,
  );
  return { items: hits.map(toHit) };
}
