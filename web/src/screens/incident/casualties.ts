import { parseWholeNumber } from '../../../../src/parsing/numbers.js';

/** A casualty count as typed: empty is "not recorded" (null), else a whole number ≥ 0 in any script's digits. */
export type CountResult = { ok: true; value: number | null } | { ok: false };

/**
 * Reads a casualty count typed in any script's digits (٣, ۳, 3, ३), as the capture form reads quantities: what is
 * not a whole number of zero or more is refused, never rounded or guessed.
 *
 * @example readCount('٣') // { ok: true, value: 3 }
 * @example readCount('') // { ok: true, value: null }
 * @example readCount('2.5') // { ok: false }
 */
export function readCount(text: string): CountResult {
  if (text.trim() === '') return { ok: true, value: null };
  const value = parseWholeNumber(text);
  return value === undefined || value < 0 ? { ok: false } : { ok: true, value };
}
