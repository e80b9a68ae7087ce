/**
 * Pure functions over a transcribed marking. The transcription itself is kept
 * exactly as written; these derive the forms used to compare and search.
 */

// Arabic-Indic (U+0660–0669) and Persian / Extended Arabic-Indic (U+06F0–06F9) digits.
const EASTERN_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;
// Characters transcribers use inconsistently between the parts of one code.
const SEPARATORS = /[\s\-/._]/gu;

function toAsciiDigit(digit: string): string {
  const code = digit.charCodeAt(0);
  return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
}

/**
 * The comparable form of a marking: NFKC, lower case, Eastern Arabic digits
 * as ASCII, separators removed. Two transcriptions of the same marking made
 * by different people should normalise to the same string.
 *
 * @example
 * normalizeMarking('AK-47 / ٢٠١٥'); // 'ak472015'
 * normalizeMarking('ＬＯＴ 12'); // 'lot12'
 */
export function normalizeMarking(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(EASTERN_DIGITS, toAsciiDigit).replace(SEPARATORS, '');
}

/** ISO 15924 codes of the writing systems markings are commonly found in. */
const SCRIPTS: readonly (readonly [code: string, pattern: RegExp])[] = [
  ['Latn', /\p{Script=Latin}/u],
  ['Cyrl', /\p{Script=Cyrillic}/u],
  ['Arab', /\p{Script=Arabic}/u],
  ['Grek', /\p{Script=Greek}/u],
  ['Hebr', /\p{Script=Hebrew}/u],
  ['Armn', /\p{Script=Armenian}/u],
  ['Geor', /\p{Script=Georgian}/u],
  ['Ethi', /\p{Script=Ethiopic}/u],
  ['Deva', /\p{Script=Devanagari}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Hani', /\p{Script=Han}/u],
  ['Hira', /\p{Script=Hiragana}/u],
  ['Kana', /\p{Script=Katakana}/u],
  ['Hang', /\p{Script=Hangul}/u],
];
// Digits, punctuation and marks shared by all scripts say nothing about the writing system.
const SHARED = /[\p{Script=Common}\p{Script=Inherited}]/u;

/**
 * The script of a transcription: an ISO 15924 code when all its letters (and
 * script-specific digits) belong to one script, 'mixed' when they belong to
 * several, null when nothing tells (digits only, or a script not listed).
 *
 * @example
 * detectScript('МОЛОТ 1985'); // 'Cyrl'
 * detectScript('٢٠١٥'); // 'Arab'
 * detectScript('ZU-23 Завод'); // 'mixed'
 */
export function detectScript(text: string): string | null {
  const found = new Set<string>();
  for (const character of text) {
    if (SHARED.test(character)) continue;
    const script = SCRIPTS.find(([, pattern]) => pattern.test(character));
    if (script !== undefined) found.add(script[0]);
    else if (/\p{L}/u.test(character)) found.add('other');
  }
  if (found.size > 1) return 'mixed';
  const [only] = found;
  return only === undefined || only === 'other' ? null : only;
}

export type Legibility = 'legible' | 'partial' | 'illegible';

/**
 * Transcribers write '?' for each character they cannot read: none is
 * legible, some is partial, nothing but '?' (separators aside) is illegible.
 *
 * @example
 * deriveLegibility('12?45'); // 'partial'
 */
export function deriveLegibility(text: string): Legibility {
  const characters = Array.from(text.replace(SEPARATORS, ''));
  const unread = characters.filter((character) => character === '?').length;
  if (unread === 0) return 'legible';
  return unread === characters.length ? 'illegible' : 'partial';
}
