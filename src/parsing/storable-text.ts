// Text PostgreSQL can store exactly as given. Shared by the server and the web app; no dependencies.

/** A character that cannot be stored: where it is (in UTF-16 code units) and what it is, e.g. `U+0000`. */
export interface UnstorableCharacter {
  index: number;
  character: string;
}

// NUL (PostgreSQL refuses 0x00 in text and \u0000 in jsonb), UTF-16 surrogates that are not part of a pair
// (no UTF-8 form exists: a driver would silently write U+FFFD instead), and a byte order mark (U+FEFF) that
// begins a text: the embedded database (PGlite) decodes every value it reads with a TextDecoder that drops a
// leading BOM, so the text read back would silently differ from the text stored (found by the fuzz test).
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|^\ufeff/;

/**
 * The first character of `text` that PostgreSQL cannot store exactly, or null when there is none.
 *
 * @example
 * findUnstorableCharacter('AK\u0000 47') // { index: 2, character: 'U+0000' }
 * findUnstorableCharacter('\ud800') // { index: 0, character: 'U+D800' }
 * findUnstorableCharacter('\ufeffAK 47') // { index: 0, character: 'U+FEFF' } (inside a text it is kept)
 * findUnstorableCharacter('ЗВ 1985') // null
 */
export function findUnstorableCharacter(text: string): UnstorableCharacter | null {
  const match = UNSTORABLE.exec(text);
  if (match === null) return null;
  const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return { index: match.index, character: `U+${code}` };
}

/**
 * Why a character cannot be stored, in words for the message of a refusal.
 *
 * @example describeUnstorable({ index: 2, character: 'U+0000' }) // 'contains U+0000 (NUL) at character 3, …'
 */
export function describeUnstorable(found: UnstorableCharacter): string {
  const what =
    found.character === 'U+0000'
      ? 'NUL'
      : found.character === 'U+FEFF'
        ? 'a byte order mark, which cannot begin a text'
        : 'a lone UTF-16 surrogate';
  return (
    `contains ${found.character} (${what}) at character ${found.index + 1}, which cannot be stored exactly; ` +
    'remove it or send the text it stands for'
  );
}
