// What the analysis figures (compute.ts, claim-figures.ts) share: the rows they read, ratios, medians, rounding,
// the order of their tables, and the actors by id.
import type { Row } from '../../db/tables.js';
import type { InvestigationFacts } from './repository.js';

export type Claim = Row<'provenance_claims'>;
export type Item = InvestigationFacts['items'][number];

/** Whole days from one 'YYYY-MM-DD' to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

export function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Ascending by count, so `sort(byCountDesc)` lists the largest first, ties by label. */
export function byCountThenKey<T>(count: (row: T) => number, key: (row: T) => string) {
  return (a: T, b: T) => count(b) - count(a) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

export function actorMap(facts: InvestigationFacts) {
  return new Map(facts.actors.map((actor) => [actor.id, actor]));
}
