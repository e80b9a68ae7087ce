// The one coordinate parser of armtrace: the API, the CLI, the importers and the web app all read what people
// type through it, so a spelling accepted (or refused) in one place is accepted (or refused) everywhere.
// It has no dependencies, so the web app bundles the same file.
//
// What it reads: decimal degrees with `.`, `,` or `٫`; degrees-minutes-seconds and degrees-decimal-minutes with or
// without symbols (° º ˚, ' ′ ’, " ″ ”, `d m s`, `deg min sec`, `:`) or with spaces only; hemisphere letters before
// or after (N S E W, French Nord/Sud/Est/Ouest, Arabic ش ج ق غ and شمال جنوب شرق غرب); a sign (also U+2212); digits of
// any script. What it refuses rather than guesses: minutes or seconds of 60 or more, values out of range, a
// hemisphere of the other axis, a sign together with a hemisphere it contradicts, commas that could be decimals or
// separators, more digits than a stored value can keep.

import { MAX_SIGNIFICANT_DIGITS, normalizeNumberText, significantDigits } from './numbers.js';

/** Why a coordinate could not be read; each code has a message in en/ar/fr. */
export type CoordinateProblemCode =
  | 'coordinate_empty'
  | 'coordinate_unreadable'
  | 'coordinate_out_of_range'
  | 'coordinate_hemisphere_mismatch'
  | 'coordinate_pair_incomplete'
  | 'coordinate_minutes_too_large'
  | 'coordinate_seconds_too_large'
  | 'coordinate_sign_and_hemisphere'
  | 'coordinate_ambiguous'
  | 'coordinate_too_precise';

/** Every code {@link parseCoordinate} and {@link parseCoordinatePair} can return, for message catalogues and tests. */
export const coordinateProblemCodes: readonly CoordinateProblemCode[] = [
  'coordinate_empty',
  'coordinate_unreadable',
  'coordinate_out_of_range',
  'coordinate_hemisphere_mismatch',
  'coordinate_pair_incomplete',
  'coordinate_minutes_too_large',
  'coordinate_seconds_too_large',
  'coordinate_sign_and_hemisphere',
  'coordinate_ambiguous',
  'coordinate_too_precise',
];

export type CoordinateAxis = 'latitude' | 'longitude';

export type CoordinateResult =
  { ok: true; value: number } | { ok: false; code: CoordinateProblemCode; params?: Record<string, string | number> };

export type CoordinatePairResult =
  | { ok: true; latitude: number; longitude: number }
  | { ok: false; code: CoordinateProblemCode; params?: Record<string, string | number> };

type Failure = Extract<CoordinateResult, { ok: false }>;
type Hemisphere = 'N' | 'S' | 'E' | 'W';
type Unit = 0 | 1 | 2; // degrees, minutes, seconds

type Token =
  | { kind: 'number'; text: string }
  | { kind: 'unit'; unit: Unit }
  | { kind: 'hemisphere'; hemisphere: Hemisphere; text: string }
  | { kind: 'sign'; negative: boolean };

interface Reading {
  value: number;
  hemisphere: Hemisphere | undefined;
}

const LIMITS: Record<CoordinateAxis, number> = { latitude: 90, longitude: 180 };
const AXIS_OF: Record<Hemisphere, CoordinateAxis> = { N: 'latitude', S: 'latitude', E: 'longitude', W: 'longitude' };

// Longest spellings first, so that `شرق` is not read as `ش` followed by something, nor `sec` as `s`.
const HEMISPHERE_WORDS: readonly (readonly [string, Hemisphere])[] = [
  ['شمالاً', 'N'],
  ['شمالا', 'N'],
  ['شمال', 'N'],
  ['جنوباً', 'S'],
  ['جنوبا', 'S'],
  ['جنوب', 'S'],
  ['شرقاً', 'E'],
  ['شرقا', 'E'],
  ['شرق', 'E'],
  ['غرباً', 'W'],
  ['غربا', 'W'],
  ['غرب', 'W'],
  ['ش', 'N'],
  ['ج', 'S'],
  ['ق', 'E'],
  ['غ', 'W'],
  ['north', 'N'],
  ['south', 'S'],
  ['east', 'E'],
  ['west', 'W'],
  ['nord', 'N'],
  ['ouest', 'W'],
  ['sud', 'S'],
  ['est', 'E'],
  ['n', 'N'],
  ['s', 'S'],
  ['e', 'E'],
  ['w', 'W'],
];
const UNIT_SYMBOLS: readonly (readonly [string, Unit])[] = [
  ["''", 2],
  ['’’', 2],
  ['′′', 2],
  ['"', 2],
  ['″', 2],
  ['”', 2],
  ['“', 2],
  ['ʺ', 2],
  ['°', 0],
  ['º', 0],
  ['˚', 0],
  ["'", 1],
  ['′', 1],
  ['’', 1],
  ['‘', 1],
  ['´', 1],
  ['ʹ', 1],
  ['ʼ', 1],
  ['`', 1],
];
const UNIT_WORDS: readonly (readonly [string, Unit])[] = [
  ['degrees', 0],
  ['degree', 0],
  ['deg', 0],
  ['d', 0],
  ['minutes', 1],
  ['minute', 1],
  ['min', 1],
  ['m', 1],
  ['seconds', 2],
  ['second', 2],
  ['sec', 2],
  ['s', 2],
];
const LATIN_LETTER = /[a-z]/;
const ARABIC_LETTER = /[\u0621-\u064a]/u;

