import type { I18n, Locale } from '../i18n/i18n';
import type { OutboxCounts } from './outbox';

// "12 items, 30 photos not yet sent", with each count in the plural form its language needs (Arabic has six:
// zero, one, two, few, many, other): each group's message is an ICU plural, never chosen by `count === 1`.

/** The groups the summary names, in this order; hand-overs, disposal changes and corrections count as changes. */
export const summaryGroups = ['site', 'zone', 'item', 'marking', 'photo', 'change'] as const;
export type SummaryGroup = (typeof summaryGroups)[number];

/** Folds the stored kinds into the groups the summary names. */
export function groupCounts(counts: OutboxCounts): Partial<Record<SummaryGroup, number>> {
  const grouped: Partial<Record<SummaryGroup, number>> = {};
  for (const [kind, count] of Object.entries(counts) as [keyof OutboxCounts, number][]) {
    const group: SummaryGroup = kind === 'custody' || kind === 'disposal' || kind === 'update' ? 'change' : kind;
    grouped[group] = (grouped[group] ?? 0) + count;
  }
  return grouped;
}

/**
 * One count with its noun, e.g. "12 items", "قطعتان", "1 objet".
 *
 * @example
 * countPhrase(t, 'item', 2) // 'قطعتان'
 */
export function countPhrase(t: I18n['t'], group: SummaryGroup, count: number): string {
  return t(`offline.count.${group}`, { count });
}

/**
 * The list of what waits, e.g. "12 items, 30 photos", or undefined when nothing waits.
 *
 * @example
 * waitingList(t, 'en', { item: 12, photo: 30 }) // '12 items, 30 photos'
 */
export function waitingList(t: I18n['t'], locale: Locale, counts: OutboxCounts): string | undefined {
  const grouped = groupCounts(counts);
  const phrases = summaryGroups
    .filter((group) => (grouped[group] ?? 0) > 0)
    .map((group) => countPhrase(t, group, grouped[group]!));
  if (phrases.length === 0) return undefined;
  return new Intl.ListFormat(locale, { style: 'short', type: 'unit' }).format(phrases);
}

/**
 * The whole sentence, e.g. "12 items, 30 photos not yet sent", or undefined when nothing waits.
 *
 * @example
 * waitingSummary(t, 'en', { item: 12, photo: 30 })
 */
export function waitingSummary(t: I18n['t'], locale: Locale, counts: OutboxCounts): string | undefined {
  const list = waitingList(t, locale, counts);
  return list === undefined ? undefined : t('offline.waiting', { list });
}
