/**
 * Matching what people type against a controlled vocabulary: the code itself (`mortar_bomb`), its label in any
 * language (`Mortar bomb`, `Obus de mortier`, `قذيفة هاون`) or a listed synonym (`lot/batch`), whatever the case,
 * accents, Arabic diacritics or separators. Shared by every importer (CSV/XLSX, ODK/Kobo) and usable in the web
 * app: dependency-free.
 */

/** One value of a vocabulary: its code and every name it may be written as (labels and synonyms). */
export interface VocabularyEntry {
  code: string;
  names: readonly string[];
}

/** A vocabulary ready to match: {@link createValueMatcher}. */
export interface ValueMatcher {
  /** The codes of the vocabulary, in their order. */
  readonly codes: readonly string[];
  /** The code `text` names, or null when it names none (or names two codes, ambiguously). */
  match(text: string): string | null;
  /** The closest codes to `text`, best first (at most `limit`), to suggest when it matched nothing. */
  suggest(text: string, limit?: number): string[];
}

const ARABIC_LETTER_FORMS: Record<string, string> = {
  ى: 'ي',
  ة: 'ه',
  ـ: '',
};
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ı: 'i' };

/**
 * The form two spellings of one name share: Unicode-compatibility decomposed, without accents or Arabic
 * diacritics (hamza forms of alef become alef), lower case, every run of separators (space, `-`, `_`, `/`,
 * `.`, `’`, …) one space, the Arabic article `ال` dropped from words of four letters or more.
 *
 * @example
 * normalizeForMatching('Mortar-Bomb'); // 'mortar bomb'
 * normalizeForMatching('Catégorie'); // 'categorie'
 * normalizeForMatching('الفئة'); // 'فيه' … the same for 'الفئه' and 'فئة'
 */
export function normalizeForMatching(text: string): string {
  const decomposed = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[œæßıىةـ]/gu, (letter) => LIGATURES[letter] ?? ARABIC_LETTER_FORMS[letter] ?? letter);
  return decomposed
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')
    .map((word) => (word.length >= 4 && word.startsWith('ال') ? word.slice(2) : word))
    .join(' ');
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps), for suggestions only. */
function distance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i += 1) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j += 1) {
      if (i === 0) {
        rows[0]!.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]!.push(best);
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * A matcher for one vocabulary. A name shared by two codes matches neither (it is ambiguous), but a code always
 * matches itself.
 *
 * @example
 * const kinds = createValueMatcher([
 *   { code: 'serial', names: ['Serial number', 'Numéro de série', 'رقم تسلسلي', 's/n'] },
 *   { code: 'lot', names: ['Lot', 'دفعة', 'lot/batch', 'batch'] },
 * ]);
 * kinds.match('LOT / Batch'); // 'lot'
 * kinds.match('numero de serie'); // 'serial'
 * kinds.match('serail'); // null
 * kinds.suggest('serail'); // ['serial', 'lot']
 */
export function createValueMatcher(entries: readonly VocabularyEntry[]): ValueMatcher {
  const byName = new Map<string, string | null>();
  const byCompactName = new Map<string, string | null>();
  const forms: { code: string; form: string }[] = [];
  const add = (map: Map<string, string | null>, key: string, code: string) => {
    if (key === '') return;
    const known = map.get(key);
    if (known === undefined) map.set(key, code);
    else if (known !== code) map.set(key, null);
  };
  for (const entry of entries) {
    for (const name of [entry.code, ...entry.names]) {
      const form = normalizeForMatching(name);
      add(byName, form, entry.code);
      add(byCompactName, form.replaceAll(' ', ''), entry.code);
      forms.push({ code: entry.code, form });
    }
  }
  // A code names itself even when a label of another value is spelled the same.
  for (const entry of entries) byName.set(normalizeForMatching(entry.code), entry.code);
  const codes = entries.map((entry) => entry.code);
  return {
    codes,
    match(text) {
      if (codes.includes(text)) return text;
      const form = normalizeForMatching(text);
      if (form === '') return null;
      return byName.get(form) ?? byCompactName.get(form.replaceAll(' ', '')) ?? null;
    },
    suggest(text, limit = 3) {
      const form = normalizeForMatching(text);
      const best = new Map<string, number>();
      for (const candidate of forms) {
        let score = distance(form, candidate.form) / Math.max(form.length, candidate.form.length, 1);
        // A name holding the typed word, or the other way round, is close whatever its length.
        if (form !== '' && (candidate.form.includes(form) || form.includes(candidate.form)))
          score = Math.min(score, 0.3);
        const known = best.get(candidate.code);
        if (known === undefined || score < known) best.set(candidate.code, score);
      }
      return [...best.entries()]
        .sort((a, b) => a[1] - b[1] || codes.indexOf(a[0]) - codes.indexOf(b[0]))
        .slice(0, limit)
        .map(([code]) => code);
    },
  };
}