function fail(code: CoordinateProblemCode, params?: Record<string, string | number>): Failure {
  return params === undefined ? { ok: false, code } : { ok: false, code, params };
}

function wordAt(text: string, index: number, word: string): boolean {
  if (!text.startsWith(word, index)) return false;
  const next = text[index + word.length];
  if (next === undefined) return true;
  return ARABIC_LETTER.test(word) ? !ARABIC_LETTER.test(next) : !LATIN_LETTER.test(next);
}

/**
 * Splits one coordinate into tokens; undefined when something in it is not part of any coordinate spelling,
 * `ambiguous` when a letter could be read two ways.
 */
function tokenize(text: string): Token[] | 'ambiguous' | undefined {
  const lower = text.toLowerCase();
  const tokens: Token[] = [];
  let index = 0;
  let gap = true;
  // In `36d 21m 04s` the letters are units; `s` is seconds there, and South anywhere else.
  const letterUnits = /\d\s*(d|deg|degrees?)(?![a-z])/.test(lower);
  while (index < lower.length) {
    const character = lower[index]!;
    if (character === ' ' || character === ':') {
      gap = true;
      index += 1;
      continue;
    }
    const number = /^\d+(?:[.,]\d+)?/.exec(lower.slice(index));
    if (number !== null) {
      tokens.push({ kind: 'number', text: number[0].replace(',', '.') });
      index += number[0].length;
      gap = false;
      continue;
    }
    if (character === '+' || character === '-') {
      // `36.34 - 43.17`: a dash between spaces is no sign.
      if (lower[index + 1] === ' ') return undefined;
      tokens.push({ kind: 'sign', negative: character === '-' });
      index += 1;
      gap = true;
      continue;
    }
    const symbol = UNIT_SYMBOLS.find(([spelling]) => lower.startsWith(spelling, index));
    if (symbol !== undefined) {
      tokens.push({ kind: 'unit', unit: symbol[1] });
      index += symbol[0].length;
      gap = false;
      continue;
    }
    const previous = tokens[tokens.length - 1];
    const afterNumber = previous?.kind === 'number';
    if (letterUnits && afterNumber) {
      const unitWord = UNIT_WORDS.find(([spelling]) => wordAt(lower, index, spelling));
      // `04 s` after `36d 21m`: seconds, or South? Nobody can tell.
      if (unitWord?.[0] === 's' && gap) return 'ambiguous';
      if (unitWord !== undefined) {
        tokens.push({ kind: 'unit', unit: unitWord[1] });
        index += unitWord[0].length;
        gap = false;
        continue;
      }
    }
    const hemisphere = HEMISPHERE_WORDS.find(([spelling]) => wordAt(lower, index, spelling));
    if (hemisphere !== undefined) {
      tokens.push({
        kind: 'hemisphere',
        hemisphere: hemisphere[1],
        text: text.slice(index, index + hemisphere[0].length),
      });
      index += hemisphere[0].length;
      gap = true;
      continue;
    }
    return undefined;
  }
  return tokens;
}

