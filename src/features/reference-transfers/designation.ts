/**
 * Tolerant matching of weapon designations: "BM-21 Grad 122mm", "bm 21" and
 * "BM21" must meet, whatever the case, spaces, dashes or accents. Both sides
 * are reduced to folded keys (lower case, letters and digits only) and a
 * transfer is a lead when one of its keys equals one of the item's.
 */

// Arabic-Indic (U+0660–0669) and Persian (U+06F0–06F9) digits, read as ASCII digits.
const EASTERN_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

function toAsciiDigit(digit: string): string {
  const code = digit.charCodeAt(0);
  return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
}

/**
 * Lower case, accents dropped, letters and digits only.
 *
 * @example
 * foldDesignation('Bü-181 Bestmann'); // 'bu181bestmann'
 * foldDesignation('BM-21 Grad'); // 'bm21grad'
 */
export function foldDesignation(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(EASTERN_DIGITS, toAsciiDigit)
    .replace(/[^\p{L}\p{N}]/gu, '');
}

// A calibre alone ("122mm") says nothing about which weapon it is.
const CALIBRE = /^\d+(?:[.,]\d+)?mm$/i;
const MIN_KEY_LENGTH = 2;

/**
 * SIPRI writes a designation it could not identify in lower case words
 * ("aircraft engine", "ship engine"): such a row matches nothing specific.
 */
export function isGenericDesignation(designation: string): boolean {
  return !/[\p{Lu}\p{N}]/u.test(designation);
}

/**
 * The keys a reference designation is found by: the whole designation, each
 * of its '/'-separated alternatives, each without its calibre, and a leading
 * model code such as "BM-21" or "9M14" (letters and digits together).
 *
 * @example
 * designationKeys('BM-21 Grad 122mm'); // ['bm21grad122mm', 'bm21grad', 'bm21']
 * designationKeys('Bell-47/OH-13'); // ['bell47oh13', 'bell47', 'oh13']
 * designationKeys('ship engine'); // []
 */
export function designationKeys(designation: string): string[] {
  if (isGenericDesignation(designation)) return [];
  const keys = new Set<string>([foldDesignation(designation)]);
  for (const part of designation.split('/')) {
    const words = part
      .trim()
      .split(/\s+/)
      .filter((word) => word !== '');
    keys.add(foldDesignation(words.join(' ')));
    keys.add(foldDesignation(words.filter((word) => !CALIBRE.test(word)).join(' ')));
    const first = words[0];
    if (first !== undefined && /\p{L}/u.test(first) && /\p{N}/u.test(first)) keys.add(foldDesignation(first));
  }
  return [...keys].filter((key) => key.length >= MIN_KEY_LENGTH);
}

/**
 * The keys an item is looked up by: each of its texts (model, model
 * markings) whole, and every run of one to four consecutive words of it, so
 * "Type 56 assault rifle" finds "Type-56" and "9M14 Malyutka" finds "Malyutka".
 *
 * @example
 * candidateKeys(['BM 21 launcher']); // ['bm21launcher', 'bm', '21', 'launcher', 'bm21', ...]
 */
export function candidateKeys(texts: readonly string[]): Map<string, string> {
  const keys = new Map<string, string>();
  const add = (words: string[]) => {
    const key = foldDesignation(words.join(' '));
    if (key.length >= MIN_KEY_LENGTH && !keys.has(key)) keys.set(key, words.join(' '));
  };
  for (const text of texts) {
    const words = text.split(/[\s,;:()[\]]+/).filter((word) => word !== '');
    add(words);
    for (let size = 1; size <= Math.min(4, words.length); size += 1) {
      for (let start = 0; start + size <= words.length; start += 1) add(words.slice(start, start + size));
    }
  }
  return keys;
}
