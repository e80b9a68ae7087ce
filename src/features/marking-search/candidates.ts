/**
 * Which stored confusion keys can be close to a query, as patterns the
 * database answers from its indexes. The candidates are then ranked by the
 * weighted distance (distance.ts); these patterns only have to make sure the
 * right marking is among them, cheaply.
 */
import { confusionClassOf } from '../../parsing/marking-text.js';
import type { ParsedQuery } from '../../parsing/marking-query.js';

/** One position of the query in confusion-key space. */
type KeyItem = { kind: 'char'; char: string } | { kind: 'one' } | { kind: 'run' };

export interface CandidatePlan {
  /** The query itself as a LIKE pattern on the confusion key (`_` one character, `%` any run). */
  exactPattern: string;
  /** True when `exactPattern` has no wildcard: an equality lookup. */
  exactIsLiteral: boolean;
  /** Whether the indexes can answer `exactPattern` (and its prefix and infix forms) without reading everything. */
  exactIsIndexable: boolean;
  /** Whether to look for the query contained anywhere (short queries without `*`). */
  infix: boolean;
  /**
   * Patterns that a stored key within `toleratedEdits` arbitrary edits of the
   * query matches at least one of (pigeonhole: the query's literal part is cut
   * into pieces, and any such key keeps enough of them intact and in order).
   */
  fuzzyPatterns: string[];
  toleratedEdits: number;
  /**
   * For short queries, whose pieces would be too short to look up: patterns
   * that a key within one arbitrary edit of the query (a character replaced,
   * added, dropped, or two swapped) matches at least one of. The edit spares
   * the first half or the second, so the key starts with the one or ends with
   * the other; a second cut, one further on, catches a swap across the first.
   */
  oneEditPatterns: string[];
  /** The literal characters of the key, for trigram similarity when the patterns find too little. */
  similarityText: string;
  /**
   * Completeness up to `nearDistance` errors (edits, swaps of two neighbours
   * or unreadable characters): the segment pairs (see {@link segmentPairEntries})
   * that every key within that many errors of the query shares with it or
   * with one of its swapped forms, and what the keys they find are checked
   * against: the query's key (`?` and `[AB]` as {@link NEAR_WILDCARD}, which
   * equals nothing) within `nearDistance` Levenshtein edits, the key with one
   * swap undone within one, or with two swaps undone exactly. Queries of four
   * or five characters: within one error ({@link NEAR_DISTANCE_SHORT}). Empty
   * for queries with `*` and for shorter ones, which the patterns above cover.
   */
  segmentPairProbes: string[];
  nearKey: string;
  nearDistance: number;
  nearSwapped: string[];
  nearSwappedTwice: string[];
}

/** Stands for a `?` (or `[AB]`) of the query in {@link CandidatePlan.nearKey}: one error against any character. */
export const NEAR_WILDCARD = '\uFFFD';

/**
 * The errors (edits or unreadable characters, Levenshtein distance on the
 * confusion key) within which every stored key is sure to be a candidate:
 * two from {@link NEAR_MIN_LENGTH} characters on. Below, one
 * ({@link NEAR_DISTANCE_SHORT}) for stored keys of four characters or more,
 * from the segment pairs too; the one-edit patterns add what they can.
 */
export const NEAR_DISTANCE = 2;
export const NEAR_MIN_LENGTH = 6;
/** The same for queries of four or five characters: one error. */
export const NEAR_DISTANCE_SHORT = 1;
// fuzzystrmatch's levenshtein() refuses longer strings.
const NEAR_MAX_LENGTH = 250;

// Keys are cut into four segments; every pair of them is indexed (migration 0008).
const SEGMENTS = 4;
const SEGMENT_PAIRS: readonly (readonly [number, number])[] = [
  [0, 1],
  [0, 2],
  [0, 3],
  [1, 2],
  [1, 3],
  [2, 3],
];
/** Keys shorter than this have no segment pairs (a segment would be empty). */
export const SEGMENT_MIN_KEY = 4;

/**
 * The pairs to ask for when `distance` errors are allowed. Each error touches
 * one of the four segments, so within one error three stay intact, and any
 * three of four include the first two or the last two; within none, all four.
 * Two errors leave any two intact: every pair is needed.
 */
function pairsWithin(distance: number): readonly (readonly [number, number])[] {
  if (distance >= 2) return SEGMENT_PAIRS;
  return distance === 1 ? [SEGMENT_PAIRS[0]!, SEGMENT_PAIRS[5]!] : [SEGMENT_PAIRS[0]!];
}