/** Reads one coordinate without knowing its axis yet: its signed value and the hemisphere it named, if any. */
function read(text: string): { ok: true; reading: Reading } | Failure {
  const normalized = normalizeNumberText(text);
  if (normalized === '') return fail('coordinate_empty');
  const tokens = tokenize(normalized);
  if (tokens === undefined) return fail('coordinate_unreadable', { text });
  if (tokens === 'ambiguous') return fail('coordinate_ambiguous', { text });

  let hemisphere: Hemisphere | undefined;
  let hemisphereText = '';
  let negative: boolean | undefined;
  const first = tokens[0];
  if (first?.kind === 'hemisphere') {
    hemisphere = first.hemisphere;
    hemisphereText = first.text;
    tokens.shift();
  }
  const signToken = tokens[0];
  if (signToken?.kind === 'sign') {
    negative = signToken.negative;
    tokens.shift();
  }
  const last = tokens[tokens.length - 1];
  if (last?.kind === 'hemisphere') {
    if (hemisphere !== undefined) return fail('coordinate_unreadable', { text });
    hemisphere = last.hemisphere;
    hemisphereText = last.text;
    tokens.pop();
  }

  // What is left: numbers, each optionally followed by its unit, in the order degrees, minutes, seconds.
  const parts: { text: string; unit: Unit; named: boolean }[] = [];
  for (const token of tokens) {
    if (token.kind === 'number') {
      parts.push({ text: token.text, unit: parts.length as Unit, named: false });
      if (parts.length > 3) return fail('coordinate_unreadable', { text });
    } else if (token.kind === 'unit') {
      // A unit names the number just before it and must be the one its position says (no `36' 21°`, no `36° 04"`).
      const part = parts[parts.length - 1];
      if (part === undefined || part.named || part.unit !== token.unit) return fail('coordinate_unreadable', { text });
      part.named = true;
    } else {
      return fail('coordinate_unreadable', { text });
    }
  }
  if (parts.length === 0)
    return fail(hemisphere === undefined ? 'coordinate_empty' : 'coordinate_unreadable', { text });
  // `36.5 21'` is no spelling anybody uses: only the last part may have decimals.
  if (parts.slice(0, -1).some((part) => part.text.includes('.'))) return fail('coordinate_unreadable', { text });
  if (parts.some((part) => significantDigits(part.text) > MAX_SIGNIFICANT_DIGITS)) {
    return fail('coordinate_too_precise', { digits: MAX_SIGNIFICANT_DIGITS });
  }
  const [degrees, minutes, seconds] = parts.map((part) => Number(part.text));
  if (minutes !== undefined && minutes >= 60) return fail('coordinate_minutes_too_large', { value: parts[1]!.text });
  if (seconds !== undefined && seconds >= 60) return fail('coordinate_seconds_too_large', { value: parts[2]!.text });

  if (hemisphere !== undefined && negative !== undefined) {
    const southOrWest = hemisphere === 'S' || hemisphere === 'W';
    if (negative || southOrWest) return fail('coordinate_sign_and_hemisphere', { hemisphere: hemisphereText });
  }
  const magnitude = (degrees ?? 0) + (minutes ?? 0) / 60 + (seconds ?? 0) / 3600;
  const isNegative = negative === true || hemisphere === 'S' || hemisphere === 'W';
  const value = magnitude === 0 ? 0 : isNegative ? -magnitude : magnitude;
  return { ok: true, reading: { value, hemisphere } };
}

function checkAxis(reading: Reading, axis: CoordinateAxis, text: string): CoordinateResult {
  if (reading.hemisphere !== undefined && AXIS_OF[reading.hemisphere] !== axis) {
    return fail('coordinate_hemisphere_mismatch', { axis, hemisphere: reading.hemisphere, text });
  }
  const limit = LIMITS[axis];
  if (Math.abs(reading.value) > limit) return fail('coordinate_out_of_range', { axis, limit, text });
  return { ok: true, value: reading.value };
}

/**
 * Reads one latitude or longitude as typed: decimal degrees with `.`, `,` or `٫`, DMS or DDM with or without
 * symbols and hemisphere letters, digits of any script. Refusals carry a code (and the axis where it matters).
 *
 * @example parseCoordinate('36°21\'04"N', 'latitude') // { ok: true, value: 36.351111… }
 * @example parseCoordinate('36,3399', 'latitude') // { ok: true, value: 36.3399 }
 * @example parseCoordinate('٣٦٫٣٤١٢', 'latitude') // { ok: true, value: 36.3412 }
 * @example parseCoordinate('43°10\'44"E', 'latitude') // { ok: false, code: 'coordinate_hemisphere_mismatch', … }
 */
export function parseCoordinate(text: string, axis: CoordinateAxis): CoordinateResult {
  const result = read(text);
  if (!result.ok) return withAxis(result, axis);
  return checkAxis(result.reading, axis, text);
}

