// Numbers as people type them: digits of any script (Arabic-Indic ٠-٩, Persian ۰-۹, Devanagari, full-width, …),
// a decimal comma or point, the Arabic decimal and thousands separators. Shared by the server and the web app; no
// dependencies. A number that cannot be read exactly as typed is refused, never guessed.

const DECIMAL_DIGIT = /\p{Nd}/u;
const ANY_DECIMAL_DIGIT = /\p{Nd}/gu;
/** Direction marks and other invisible format characters that pasted right-to-left text carries. */
const INVISIBLE = /[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu;
/** Every kind of space (no-break, thin, narrow no-break, ideographic…) becomes a plain space. */
const SPACES = /[\s\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+/gu;
const ARABIC_DECIMAL_SEPARATOR = '\u066b';
export const ARABIC_THOUSANDS_SEPARATOR = '\u066c';

/** The most significant digits a float64 always keeps exactly (a 15-digit decimal survives the round trip). */
export const MAX_SIGNIFICANT_DIGITS = 15;

/**
 * The ASCII digit of one decimal digit of any script, or undefined when the character is not a decimal digit.
 * Unicode lays out every script's decimal digits as runs of 10 consecutive code points starting at its zero, so the
 * value is the distance from the start of the run, modulo 10 (runs such as the mathematical digits hold several
 * sets of ten back to back).
 *
 * @example digitValue('٧') // 7
 */
export function digitValue(character: string): number | undefined {
  const codePoint = character.codePointAt(0);
  if (codePoint === undefined || !DECIMAL_DIGIT.test(character)) return undefined;
  let start = codePoint;
  while (start > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
  return (codePoint - start) % 10;
}

/**
 * Replaces every decimal digit of any script with its ASCII digit, and the Arabic decimal separator (٫) with `.`.
 * Nothing else changes, so the Arabic thousands separator (٬) is left for the reader to judge.
 *
 * @example normalizeDigits('٤٠') // '40'
 * @example normalizeDigits('٣٦٫٣٤١٢') // '36.3412'
 */
export function normalizeDigits(text: string): string {
  return text
    .replace(ANY_DECIMAL_DIGIT, (digit) => String(digitValue(digit) ?? digit))
    .replaceAll(ARABIC_DECIMAL_SEPARATOR, '.');
}

/**
 * The text as the readers see it: digits in ASCII, invisible direction marks removed, every kind of space one plain
 * space, every minus sign (U+2212, full-width, small) `-`, a full-width plus `+`, full-width `．` and `，` their ASCII
 * forms, trimmed.
 *
 * @example normalizeNumberText('\u200f−٣٦ ') // '-36'
 */
export function normalizeNumberText(text: string): string {
  return normalizeDigits(text)
    .replace(INVISIBLE, '')
    .replace(SPACES, ' ')
    .replace(/[\u2212\u2012\u2013\ufe63\uff0d]/gu, '-')
    .replace(/[\uff0b\ufe62]/gu, '+')
    .replaceAll('\uff0e', '.')
    .replaceAll('\uff0c', ',')
    .trim();
}

/**
 * How many significant digits a plain decimal (ASCII digits, one optional `.`) carries; leading and trailing zeros
 * do not count, since they change nothing in the stored value.
 *
 * @example significantDigits('036.34100') // 5
 */
export function significantDigits(decimal: string): number {
  return decimal
    .replace(/[^0-9]/g, '')
    .replace(/^0+/, '')
    .replace(/0+$/, '').length;
}

/** Why a number could not be read; each code has a message in en/ar/fr. */
export type NumberProblemCode =
  'required' | 'not_a_number' | 'not_whole' | 'number_ambiguous' | 'number_too_precise' | 'too_small' | 'too_big';

/** English text of each number problem, for the CLI and the API's `message`; the web app translates the code. */
export const numberProblemMessages: Record<NumberProblemCode, string> = {
  required: 'is empty',
  not_a_number: 'is not a number',
  not_whole: 'is not a whole number',
  number_ambiguous: 'could be thousands or decimals; write it without a thousands separator',
  number_too_precise: 'has more digits than can be stored exactly',
  too_small: 'is too small',
  too_big: 'is too large',
};

export type NumberResult =
  { ok: true; value: number } | { ok: false; code: NumberProblemCode; params?: Record<string, string | number> };

export interface NumberRules {
  /** Only whole numbers. */
  whole?: boolean;
  minimum?: number;
  maximum?: number;
}

const WHOLE = /^[+-]?\d+$/;
const GROUPED_WHOLE = /^[+-]?\d{1,3}(\u066c\d{3})+$/u;
const DECIMAL = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/;
/** `1,500` or `12.000`: an English thousands group or a decimal with three places; nobody can tell which. */
const THOUSANDS_LOOKALIKE = /^[+-]?[1-9]\d{0,2}[.,]\d{3}$/;

/**
 * Reads a number as typed, with the rules of the field: digits of any script, a decimal `.`, `,` or `٫`, the Arabic
 * thousands separator `٬` in whole numbers, a leading sign (also U+2212). `1,500` and `1.500` are refused as
 * ambiguous (thousands or decimals), and a number with more than 15 significant digits as too precise to store.
 *
 * @example readNumber('٤٠', { whole: true, minimum: 1 }) // { ok: true, value: 40 }
 * @example readNumber('2,5', { whole: true }) // { ok: false, code: 'not_whole' }
 */
export function readNumber(text: string, rules: NumberRules = {}): NumberResult {
  const normalized = normalizeNumberText(text);
  if (normalized === '') return { ok: false, code: 'required' };
  let plain: string;
  if (WHOLE.test(normalized)) plain = normalized;
  else if (GROUPED_WHOLE.test(normalized)) plain = normalized.replaceAll(ARABIC_THOUSANDS_SEPARATOR, '');
  else if (DECIMAL.test(normalized)) {
    if (THOUSANDS_LOOKALIKE.test(normalized)) return { ok: false, code: 'number_ambiguous', params: { text } };
    plain = normalized.replace(',', '.');
  } else return { ok: false, code: 'not_a_number' };
  if (significantDigits(plain) > MAX_SIGNIFICANT_DIGITS) {
    return { ok: false, code: 'number_too_precise', params: { digits: MAX_SIGNIFICANT_DIGITS } };
  }
  const value = Number(plain.endsWith('.') ? plain.slice(0, -1) : plain);
  if (!Number.isFinite(value)) return { ok: false, code: 'not_a_number' };
  if (rules.whole === true && !Number.isInteger(value)) return { ok: false, code: 'not_whole' };
  if (rules.minimum !== undefined && value < rules.minimum) {
    return { ok: false, code: 'too_small', params: { minimum: rules.minimum } };
  }
  if (rules.maximum !== undefined && value > rules.maximum) {
    return { ok: false, code: 'too_big', params: { maximum: rules.maximum } };
  }
  return { ok: true, value: value === 0 ? 0 : value };
}

/**
 * A whole number as typed (digits of any script, an optional sign, `٬` thousands groups), or undefined when the
 * text is not one.
 *
 * @example parseWholeNumber('٦') // 6
 * @example parseWholeNumber('१२') // 12
 */
export function parseWholeNumber(text: string): number | undefined {
  const result = readNumber(text, { whole: true });
  return result.ok ? result.value : undefined;
}

/**
 * A decimal number as typed (`.`, `,` or `٫` as the decimal separator, digits of any script), or undefined when the
 * text is not one or is ambiguous (`1,500`).
 *
 * @example parseDecimalNumber('٢٫٥') // 2.5
 * @example parseDecimalNumber('12,75') // 12.75
 */
export function parseDecimalNumber(text: string): number | undefined {
  const result = readNumber(text);
  return result.ok ? result.value : undefined;
}