/** Where segment `part` of a key of `length` characters starts: as `marking_key_segment` in migration 0008. */
function segmentStart(length: number, part: number): number {
  return Math.floor((length * part) / SEGMENTS);
}

/**
 * The segment-pair entries of a stored confusion key, before hashing: what
 * migration 0008's `marking_key_segment_pairs` indexes. Used by the tests to
 * check the query side against the stored side.
 *
 * @example
 * segmentPairEntries('6863102'); // ['7:01686', '7:02631', '7:03602', '7:128631', '7:138602', '7:233102']
 */
export function segmentPairEntries(key: string): string[] {
  const characters = Array.from(key);
  if (characters.length < SEGMENT_MIN_KEY) return [];
  const segment = (part: number) =>
    characters.slice(segmentStart(characters.length, part), segmentStart(characters.length, part + 1)).join('');
  return SEGMENT_PAIRS.map(([i, j]) => `${characters.length}:${i}${j}${segment(i)}${segment(j)}`);
}

/**
 * The entries a key within `distance` errors of the query must share with
 * it. Such a key keeps at least two of its four segments intact (each error
 * touches one); an intact segment appears in the query shifted by the
 * insertions minus deletions before it, and the shifts before, between and
 * after the two segments together need no more than `distance` edits.
 * `null` items are the query's wildcards, which are errors.
 */
function segmentPairProbes(items: readonly (string | null)[], distance: number): string[] {
  const length = items.length;
  const probes = new Set<string>();
  const piece = (start: number, end: number): string | undefined => {
    if (start < 0 || end > length) return undefined;
    let out = '';
    for (let index = start; index < end; index += 1) {
      const item = items[index];
      if (item === null || item === undefined) return undefined;
      out += item;
    }
    return out;
  };
  for (let keyLength = Math.max(SEGMENT_MIN_KEY, length - distance); keyLength <= length + distance; keyLength += 1) {
    const start = (part: number) => segmentStart(keyLength, part);
    for (const [i, j] of pairsWithin(distance)) {
      for (let shiftI = -distance; shiftI <= distance; shiftI += 1) {
        for (let shiftJ = -distance; shiftJ <= distance; shiftJ += 1) {
          const edits = Math.abs(shiftI) + Math.abs(shiftJ - shiftI) + Math.abs(length - keyLength - shiftJ);
          if (edits > distance) continue;
          const first = piece(start(i) + shiftI, start(i + 1) + shiftI);
          const second = piece(start(j) + shiftJ, start(j + 1) + shiftJ);
          if (first !== undefined && second !== undefined) probes.add(`${keyLength}:${i}${j}${first}${second}`);
        }
      }
    }
  }
  return Array.from(probes);
}

// What pg_trgm makes trigrams of: word characters only, and on a server
// initialised without a locale (the C locale, as the benchmark's and many
// containers' are) those are the ASCII letters and digits. `иж5` has no
// trigram there: a pattern like `%иж5%` would read the whole table.
const TRIGRAM_CHARACTER = /^[a-z0-9]$/;

/**
 * Whether the trigram index can narrow a pattern down: it needs three
 * characters it indexes in a row. Without, the index would hand back every row.
 */
function hasTrigram(items: readonly KeyItem[]): boolean {
  let run = 0;
  for (const item of items) {
    run = item.kind === 'char' && TRIGRAM_CHARACTER.test(item.char) ? run + 1 : 0;
    if (run >= MIN_PIECE) return true;
  }
  return false;
}

function textHasTrigram(text: string): boolean {
  return hasTrigram(Array.from(text, (char) => ({ kind: 'char', char }) as const));
}

function oneEditPatterns(items: readonly KeyItem[]): string[] {
  // A query ending in `*` (a prefix) is covered the same way, its tail anywhere after the head.
  const open = items[items.length - 1]?.kind === 'run';
  const known = open ? items.slice(0, -1) : items;
  if (known.some((item) => item.kind === 'run') || known.length < 2) return [];
  const patterns = new Set<string>();
  const middle = Math.floor(known.length / 2);
  for (const cut of [middle, middle + 1]) {
    const head = known.slice(0, cut);
    const tail = known.slice(cut);
    // A head is also answered by the pattern B-tree when it starts with three known characters.
    const literalStart = head.length >= MIN_PIECE && head.slice(0, MIN_PIECE).every((item) => item.kind === 'char');
    if (hasTrigram(head) || literalStart) patterns.add(`${toPattern(head)}%`);
    if (hasTrigram(tail)) patterns.add(`%${toPattern(tail)}${open ? '%' : ''}`);
  }
  return Array.from(patterns);
}

