/**
 * The weighted edit distance between a marking query and a transcription.
 * Differences that field transcription produces all the time cost little;
 * an arbitrary different character costs a full edit. The alignment is kept,
 * so a result can say which characters differed and why.
 */
import { areConfusable, type FoldedCharacter } from './marking-text.js';
import type { ParsedQuery, QueryToken } from './marking-query.js';

/** The cost of each kind of difference (an arbitrary edit costs 1). */
export const COSTS = {
  /** Characters easily misread for one another (0/O, 1/I, 5/S, 8/B, 2/Z, 6/G). */
  confusion: 0.3,
  /** A `?` in the query, or an unread `?` in the transcription, against any character. */
  unreadable: 0.2,
  /** A separator present on one side only. */
  separator: 0.05,
  /** Any other substituted, missing or extra character. */
  edit: 1,
  /** Two neighbouring characters swapped. */
  transposition: 0.9,
  /**
   * The first character of the transcription beyond either end of the query
   * (a query may be part of a longer marking)…
   */
  flankFirst: 0.5,
  /** …or, for a query shorter than {@link SHORT_QUERY}, as much as a missing character… */
  flankFirstShort: 1,
  /**
   * …and each further one: the more a marking extends past the query, the
   * less it is the marking read. A whole extra segment of three characters
   * costs more than one character missing inside the query (`27 73` is
   * `270 73` before `27-73-442`).
   */
  flankNext: 0.3,
  /** The most a flank costs: a query that is exactly part of a marking ranks above two real errors. */
  flankMax: 1.5,
} as const;

/**
 * Queries with fewer letters and digits than this are short: the search
 * promises one arbitrary edit for them (candidates.ts), and so few characters
 * say little about which longer marking they would be part of. A character
 * beyond such a query costs as much as one missing inside it, and at equal
 * cost the marking the query covers whole ranks first (search.ts): `В 2 013`
 * is `ВР 2013` before `ЗВ 2013`.
 */
export const SHORT_QUERY = 6;

export type DifferenceKind =
  | 'look_alike'
  | 'digit_form'
  | 'confusion'
  | 'unreadable'
  | 'separator'
  | 'substituted'
  | 'missing'
  | 'extra'
  | 'transposed'
  | 'beyond_query';

/** One place where the query and the transcription differ. */
export interface Difference {
  kind: DifferenceKind;
  /** The query's characters there (null when the query has none). */
  query: string | null;
  /** The transcription's characters there (null when it has none). */
  marking: string | null;
  /** Code point index in the transcription (null when the difference has no place in it). */
  marking_index: number | null;
  cost: number;
}

export interface MatchResult {
  /** Sum of the difference costs; 0 is identical up to folding. */
  cost: number;
  /** 1 for identical up to folding and separators, falling towards 0 as the cost grows relative to the length. */
  score: number;
  differences: Difference[];
}

const INFINITY = Number.POSITIVE_INFINITY;

// Back-pointers of the alignment.
const FROM_DIAGONAL = 1;
const FROM_QUERY = 2; // query token left unmatched
const FROM_MARKING = 3; // transcription character left unmatched
const FROM_TRANSPOSITION = 4;
const FROM_START = 5; // flank before the query

/** The cost of `characters` characters of the transcription beyond one end of a query of `queryLength`. */
export function flankCost(characters: number, queryLength: number): number {
  if (characters === 0) return 0;
  const first = queryLength < SHORT_QUERY ? COSTS.flankFirstShort : COSTS.flankFirst;
  return Math.min(COSTS.flankMax, first + COSTS.flankNext * (characters - 1));
}

/** The cost of aligning one query token with one transcription character. */
function substitutionCost(token: QueryToken, character: FoldedCharacter): number {
  if (token.kind === 'separator') return character.separator ? 0 : INFINITY;
  if (character.separator || token.kind === 'any_run') return INFINITY;
  if (token.kind === 'unreadable' || character.char === '?') return COSTS.unreadable;
  if (token.kind === 'char') {
    if (token.char === character.char) return 0;
    return areConfusable(token.char, character.char) ? COSTS.confusion : COSTS.edit;
  }
  if (token.chars.includes(character.char)) return 0;
  return token.chars.some((option) => areConfusable(option, character.char)) ? COSTS.confusion : COSTS.edit;
}

function unmatchedQueryCost(token: QueryToken): number {
  if (token.kind === 'any_run') return 0;
  return token.kind === 'separator' ? COSTS.separator : COSTS.edit;
}

function unmatchedMarkingCost(character: FoldedCharacter): number {
  return character.separator ? COSTS.separator : COSTS.edit;
}

function isPlainPair(token: QueryToken | undefined, character: FoldedCharacter | undefined): boolean {
  return token?.kind === 'char' && character !== undefined && !character.separator && token.char === character.char;
}

