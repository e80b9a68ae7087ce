/**
 * Ranked marking search: candidates from the confusion-key indexes, ranked
 * by the weighted edit distance (distance.ts). Also "seen elsewhere", the
 * same search as a marking is typed.
 */
import type { Kysely } from 'kysely';
import { StatementBudgetExceeded, withStatementBudget } from '../../db/statement-budget.js';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireRole, visibleInvestigationIds } from '../access/service.js';
import { planCandidates, withoutEdits } from './candidates.js';
import { describeDifferences, matchMarking, type MatchResult } from '../../parsing/marking-distance.js';
import { foldMarking, markingSkeleton, searchKeys, type Legibility } from '../../parsing/marking-text.js';
import { parseMarkingQuery, QuerySyntaxError, type ParsedQuery } from '../../parsing/marking-query.js';
import * as repository from './repository.js';
import type { MarkingFilters, MarkingHitRow } from './repository.js';
import type { MarkingKind } from '../markings/schema.js';
import { type MarkingHit, type MarkingSearchInput, type SeenElsewhereInput } from './schema.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';
import { restrictedClearedIn } from '../sensitivity/service.js';

const KEY_BATCH = 1000;

/**
 * The database time one search may use before its next statement is refused with `search_too_broad`. A search
 * is 3 to 6 statements, each bounded by what it reads (SCAN_CAP and the other limits of repository.ts): tens of
 * milliseconds each at a million markings on a quiet machine. Only a search far outside that (a query of a few
 * characters and many `?`, on a very large or very busy database) reaches this; on the embedded database it would
 * otherwise take the one connection from everyone for seconds.
 */
export const SEARCH_BUDGET_MS = 2000;

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
  return visibleInvestigationIds(db, actor);
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

/** The cost without separator differences, which only break ties. */
function coreCost(match: MatchResult): number {
  const separators = match.differences
    .filter((difference) => difference.kind === 'separator')
    .reduce((sum, difference) => sum + difference.cost, 0);
  return Math.round((match.cost - separators) * 1000) / 1000;
}

// Each further copy of a skeleton already listed ranks as if it cost this
// much more: ten items carrying one lot must not hide every other candidate.
const REPEAT_PENALTY = 0.2;

/** How many characters of the marking lie beyond the query's ends. */
function charactersBeyond(match: MatchResult): number {
  return match.differences
    .filter((difference) => difference.kind === 'beyond_query')
    .reduce((sum, difference) => sum + Array.from(difference.marking ?? '').length, 0);
}

/**
 * Sorts by cost, separators aside, with copies of a skeleton already listed
 * pushed down by {@link REPEAT_PENALTY} each; then fewer separator
 * differences, then fewer characters beyond the query (at equal cost, a
 * marking the query covers whole before one it is only part of: for a short
 * query, `ВР 2013` before `ЗВ 2013` when `В 2 013` is searched), then
 * markings of the query's length before longer or shorter.
 */
function rank<T>(entries: Ranked<T>[], skeletonOf: (value: T) => string, queryLength: number): Ranked<T>[] {
  const core = new Map(entries.map((entry) => [entry, coreCost(entry.match)]));
  const beyond = new Map(entries.map((entry) => [entry, charactersBeyond(entry.match)]));
  const sorted = [...entries].sort(
    (a, b) => core.get(a)! - core.get(b)! || a.match.cost - b.match.cost || beyond.get(a)! - beyond.get(b)!,
  );
  const seen = new Map<string, number>();
  const key = new Map<Ranked<T>, number>();
  for (const entry of sorted) {
    const skeleton = skeletonOf(entry.value);
    const copies = seen.get(skeleton) ?? 0;
    seen.set(skeleton, copies + 1);
    key.set(entry, core.get(entry)! + REPEAT_PENALTY * copies);
  }
  const lengthGap = (entry: Ranked<T>) => Math.abs(skeletonOf(entry.value).length - queryLength);
  return sorted.sort(
    (a, b) =>
      key.get(a)! - key.get(b)! ||
      a.match.cost - b.match.cost ||
      beyond.get(a)! - beyond.get(b)! ||
      lengthGap(a) - lengthGap(b),
  );
}

/**
 * The engine behind every marking search (the caller has run
 * {@link ensureSearchKeys}): candidate skeletons from the indexes, ranked; a second, trigram round when the first found nothing
 * within one arbitrary edit; then the markings of the best skeletons, each
 * ranked by its own transcription.
 */
export async function runMarkingSearch(
  db: Kysely<DB>,
  query: ParsedQuery,
  filters: MarkingFilters,
  limit: number,
  options: {
    /** The largest cost shown (default: one arbitrary edit, or about one in three characters). */
    maxCost?: number;
    /** Whether to try trigram similarity when the patterns found nothing within one edit (default true). */
    similarity?: boolean;
    /** Rows each index lookup may scan (default 3,000). */
    scanCap?: number;
    /** Database time the search may use before its next statement is refused (default {@link SEARCH_BUDGET_MS}). */
    budgetMs?: number;
  } = {},
): Promise<{ row: MarkingHitRow; match: MatchResult }[]> {
  try {
    return await rankedSearch(
      withStatementBudget(db, options.budgetMs ?? SEARCH_BUDGET_MS),
      query,
      filters,
      limit,
      options,
    );
  } catch (error) {
    if (!(error instanceof StatementBudgetExceeded)) throw error;
    throw new DomainError(
      'search_too_broad',
      `The search matches too much to answer within ${error.budgetMs} ms of database time. ` +
        'Narrow it: type more characters of the marking, use fewer ? and *, or choose a kind of marking.',
    );
  }
}