/** The items with the neighbours at `at` and `at + 1` swapped, or undefined when they are not two different known characters. */
function swapAt(items: readonly (string | null)[], at: number): (string | null)[] | undefined {
  const [first, second] = [items[at], items[at + 1]];
  if (first === null || second === null || first === undefined || second === undefined || first === second) {
    return undefined;
  }
  const swapped = [...items];
  swapped[at] = second;
  swapped[at + 1] = first;
  return swapped;
}

/**
 * What completes the candidates up to {@link NEAR_DISTANCE} errors, a swap of
 * two neighbours counting as one (the ranking's transposition). Without a
 * swap, the key is within two Levenshtein edits of the query; with one, within
 * one edit of the query with that swap undone; with two, equal to the query
 * with both undone (two disjoint swaps, no `?` left to spend).
 */
function planNear(
  items: readonly (string | null)[],
  distance: number,
): { probes: string[]; swapped: string[]; swappedTwice: string[] } {
  const probes = new Set(segmentPairProbes(items, distance));
  const asKey = (variant: readonly (string | null)[]) => variant.map((item) => item ?? NEAR_WILDCARD).join('');
  const swapped: string[] = [];
  const swappedTwice = new Set<string>();
  for (let at = 0; at + 1 < items.length; at += 1) {
    const once = swapAt(items, at);
    if (once === undefined) continue;
    swapped.push(asKey(once));
    for (const probe of segmentPairProbes(once, distance - 1)) probes.add(probe);
    if (items.includes(null) || distance < 2) continue;
    for (let second = at + 2; second + 1 < items.length; second += 1) {
      const twice = swapAt(once, second);
      if (twice === undefined) continue;
      swappedTwice.add(asKey(twice));
      for (const probe of segmentPairProbes(twice, 0)) probes.add(probe);
    }
  }
  return { probes: Array.from(probes), swapped, swappedTwice: Array.from(swappedTwice) };
}

const MIN_PIECE = 3;
const MAX_PIECES = 5;

function escapeLike(character: string): string {
  return character === '%' || character === '_' || character === '\\' ? `\\${character}` : character;
}

function keyItems(query: ParsedQuery): KeyItem[] {
  const items: KeyItem[] = [];
  for (const token of query.tokens) {
    switch (token.kind) {
      case 'separator':
        break;
      case 'char':
        items.push({ kind: 'char', char: confusionClassOf(token.char) });
        break;
      case 'alternatives': {
        const classes = new Set(token.chars.map(confusionClassOf));
        items.push(classes.size === 1 ? { kind: 'char', char: Array.from(classes)[0]! } : { kind: 'one' });
        break;
      }
      case 'unreadable':
        items.push({ kind: 'one' });
        break;
      case 'any_run':
        items.push({ kind: 'run' });
        break;
    }
  }
  return items;
}

function toPattern(items: readonly KeyItem[]): string {
  return items.map((item) => (item.kind === 'char' ? escapeLike(item.char) : item.kind === 'one' ? '_' : '%')).join('');
}

/** Splits the runs of literal characters into `count` pieces of at least MIN_PIECE, as even as possible. */
function cutPieces(runs: readonly string[], count: number): string[] {
  const usable = runs.filter((run) => run.length >= MIN_PIECE);
  const total = usable.reduce((sum, run) => sum + run.length, 0);
  // Give each run a share of the pieces proportional to its length.
  const shares = usable.map((run) => Math.max(1, Math.floor((run.length / total) * count)));
  let assigned = shares.reduce((sum, share) => sum + share, 0);
  while (assigned > count) {
    const largest = shares.indexOf(Math.max(...shares));
    shares[largest]! -= 1;
    assigned -= 1;
  }
  for (let index = 0; assigned < count && index < usable.length * 4; index += 1) {
    const position = index % usable.length;
    if (Math.floor(usable[position]!.length / (shares[position]! + 1)) >= MIN_PIECE) {
      shares[position]! += 1;
      assigned += 1;
    }
  }
  const pieces: string[] = [];
  usable.forEach((run, position) => {
    const share = shares[position]!;
    if (share === 0) return;
    let start = 0;
    for (let piece = 0; piece < share; piece += 1) {
      const end = piece === share - 1 ? run.length : start + Math.floor((run.length - start) / (share - piece));
      pieces.push(run.slice(start, end));
      start = end;
    }
  });
  return pieces;
}

