/**
 * Pure rules over provenance claims, shared by the provenance views, the
 * PROV-JSON export and the analysis: the order of a chain, how dates are
 * read, and when two claims contradict each other.
 */
import { provenanceEventTypes } from './schema.js';

export interface ClaimLike {
  id: string;
  event_type: string;
  actor_id: string | null;
  occurred_from: string | null;
  occurred_to: string | null;
}

const eventRank = new Map<string, number>(provenanceEventTypes.map((eventType, index) => [eventType, index]));

/**
 * The dates a claim allows, as an inclusive range of 'YYYY-MM-DD'. A range
 * means "some time within it"; a single date (either bound alone) means
 * "on that date"; no date gives null.
 */
export function claimDateRange(claim: ClaimLike): { earliest: string; latest: string } | null {
  const earliest = claim.occurred_from ?? claim.occurred_to;
  const latest = claim.occurred_to ?? claim.occurred_from;
  return earliest === null || latest === null ? null : { earliest, latest };
}

/** Event order first, then the earliest known date (undated last), then creation order. */
export function compareClaims(a: ClaimLike, b: ClaimLike): number {
  const byEvent = (eventRank.get(a.event_type) ?? 0) - (eventRank.get(b.event_type) ?? 0);
  if (byEvent !== 0) return byEvent;
  const dateA = a.occurred_from ?? a.occurred_to;
  const dateB = b.occurred_from ?? b.occurred_to;
  if (dateA !== dateB) {
    if (dateA === null) return 1;
    if (dateB === null) return -1;
    return dateA < dateB ? -1 : 1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// An item is produced, exported, diverted and recovered once in its history,
// but it may be transferred several times along a chain (A to B, then B to C):
// two transfers with different parties or dates are steps, not a contradiction.
const repeatableEvents: ReadonlySet<string> = new Set(['transferred']);

/**
 * Why two claims about the same thing cannot both be true, or null when they
 * can: same (non-repeatable) event with different actors, or with date
 * ranges that do not overlap. A claim without an actor or without a date is
 * not contradicted on that point.
 */
export function contradiction(a: ClaimLike, b: ClaimLike): 'actor' | 'dates' | null {
  if (a.event_type !== b.event_type || repeatableEvents.has(a.event_type)) return null;
  if (a.actor_id !== null && b.actor_id !== null && a.actor_id !== b.actor_id) return 'actor';
  const rangeA = claimDateRange(a);
  const rangeB = claimDateRange(b);
  if (rangeA !== null && rangeB !== null && (rangeA.latest < rangeB.earliest || rangeB.latest < rangeA.earliest)) {
    return 'dates';
  }
  return null;
}

/** For each claim, the ids of the other claims it contradicts (sorted; empty when none). */
export function findConflicts(claims: readonly ClaimLike[]): Map<string, string[]> {
  const conflicts = new Map<string, string[]>(claims.map((claim) => [claim.id, []]));
  for (let i = 0; i < claims.length; i += 1) {
    for (let j = i + 1; j < claims.length; j += 1) {
      const a = claims[i]!;
      const b = claims[j]!;
      if (contradiction(a, b) === null) continue;
      conflicts.get(a.id)!.push(b.id);
      conflicts.get(b.id)!.push(a.id);
    }
  }
  for (const ids of conflicts.values()) ids.sort();
  return conflicts;
}

const confidenceRank: Record<string, number> = { confirmed: 3, probable: 2, possible: 1 };

/** Higher for surer claims: confirmed > probable > possible. */
export function confidenceWeight(confidence: string): number {
  return confidenceRank[confidence] ?? 0;
}