function tokenSource(token: QueryToken): string {
  switch (token.kind) {
    case 'unreadable':
      return '?';
    case 'any_run':
      return '*';
    default:
      return token.source;
  }
}

function isOtherDigit(text: string): boolean {
  return /^\p{Nd}$/u.test(text) && !/^[0-9]$/.test(text);
}

function describeSubstitution(token: QueryToken, character: FoldedCharacter, cost: number): Difference | undefined {
  const query = tokenSource(token);
  const base = { query, marking: character.source, marking_index: character.index, cost };
  if (token.kind === 'separator') return undefined;
  if (token.kind === 'unreadable' || character.char === '?') return { kind: 'unreadable', ...base };
  if (cost === 0) {
    if (token.kind === 'alternatives' || query.toLowerCase() === character.source.toLowerCase()) return undefined;
    return { kind: isOtherDigit(character.source) || isOtherDigit(query) ? 'digit_form' : 'look_alike', ...base };
  }
  return { kind: cost === COSTS.confusion ? 'confusion' : 'substituted', ...base };
}

/**
 * Aligns a parsed query with a folded transcription at the lowest total cost.
 *
 * @example
 * matchMarking(parseMarkingQuery('3B-1985'), foldMarking('ЗВ 1985')).cost; // 0 (two look-alikes)
 * matchMarking(parseMarkingQuery('LOT 1O4'), foldMarking('LOT 104')).cost; // 0.3 (O read for 0)
 */