function combinations<T>(values: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  if (values.length < size) return [];
  const [first, ...rest] = values;
  return [...combinations(rest, size - 1).map((combo) => [first!, ...combo]), ...combinations(rest, size)];
}

/**
 * Only what costs less than one arbitrary edit: the exact pattern and its
 * prefix (look-alikes, confusions and unread characters are in the key).
 */
export function withoutEdits(plan: CandidatePlan): CandidatePlan {
  return {
    ...plan,
    fuzzyPatterns: [],
    oneEditPatterns: [],
    toleratedEdits: 0,
    infix: false,
    segmentPairProbes: [],
    nearSwapped: [],
    nearSwappedTwice: [],
  };
}

/**
 * The candidate patterns for a query.
 *
 * @example
 * planCandidates(parseMarkingQuery('LOT 12-345-67')).exactPattern; // '10t1234567'
 */
export function planCandidates(query: ParsedQuery): CandidatePlan {
  const items = keyItems(query);
  const runs: string[] = [];
  let current = '';
  for (const item of items) {
    if (item.kind === 'char') current += item.char;
    else {
      if (current !== '') runs.push(current);
      current = '';
    }
  }
  if (current !== '') runs.push(current);
  const literal = runs.join('');
  const usableLength = runs.filter((run) => run.length >= MIN_PIECE).reduce((sum, run) => sum + run.length, 0);

  // Short queries, whose pieces would be too short to be selective: every
  // variant with one edit, anchored. Longer ones: pieces, tolerating two
  // arbitrary edits from 12 characters, one below; every pattern keeps at
  // least two trigrams so that each is selective on its own.
  const oneEdit = usableLength < 3 * MIN_PIECE ? oneEditPatterns(items) : [];
  let toleratedEdits = 0;
  let pieceCount = 0;
  if (oneEdit.length > 0) {
    toleratedEdits = 1;
  } else if (usableLength >= 4 * MIN_PIECE) {
    toleratedEdits = 2;
    pieceCount = Math.min(MAX_PIECES, Math.floor(usableLength / MIN_PIECE));
  } else if (usableLength >= 2 * MIN_PIECE) {
    toleratedEdits = 1;
    pieceCount = Math.floor(usableLength / MIN_PIECE);
  }
  const fuzzyPatterns: string[] = [];
  if (pieceCount > toleratedEdits) {
    const pieces = cutPieces(runs, pieceCount);
    for (const combo of combinations(pieces, pieces.length - toleratedEdits)) {
      // One pattern the index cannot narrow down would make the whole lookup read everything.
      if (!combo.some(textHasTrigram)) continue;
      fuzzyPatterns.push(`%${combo.map((piece) => Array.from(piece).map(escapeLike).join('')).join('%')}%`);
    }
  }
  // Short queries (from four characters) too: within one error, a key keeps three of its four segments, so
  // the pairs find what the one-edit patterns cannot look up (`27073` for `2773`, whose halves are too short).
  const near =
    items.every((item) => item.kind !== 'run') && items.length >= SEGMENT_MIN_KEY && items.length <= NEAR_MAX_LENGTH;
  const nearDistance = items.length >= NEAR_MIN_LENGTH ? NEAR_DISTANCE : NEAR_DISTANCE_SHORT;
  const nearItems = items.map((item) => (item.kind === 'char' ? item.char : null));
  const nearPlan = near ? planNear(nearItems, nearDistance) : { probes: [], swapped: [], swappedTwice: [] };
  return {
    exactPattern: toPattern(items),
    exactIsLiteral: items.every((item) => item.kind === 'char'),
    exactIsIndexable: items.every((item) => item.kind === 'char') || hasTrigram(items),
    infix: fuzzyPatterns.length === 0 && items.every((item) => item.kind !== 'run') && hasTrigram(items),
    fuzzyPatterns,
    toleratedEdits,
    oneEditPatterns: oneEdit,
    similarityText: literal,
    segmentPairProbes: nearPlan.probes,
    nearKey: nearItems.map((item) => item ?? NEAR_WILDCARD).join(''),
    nearDistance,
    nearSwapped: nearPlan.swapped,
    nearSwappedTwice: nearPlan.swappedTwice,
  };
}