async function rankedSearch(
  db: Kysely<DB>,
  query: ParsedQuery,
  filters: MarkingFilters,
  limit: number,
  options: { maxCost?: number; similarity?: boolean; scanCap?: number },
): Promise<{ row: MarkingHitRow; match: MatchResult }[]> {
  const { maxCost, similarity = true, scanCap } = options;
  const planned = planCandidates(query);
  const plan = maxCost !== undefined && maxCost < 1 ? withoutEdits(planned) : planned;
  const scored = new Map<string, Ranked<string>>();
  const score = (candidates: repository.CandidateSkeleton[]) => {
    for (const candidate of candidates) {
      if (scored.has(candidate.skeleton)) continue;
      const match = matchMarking(query, foldMarking(candidate.text));
      if (isCloseEnough(query, match, maxCost)) scored.set(candidate.skeleton, { value: candidate.skeleton, match });
    }
  };
  score(await repository.findCandidateSkeletons(db, plan, { ...filters, scanCap }));
  const bestCost = Math.min(...[...scored.values()].map((entry) => entry.match.cost));
  // Trigram similarity is slow, and vague on short keys: only for queries
  // of six characters or more whose patterns found nothing within one edit.
  if (similarity && plan.similarityText.length >= 6 && bestCost >= 1) {
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
  return ranked.slice(0, limit).map((entry) => ({ row: entry.value, match: entry.match }));
}

/** A search hit as the API and the CLI show it. */
export function toHit({ row, match }: { row: MarkingHitRow; match: MatchResult }): MarkingHit {
  const {
    item_external_ref: itemExternalRef,
    item_category: itemCategory,
    item_model: itemModel,
    site_id: siteId,
    site_name: siteName,
    site_external_ref: siteExternalRef,
    // The search keys are derived internals, not part of the record.
    skeleton: _skeleton,
    confusion_key: _confusionKey,
    ...marking
  } = row;
  return {
    ...toJsonRecord(marking),
    kind: marking.kind as MarkingKind,
    legibility: marking.legibility as Legibility,
    sensitivity: marking.sensitivity as SensitivityLevel,
    item: { id: marking.item_id, external_ref: itemExternalRef, category: itemCategory, model: itemModel },
    site: { id: siteId, name: siteName, external_ref: siteExternalRef },
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
 * await searchAllMarkings(db, actor, { q: 'ЗВ-19?5', kind: 'factory_code', limit: 20, include_archived: false });
 */
export async function searchAllMarkings(
  db: Kysely<DB>,
  actor: Actor,
  parsed: MarkingSearchInput,
): Promise<{ items: MarkingHit[] }> {
  const query = parseQueryOrFail(parsed.q);
  const [investigationIds] = await Promise.all([
    readableInvestigations(db, actor, parsed.investigation_id),
    ensureSearchKeys(db),
  ]);
  const restrictedIn = await restrictedClearedIn(db, actor, investigationIds);
  const hits = await runMarkingSearch(
    db,
    query,
    {
      investigationIds,
      restrictedIn,
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

// A transcription being typed is matched as text: `*`, `[`, `]` and `\` are
// escaped; `?` still stands for an unread character, as transcribers write it.
function transcriptionAsQuery(text: string): string {
  return text.replace(/[\\*[\]]/g, (character) => `\\${character}`);
}

/**
 * The markings at other items that match a marking as it is being typed:
 * the marking search itself (same candidates, same ranking, same
 * explanations) but for its trigram-similarity round, across every
 * investigation the actor can read, the item's own markings left out. Empty
 * until the text has three letters or digits.
 *
 * @example
 * await seenElsewhere(db, actor, { text: 'КЛ 04', item_id: itemId, limit: 10 });
 */
export async function seenElsewhere(
  db: Kysely<DB>,
  actor: Actor,
  parsed: SeenElsewhereInput,
): Promise<{ items: MarkingHit[] }> {
  if (markingSkeleton(parsed.text).replace(/\?/g, '').length < 3) return { items: [] };
  const query = parseQueryOrFail(transcriptionAsQuery(parsed.text), 'text');
  const [investigationIds] = await Promise.all([readableInvestigations(db, actor, undefined), ensureSearchKeys(db)]);
  const restrictedIn = await restrictedClearedIn(db, actor, investigationIds);
  const hits = await runMarkingSearch(
    db,
    query,
    { investigationIds, restrictedIn, kind: parsed.kind, excludeItemId: parsed.item_id, includeArchived: false },
    parsed.limit,
    // Per keystroke, without the last-resort trigram round (matches more than
    // two errors away, tens of milliseconds on a large table): every match
    // within two errors is a candidate without it (candidates.ts).
    { similarity: false },
  );
  return { items: hits.map(toHit) };
}
