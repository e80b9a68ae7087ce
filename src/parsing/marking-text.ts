/**
 * Pure functions over a transcribed marking. The transcription itself is kept
 * exactly as written; these derive the forms used to compare and search.
 *
 * Three derived forms, each coarser than the one before:
 * - `normalizeMarking` (the `normalized` column): NFKC, lower case, ASCII
 *   digits, no separators. Two careful transcriptions of one marking agree.
 * - `markingSkeleton` (the `skeleton` column): the same, with Cyrillic and
 *   Greek letters that look like Latin letters or digits folded onto them
 *   (`ЗВ` and `3B` both become `3b`). Equal skeletons are the same marking.
 * - `confusionKey` (the `confusion_key` column): the skeleton with characters
 *   that are easily misread for one another (0/O/D/Q, 1/I/l/|, 5/S, 8/B, 2/Z,
 *   6/G) collapsed. Only used to find candidates: whether `0` really was an
 *   `O` is decided by the matching cost, not folded away.
 */

// Characters transcribers use inconsistently between the parts of one code
// (the `normalized` column's historical set; kept so stored values stay comparable).
const SEPARATORS = /[\s\-/._]/gu;

/**
 * Separators for the skeleton: white space, every dash, and the punctuation
 * found between the parts of stamped codes. Removed for matching, kept for
 * display. `?` (an unread character), `*` and `|` are not separators.
 */
