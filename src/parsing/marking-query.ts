/**
 * The marking query language:
 *
 * - plain text is matched fuzzily, after the same folding as the markings
 *   (case, digit scripts, look-alikes, separators);
 * - `?` stands for exactly one character that could not be read;
 * - `*` stands for any run of characters, including none;
 * - `[AB]` stands for one character that is either A or B (`[0O]`, `[ЗЗ3]`);
 * - `\` makes the next character literal (`\?`, `\*`, `\[`).
 *
 * See docs/markings.md for examples.
 */
import { foldCharacters } from './marking-text.js';

export type QueryToken =
  | { kind: 'char'; char: string; source: string; index: number }
  | { kind: 'separator'; source: string; index: number }
  | { kind: 'unreadable'; index: number }
  | { kind: 'any_run'; index: number }
  | { kind: 'alternatives'; chars: readonly string[]; source: string; index: number };

export interface ParsedQuery {
  /** Tokens after folding; separators collapsed and trimmed at both ends. */
  tokens: QueryToken[];
  /** Characters the query stands for, `*` not counted. */
  length: number;
  /** Whether the query contains `?`, `*` or `[…]`. */
  hasOperators: boolean;
}

/** A query that cannot be parsed; `index` is the code point where the problem is. */
export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
    this.name = 'QuerySyntaxError';
  }
}

function pushFolded(tokens: QueryToken[], text: string, offset: number): void {
  for (const folded of foldCharacters(text, offset)) {
    tokens.push(
      folded.separator
        ? { kind: 'separator', source: folded.source, index: folded.index }
        : { kind: 'char', char: folded.char, source: folded.source, index: folded.index },
    );
  }
}

function parseAlternatives(codePoints: string[], open: number): { token: QueryToken; next: number } {
  let index = open + 1;
  let inside = '';
  for (;;) {
    const character = codePoints[index];
    if (character === undefined) throw new QuerySyntaxError('"[" is not closed: write [AB] for "A or B"', open);
    if (character === ']') break;
    if (character === '[' || character === '?' || character === '*') {
      throw new QuerySyntaxError(`"${character}" cannot stand inside [ ]; list the possible characters`, index);
    }
    if (character === '\\') {
      index += 1;
      const escaped = codePoints[index];
      if (escaped === undefined) throw new QuerySyntaxError('"\\" at the end escapes nothing', index - 1);
      inside += escaped;
    } else {
      inside += character;
    }
    index += 1;
  }
  const chars = [
    ...new Set(
      foldCharacters(inside, 0)
        .filter((folded) => !folded.separator)
        .map((folded) => folded.char),
    ),
  ];
  if (chars.length === 0) throw new QuerySyntaxError('[ ] must list at least one letter or digit', open);
  const source = codePoints.slice(open, index + 1).join('');
  const token: QueryToken =
    chars.length === 1
      ? { kind: 'char', char: chars[0]!, source: inside.trim(), index: open }
      : { kind: 'alternatives', chars, source, index: open };
  return { token, next: index + 1 };
}

/**
 * Parses a marking query into folded tokens.
 *
 * @example
 * parseMarkingQuery('ЗВ-19?5').tokens.map((t) => t.kind);
 * // ['char', 'char', 'separator', 'char', 'char', 'unreadable', 'char']
 * parseMarkingQuery('AB12*').tokens.at(-1)?.kind; // 'any_run'
 */
export function parseMarkingQuery(query: string): ParsedQuery {
  const codePoints = Array.from(query);
  const tokens: QueryToken[] = [];
  let literal = '';
  let literalStart = 0;
  const flush = (next: number) => {
    if (literal !== '') pushFolded(tokens, literal, literalStart);
    literal = '';
    literalStart = next;
  };
  let index = 0;
  while (index < codePoints.length) {
    const character = codePoints[index]!;
    if (character === '\\') {
      const escaped = codePoints[index + 1];
      if (escaped === undefined) throw new QuerySyntaxError('"\\" at the end escapes nothing', index);
      flush(index);
      pushFolded(tokens, escaped, index + 1);
      index += 2;
      literalStart = index;
      continue;
    }
    if (character === '?' || character === '*') {
      flush(index + 1);
      const previous = tokens[tokens.length - 1];
      if (character === '?') tokens.push({ kind: 'unreadable', index });
      else if (previous?.kind !== 'any_run') tokens.push({ kind: 'any_run', index });
      index += 1;
      literalStart = index;
      continue;
    }
    if (character === '[') {
      flush(index);
      const { token, next } = parseAlternatives(codePoints, index);
      tokens.push(token);
      index = next;
      literalStart = index;
      continue;
    }
    if (character === ']') throw new QuerySyntaxError('"]" without "[" before it', index);
    if (literal === '') literalStart = index;
    literal += character;
    index += 1;
  }
  flush(index);

  // One separator between parts, none at the ends.
  const cleaned = tokens.filter(
    (token, position) => token.kind !== 'separator' || tokens[position - 1]?.kind !== 'separator',
  );
  while (cleaned[0]?.kind === 'separator') cleaned.shift();
  while (cleaned[cleaned.length - 1]?.kind === 'separator') cleaned.pop();

  if (!cleaned.some((token) => token.kind === 'char' || token.kind === 'alternatives')) {
    throw new QuerySyntaxError('the query needs at least one letter or digit to look for', 0);
  }
  return {
    tokens: cleaned,
    length: cleaned.filter((token) => token.kind !== 'separator' && token.kind !== 'any_run').length,
    hasOperators: cleaned.some(
      (token) => token.kind === 'unreadable' || token.kind === 'any_run' || token.kind === 'alternatives',
    ),
  };
}