export function matchMarking(query: ParsedQuery, marking: readonly FoldedCharacter[]): MatchResult {
  const tokens = query.tokens;
  const rows = tokens.length + 1;
  const columns = marking.length + 1;
  const cost = new Float64Array(rows * columns);
  const from = new Uint8Array(rows * columns);
  // Where a transposition starts (the swapped query token and marking character), separators skipped.
  const swapStart = new Int32Array(rows * columns);
  const swapMarkingStart = new Int32Array(rows * columns);
  const at = (i: number, j: number) => i * columns + j;

  // Transcription characters before the query's first character.
  let leading = 0;
  for (let j = 0; j < columns; j += 1) {
    if (j > 0 && !marking[j - 1]!.separator) leading += 1;
    cost[at(0, j)] = flankCost(leading, query.length);
    from[at(0, j)] = FROM_START;
  }
  for (let i = 1; i < rows; i += 1) {
    const token = tokens[i - 1]!;
    for (let j = 0; j < columns; j += 1) {
      let best = cost[at(i - 1, j)]! + unmatchedQueryCost(token);
      let choice = FROM_QUERY;
      if (j > 0) {
        const character = marking[j - 1]!;
        const diagonal = cost[at(i - 1, j - 1)]! + substitutionCost(token, character);
        if (diagonal < best) {
          best = diagonal;
          choice = FROM_DIAGONAL;
        }
        // `*` absorbs any run of the transcription for free.
        const skip = cost[at(i, j - 1)]! + (token.kind === 'any_run' ? 0 : unmatchedMarkingCost(character));
        if (skip < best) {
          best = skip;
          choice = FROM_MARKING;
        }
        // Two neighbours swapped, also across separators (`30 81` for `38 01`):
        // the separators between them are matched with each other.
        if (token.kind === 'char' && !character.separator) {
          let queryAt = i - 2;
          while (queryAt >= 0 && tokens[queryAt]!.kind === 'separator') queryAt -= 1;
          let markingAt = j - 2;
          while (markingAt >= 0 && marking[markingAt]!.separator) markingAt -= 1;
          if (
            queryAt >= 0 &&
            markingAt >= 0 &&
            isPlainPair(token, marking[markingAt]) &&
            isPlainPair(tokens[queryAt], character) &&
            marking[markingAt]!.char !== character.char
          ) {
            const unmatchedSeparators = Math.abs(i - 2 - queryAt - (j - 2 - markingAt));
            const swapped = cost[at(queryAt, markingAt)]! + COSTS.transposition + COSTS.separator * unmatchedSeparators;
            if (swapped < best) {
              best = swapped;
              choice = FROM_TRANSPOSITION;
              swapStart[at(i, j)] = queryAt;
              swapMarkingStart[at(i, j)] = markingAt;
            }
          }
        }
      }
      cost[at(i, j)] = best;
      from[at(i, j)] = choice;
    }
  }

  // Transcription characters after the query's last character.
  let bestEnd = marking.length;
  let bestCost = cost[at(rows - 1, marking.length)]!;
  let trailing = 0;
  for (let j = marking.length - 1; j >= 0; j -= 1) {
    if (!marking[j]!.separator) trailing += 1;
    const total = cost[at(rows - 1, j)]! + flankCost(trailing, query.length);
    if (total < bestCost) {
      bestCost = total;
      bestEnd = j;
    }
  }

  const differences: Difference[] = [];
  const beyond = (start: number, end: number, flank: number) => {
    const characters = marking.slice(start, end).filter((character) => !character.separator);
    if (characters.length === 0) return;
    differences.push({
      kind: 'beyond_query',
      query: null,
      marking: characters.map((character) => character.source).join(''),
      marking_index: characters[0]!.index,
      cost: flank,
    });
  };
  const tail: Difference[] = [];
  if (bestEnd < marking.length) {
    const trailingCount = marking.slice(bestEnd).filter((character) => !character.separator).length;
    beyond(bestEnd, marking.length, flankCost(trailingCount, query.length));
    tail.push(...differences.splice(0));
  }
  let i = rows - 1;
  let j = bestEnd;
  while (i > 0 || j > 0) {
    const choice = i === 0 ? FROM_START : from[at(i, j)]!;
    if (choice === FROM_START) {
      beyond(0, j, cost[at(0, j)]!);
      break;
    }
    const token = tokens[i - 1]!;
    if (choice === FROM_DIAGONAL) {
      const character = marking[j - 1]!;
      const difference = describeSubstitution(token, character, substitutionCost(token, character));
      if (difference !== undefined) differences.push(difference);
      i -= 1;
      j -= 1;
    } else if (choice === FROM_QUERY) {
      if (token.kind !== 'any_run') {
        differences.push({
          kind: token.kind === 'separator' ? 'separator' : 'missing',
          query: tokenSource(token),
          marking: null,
          marking_index: j < marking.length ? marking[j]!.index : null,
          cost: unmatchedQueryCost(token),
        });
      }
      i -= 1;
    } else if (choice === FROM_MARKING) {
      const character = marking[j - 1]!;
      if (token.kind !== 'any_run') {
        differences.push({
          kind: character.separator ? 'separator' : 'extra',
          query: null,
          marking: character.source,
          marking_index: character.index,
          cost: unmatchedMarkingCost(character),
        });
      }
      j -= 1;
    } else {
      const queryAt = swapStart[at(i, j)]!;
      const markingAt = swapMarkingStart[at(i, j)]!;
      const querySeparators = tokens.slice(queryAt + 1, i - 1);
      const markingSeparators = marking.slice(markingAt + 1, j - 1);
      // Separators between the swapped characters on one side only (matched in order, the rest unmatched).
      for (const separator of querySeparators.slice(markingSeparators.length)) {
        differences.push({
          kind: 'separator',
          query: tokenSource(separator),
          marking: null,
          marking_index: marking[j - 1]!.index,
          cost: COSTS.separator,
        });
      }
      for (const separator of markingSeparators.slice(querySeparators.length)) {
        differences.push({
          kind: 'separator',
          query: null,
          marking: separator.source,
          marking_index: separator.index,
          cost: COSTS.separator,
        });
      }
      differences.push({
        kind: 'transposed',
        query: `${tokenSource(tokens[queryAt]!)}${tokenSource(token)}`,
        marking: `${marking[markingAt]!.source}${marking[j - 1]!.source}`,
        marking_index: marking[markingAt]!.index,
        cost: COSTS.transposition,
      });
      i = queryAt;
      j = markingAt;
    }
  }
  differences.reverse();
  differences.push(...tail);

  const markingLength = marking.filter((character) => !character.separator).length;
  const hasRun = tokens.some((token) => token.kind === 'any_run');
  const length = Math.max(1, hasRun ? query.length : Math.max(query.length, markingLength));
  // Separators only break ties: a marking identical up to separators scores 1.
  const separatorCost = differences
    .filter((difference) => difference.kind === 'separator')
    .reduce((sum, difference) => sum + difference.cost, 0);
  return {
    cost: Math.round(bestCost * 1000) / 1000,
    score: Math.max(0, Math.round((1 - (bestCost - separatorCost) / length) * 1000) / 1000),
    differences,
  };
}

/** A short human-readable account of the differences, for tables and tooltips. */
export function describeDifferences(differences: readonly Difference[]): string {
  const parts = differences.map((difference) => {
    const query = difference.query ?? '';
    const marking = difference.marking ?? '';
    switch (difference.kind) {
      case 'look_alike':
        return `${query}≈${marking}`;
      case 'digit_form':
        return `${query}=${marking}`;
      case 'confusion':
        return `${query}→${marking}?`;
      case 'unreadable':
        return `?=${difference.query === '?' ? marking : query}`;
      case 'separator':
        return `sep ${JSON.stringify(query || marking)}`;
      case 'substituted':
        return `${query}≠${marking}`;
      case 'missing':
        return `-${query}`;
      case 'extra':
        return `+${marking}`;
      case 'transposed':
        return `${query}⇄${marking}`;
      case 'beyond_query':
        return `+${marking} beyond query`;
    }
  });
  return parts.length === 0 ? 'exact' : parts.join(', ');
}