const SKELETON_SEPARATOR = /^[\s\p{Pd}/\\._,:;·'"`#()]$/u;
// The ASCII members of SKELETON_SEPARATOR, for the fast path of plain ASCII text.
const ASCII_SEPARATORS = /[\s\-/\\._,:;'"`#()]/g;
const DIGIT = /^\p{Nd}$/u;

function isAscii(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) if (text.charCodeAt(index) > 0x7f) return false;
  return true;
}
const MARK = /^\p{M}$/u;

/**
 * The value of any decimal digit (Unicode category Nd) of any script.
 * Unicode encodes every script's digits as one contiguous run from 0 to 9,
 * so the value is the distance to the start of the run, modulo 10 (some
 * blocks, such as the mathematical digits, place several runs end to end).
 */
function digitValue(character: string): number {
  const code = character.codePointAt(0)!;
  let start = code;
  while (start > 0 && DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
  return (code - start) % 10;
}

/**
 * Letters that look like a Latin letter or a digit in the capitals stamps and
 * stencils use, keyed by their lower-case form (the folding runs after the
 * case fold). `л` is the one transliteration: field teams typing on a Latin
 * keyboard write the stencilled `КЛ` as `KL`.
 */
export const LOOK_ALIKES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  з: '3',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ү: 'y',
  һ: 'h',
  ӏ: 'l',
  // Greek
  α: 'a',
  β: 'b',
  ε: 'e',
  ζ: 'z',
  η: 'h',
  ι: 'i',
  κ: 'k',
  μ: 'm',
  ν: 'n',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'y',
  χ: 'x',
  ϳ: 'j',
  // Latin
  ı: 'i',
};

/**
 * Classes of skeleton characters that are easily misread for one another;
 * every member of a class has the class's first character as confusion key.
 */
export const CONFUSION_CLASSES: readonly string[] = ['0odq', '1il|', '5s', '8b', '2z', '6g'];

const confusionRepresentative = new Map<string, string>();
for (const members of CONFUSION_CLASSES) {
  for (const member of members) confusionRepresentative.set(member, members[0]!);
}

/** The character a skeleton character stands for in the confusion key. */
export function confusionClassOf(character: string): string {
  return confusionRepresentative.get(character) ?? character;
}

/** Two different skeleton characters that are easily misread for one another. */
export function areConfusable(a: string, b: string): boolean {
  return a !== b && confusionClassOf(a) === confusionClassOf(b);
}

/** One character of a folded marking, with where it came from. */
export interface FoldedCharacter {
  /** The skeleton character, or ' ' for a separator. */
  char: string;
  separator: boolean;
  /** The transcribed character(s) it came from. */
  source: string;
  /** Index (in code points) of `source` in the transcription. */
  index: number;
}

function foldOne(character: string): string {
  if (DIGIT.test(character)) return String(digitValue(character));
  if (MARK.test(character)) return '';
  return LOOK_ALIKES[character] ?? character;
}

/**
 * Folds a transcription character by character: NFKC (applied to each base
 * character with its combining marks, so full-width and ligature forms
 * become plain letters), lower case, digits of every script to ASCII,
 * look-alikes to Latin, remaining combining marks dropped. Runs of
 * separators become one separator entry.
 *
 * @example
 * foldMarking('ЗВ-1').map((c) => c.char).join(''); // '3b 1'
 */
export function foldMarking(text: string): FoldedCharacter[] {
  const folded = foldCharacters(text, 0);
  // Separators at either end carry no information.
  while (folded.length > 0 && folded[0]!.separator) folded.shift();
  while (folded.length > 0 && folded[folded.length - 1]!.separator) folded.pop();
  return folded;
}

/**
 * {@link foldMarking} of a piece of a longer text starting at code point
 * `offset`, separators at the ends kept (the query parser folds the text
 * between its operators with this).
 */
export function foldCharacters(text: string, offset: number): FoldedCharacter[] {
  const codePoints = Array.from(text);
  const folded: FoldedCharacter[] = [];
  let index = 0;
  while (index < codePoints.length) {
    // A base character and the combining marks after it normalise together.
    let end = index + 1;
    while (end < codePoints.length && MARK.test(codePoints[end]!)) end += 1;
    const source = end === index + 1 ? codePoints[index]! : codePoints.slice(index, end).join('');
    for (const output of foldSegment(source)) {
      if (output === SEPARATOR_OUTPUT) {
        if (folded.length > 0 && folded[folded.length - 1]!.separator) continue;
        folded.push({ char: ' ', separator: true, source, index: offset + index });
      } else {
        folded.push({ char: output, separator: false, source, index: offset + index });
      }
    }
    index = end;
  }
  return folded;
}

const SEPARATOR_OUTPUT = '';
// Transcriptions draw on a small alphabet: each base character (with its
// marks) is folded once. Bounded, so unusual input cannot grow it without limit.
const segmentCache = new Map<string, readonly string[]>();
const SEGMENT_CACHE_LIMIT = 50_000;

/** The skeleton characters of one base character with its marks ('' for a separator). */
function foldSegment(source: string): readonly string[] {
  const cached = segmentCache.get(source);
  if (cached !== undefined) return cached;
  const outputs: string[] = [];
  for (const character of Array.from(source.normalize('NFKC').toLowerCase())) {
    if (SKELETON_SEPARATOR.test(character)) outputs.push(SEPARATOR_OUTPUT);
    else outputs.push(...Array.from(foldOne(character)));
  }
  if (segmentCache.size < SEGMENT_CACHE_LIMIT) segmentCache.set(source, outputs);
  return outputs;
}

/**
 * The comparable form of a marking: NFKC, lower case, digits of every script
 * as ASCII, separators removed. Two transcriptions of the same marking made
 * by different people should normalise to the same string.
 *
 * @example
 * normalizeMarking('AK-47 / ٢٠١٥'); // 'ak472015'
 * normalizeMarking('ＬＯＴ 12'); // 'lot12'
 */
export function normalizeMarking(text: string): string {
  if (isAscii(text)) return text.toLowerCase().replace(SEPARATORS, '');
  let out = '';
  for (const character of text.normalize('NFKC').toLowerCase().replace(SEPARATORS, '')) {
    out += DIGIT.test(character) ? String(digitValue(character)) : character;
  }
  return out;
}

/**
 * The skeleton of a marking: {@link normalizeMarking} plus look-alike letters
 * folded onto Latin ones, more separators ignored and combining marks dropped.
 *
 * @example
 * markingSkeleton('ЗВ 1985'); // '3b1985'
 * markingSkeleton('3B-1985'); // '3b1985'
 * markingSkeleton('КЛ ٠٤١٧'); // 'kl0417'
 */
export function markingSkeleton(text: string): string {
  // Plain ASCII (most transcriptions) has no compatibility forms, marks or look-alikes.
  if (isAscii(text)) return text.toLowerCase().replace(ASCII_SEPARATORS, '');
  let out = '';
  for (const character of foldMarking(text)) if (!character.separator) out += character.char;
  return out;
}

/**
 * The confusion key of a skeleton: each character replaced by its confusion
 * class (0/o/d/q → 0, 1/i/l/| → 1, 5/s → 5, 8/b → 8, 2/z → 2, 6/g → 6).
 *
 * @example
 * confusionKey('lot80s'); // '10t805'
 */
export function confusionKey(skeleton: string): string {
  let out = '';
  for (const character of skeleton) out += confusionClassOf(character);
  return out;
}

/** The derived search columns of a marking, computed from its text. */
export function searchKeys(text: string): { skeleton: string; confusion_key: string } {
  const skeleton = markingSkeleton(text);
  return { skeleton, confusion_key: confusionKey(skeleton) };
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