function withAxis(failure: Failure, axis: CoordinateAxis): Failure {
  return { ok: false, code: failure.code, params: { ...failure.params, axis } };
}

// Where a pasted pair may be cut in two: a run of spaces (tabs included), commas, semicolons or Arabic commas.
const SEPARATOR_RUN = /[ ,;،؛]+/gu;

interface Cut {
  left: string;
  right: string;
  /** A bare comma between two halves (`36.34,43.17`): the halves must then not use a decimal comma. */
  bareComma: boolean;
  /** Cut at a semicolon, a comma followed or preceded by a space, or the one run of spaces: what people type. */
  strong: boolean;
}

function cutsOf(text: string): Cut[] {
  const runs = [...text.matchAll(SEPARATOR_RUN)].filter(
    (run) => run.index > 0 && run.index + run[0].length < text.length,
  );
  const spaceRuns = runs.filter((run) => run[0].trim() === '').length;
  return runs.map((run) => ({
    left: text.slice(0, run.index),
    right: text.slice(run.index + run[0].length),
    bareComma: run[0] === ',',
    strong: /[;،؛]/u.test(run[0]) || (run[0].includes(',') && run[0] !== ',') || (run[0] === ' ' && spaceRuns === 1),
  }));
}

/**
 * Reads a pasted `lat, lon` pair in any of the spellings {@link parseCoordinate} reads: `36.3412, 43.1789`,
 * `36,3412 43,1789`, `36°21'04"N 43°10'44"E`, `N36 21.07 E43 10.73`. With hemisphere letters the order may also be
 * longitude first. A text that can be cut into a latitude and a longitude in more than one way is refused as
 * ambiguous (`36,34,43,17`, `36 21 43 10`).
 *
 * @example parseCoordinatePair('36.3412, 43.1789') // { ok: true, latitude: 36.3412, longitude: 43.1789 }
 * @example parseCoordinatePair('36,34,43,17') // { ok: false, code: 'coordinate_ambiguous' }
 */
export function parseCoordinatePair(text: string): CoordinatePairResult {
  const normalized = normalizeNumberText(text);
  if (normalized === '') return fail('coordinate_empty');
  const readings: { latitude: number; longitude: number }[] = [];
  const failures: Failure[] = [];
  for (const cut of cutsOf(normalized)) {
    if (cut.bareComma && (cut.left.includes(',') || cut.right.includes(','))) continue;
    const left = read(cut.left);
    const right = read(cut.right);
    if (!left.ok || !right.ok) {
      if (cut.strong) failures.push(!left.ok ? withAxis(left, 'latitude') : withAxis(right as Failure, 'longitude'));
      continue;
    }
    // With hemisphere letters on both halves they decide the order; otherwise latitude comes first.
    const swapped =
      left.reading.hemisphere !== undefined &&
      right.reading.hemisphere !== undefined &&
      AXIS_OF[left.reading.hemisphere] === 'longitude' &&
      AXIS_OF[right.reading.hemisphere] === 'latitude';
    const [latitudeReading, longitudeReading] = swapped ? [right.reading, left.reading] : [left.reading, right.reading];
    const latitude = checkAxis(latitudeReading, 'latitude', swapped ? cut.right : cut.left);
    const longitude = checkAxis(longitudeReading, 'longitude', swapped ? cut.left : cut.right);
    if (!latitude.ok || !longitude.ok) {
      if (cut.strong) failures.push((!latitude.ok ? latitude : longitude) as Failure);
      continue;
    }
    // A bare comma between two whole numbers (`36,43`) could as well be one decimal: refuse, do not guess.
    if (cut.bareComma && read(normalized).ok) return fail('coordinate_ambiguous', { text });
    if (!readings.some((found) => found.latitude === latitude.value && found.longitude === longitude.value)) {
      readings.push({ latitude: latitude.value, longitude: longitude.value });
    }
  }
  if (readings.length > 1) return fail('coordinate_ambiguous', { text });
  const only = readings[0];
  if (only !== undefined) return { ok: true, ...only };
  if (failures.length === 1) return failures[0]!;
  if (!/[ ;،؛]/u.test(normalized) && (normalized.match(/,/g) ?? []).length >= 2) {
    return fail('coordinate_ambiguous', { text });
  }
  if (read(normalized).ok) return fail('coordinate_pair_incomplete', { text });
  return fail('coordinate_unreadable', { text });
}
