/**
 * Synthetic, realistic markings for the marking-search benchmark: lot
 * numbers, factory codes with years, prefixed serials, headstamps and stock
 * numbers, in Latin and Cyrillic letters and ASCII, Arabic-Indic and Persian
 * digits; shared lots (one lot at several sites) and serial runs (close
 * serials of one model at several sites) planted. Plus noisy queries whose
 * target is known. Deterministic for a given seed.
 */

/** mulberry32: a small, fast, seedable generator (the benchmark must be reproducible). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

function pick<T>(random: Random, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

function integer(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function digits(random: Random, count: number): string {
  let out = '';
  for (let index = 0; index < count; index += 1) out += String(Math.floor(random() * 10));
  return out;
}

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';
const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';

function withDigitForm(text: string, form: 'ascii' | 'arabic' | 'persian'): string {
  if (form === 'ascii') return text;
  const table = form === 'arabic' ? ARABIC_INDIC : PERSIAN;
  return text.replace(/[0-9]/g, (digit) => table[Number(digit)]!);
}

// Latin capitals and their Cyrillic look-alikes (the folding the search undoes).
const LATIN_TO_CYRILLIC: Record<string, string> = {
  A: 'А',
  B: 'В',
  E: 'Е',
  K: 'К',
  M: 'М',
  H: 'Н',
  O: 'О',
  P: 'Р',
  C: 'С',
  T: 'Т',
  Y: 'У',
  X: 'Х',
  '3': 'З',
};
const CYRILLIC_TO_LATIN = Object.fromEntries(Object.entries(LATIN_TO_CYRILLIC).map(([latin, cyr]) => [cyr, latin]));

// Factory codes: Cyrillic (some made only of look-alikes, some not), Latin, numeric.
const FACTORY_CODES = [
  'ЗВ',
  'КЛ',
  'ТК',
  'АМ',
  'ВР',
  'НК',
  'ДЖ',
  'ПЗ',
  'MKE',
  'PMP',
  'HXP',
  'ARS',
  'RG',
  'SB',
  'IK',
  'BXN',
  '188',
  '711',
  '539',
  '10',
  '17',
  '38',
  '60',
  '270',
  '3',
  '52',
];
const SERIAL_PREFIXES = [
  'AK',
  'AB',
  'KA',
  'HT',
  'MT',
  'ТУ',
  'ИЖ',
  'ЗК',
  'ОМ',
  'XA',
  'PK',
  'BM',
  'CB',
  'EA',
  'ГЛ',
  'SN',
  'N',
  'A',
  'Б',
  'K',
];
const MODELS = ['AKM', 'AK-74', 'PKM', 'RPK', 'SKS', 'G3', 'FAL', 'RPG-7', 'DShK', 'SVD', 'Type 56', 'M16A1'];

export interface SyntheticMarking {
  kind: 'serial' | 'lot' | 'factory_code' | 'headstamp' | 'stock_number' | 'year';
  text: string;
  /** The marking written cleanly: every transcription of one marking shares it. */
  canonical: string;
}

export interface SyntheticItem {
  ref: string;
  siteIndex: number;
  category: string;
  model: string;
  quantity: number;
  markings: SyntheticMarking[];
}

export interface SyntheticSite {
  ref: string;
  name: string;
  type: string;
  lat: number;
  lon: number;
}

export interface SyntheticDataset {
  sites: SyntheticSite[];
  items: SyntheticItem[];
  markingCount: number;
}

/** A transcription of a canonical marking as one field team might type it. */
function transcribe(random: Random, canonical: string): string {
  let text = canonical;
  // Cyrillic stencils typed on a Latin keyboard, and the reverse.
  if (random() < 0.15)
    text = Array.from(text)
      .map((c) => CYRILLIC_TO_LATIN[c] ?? c)
      .join('');
  else if (random() < 0.05)
    text = Array.from(text)
      .map((c) => (/[A-Z]/.test(c) ? (LATIN_TO_CYRILLIC[c] ?? c) : c))
      .join('');
  // Separators vary between teams.
  const separatorRoll = random();
  if (separatorRoll < 0.1) text = text.replace(/[ -]/g, '');
  else if (separatorRoll < 0.2) text = text.replace(/ /g, '-');
  else if (separatorRoll < 0.25) text = text.replace(/-/g, ' ');
  return text;
}

function lotCanonical(random: Random): string {
  switch (integer(random, 0, 3)) {
    case 0:
      return `LOT ${digits(random, 2)}-${digits(random, 3)}-${digits(random, 2)}`;
    case 1:
      return `${digits(random, 2)}-${digits(random, 2)}-${digits(random, 3)}`;
    case 2:
      return `${pick(random, FACTORY_CODES)} ${digits(random, 3)}-${digits(random, 2)}`;
    default:
      return `${pick(random, ['L', 'LT', 'П'])}${digits(random, 4)}/${digits(random, 2)}`;
  }
}

function year(random: Random): number {
  return integer(random, 1955, 2015);
}

function factoryCanonical(random: Random): string {
  const code = pick(random, FACTORY_CODES);
  return random() < 0.5 ? `${code} ${year(random)}` : `${code}-${String(year(random)).slice(2)}`;
}

function headstampCanonical(random: Random): string {
  const code = pick(
    random,
    FACTORY_CODES.filter((c) => /^[0-9]+$/.test(c)),
  );
  const stamp = `${code} ${String(year(random)).slice(2)}`;
  return random() < 0.3 ? `7.62 ${stamp}` : stamp;
}

function serialCanonical(random: Random, prefix: string, number: number, width: number): string {
  const body = String(number).padStart(width, '0');
  return random() < 0.5 ? `${prefix} ${body}` : `${prefix}${body}`;
}

function stockCanonical(random: Random): string {
  return `${digits(random, 4)}-${digits(random, 2)}-${digits(random, 3)}-${digits(random, 4)}`;
}

/**
 * Builds `markingCount` markings on items (1 to 4 each) at sites (about 20
 * items a site). About 3% of lots are shared by several sites and about 6% of
 * serials belong to runs of close numbers spread over a few sites.
 */
export function generateDataset(markingCount: number, seed = 20240601): SyntheticDataset {
  const random = createRandom(seed);
  const siteCount = Math.max(3, Math.round(markingCount / 50));
  const sites: SyntheticSite[] = [];
  for (let index = 0; index < siteCount; index += 1) {
    sites.push({
      ref: `S${String(index + 1).padStart(6, '0')}`,
      name: `Site ${index + 1}`,
      type: pick(random, ['cache', 'storage_depot', 'production_workshop', 'incident_scene', 'checkpoint']),
      lat: Math.round((30 + random() * 10) * 1e5) / 1e5,
      lon: Math.round((35 + random() * 15) * 1e5) / 1e5,
    });
  }
  const sharedLots = Array.from({ length: Math.max(5, Math.round(markingCount / 400)) }, () => lotCanonical(random));
  interface Run {
    prefix: string;
    next: number;
    width: number;
    model: string;
    sites: number[];
  }
  const runs: Run[] = Array.from({ length: Math.max(3, Math.round(markingCount / 1500)) }, () => {
    const width = integer(random, 5, 7);
    return {
      prefix: pick(random, SERIAL_PREFIXES),
      next: integer(random, 1, 10 ** width - 1000),
      width,
      model: pick(random, MODELS),
      sites: Array.from({ length: integer(random, 2, 5) }, () => integer(random, 0, siteCount - 1)),
    };
  });

  const items: SyntheticItem[] = [];
  let markings = 0;
  while (markings < markingCount) {
    const siteIndex = integer(random, 0, siteCount - 1);
    const item: SyntheticItem = {
      ref: `I${String(items.length + 1).padStart(7, '0')}`,
      siteIndex,
      category: 'small_arm',
      model: pick(random, MODELS),
      quantity: 1,
      markings: [],
    };
    const count = Math.min(integer(random, 1, 4), markingCount - markings);
    const profile = random();
    const add = (kind: SyntheticMarking['kind'], canonical: string, digitForm?: 'arabic' | 'persian') => {
      if (item.markings.some((marking) => marking.canonical === canonical)) return;
      const text = transcribe(random, canonical);
      item.markings.push({ kind, text: digitForm === undefined ? text : withDigitForm(text, digitForm), canonical });
    };
    if (profile < 0.55) {
      // A weapon: serial, factory code with year, maybe a stock number.
      const run = random() < 0.06 ? pick(random, runs) : undefined;
      if (run !== undefined) {
        item.model = run.model;
        item.siteIndex = pick(random, run.sites);
        run.next += integer(random, 1, 12);
        add('serial', serialCanonical(random, run.prefix, run.next, run.width));
      } else {
        const width = integer(random, 5, 7);
        add(
          'serial',
          serialCanonical(random, pick(random, SERIAL_PREFIXES), integer(random, 1, 10 ** width - 1), width),
        );
      }
      if (count > 1) add('factory_code', factoryCanonical(random));
      if (count > 2) add('stock_number', stockCanonical(random));
      if (count > 3) add('year', String(year(random)));
    } else {
      // Ammunition or a crate: lot, headstamp, stock number, year.
      item.category = pick(random, ['cartridges', 'mortar_bomb', 'rocket', 'artillery_projectile', 'packaging']);
      item.model = pick(random, ['7.62x39', '82 mm', 'PG-7V', '122 mm', '12.7x108']);
      item.quantity = integer(random, 1, 500);
      add('lot', random() < 0.08 ? pick(random, sharedLots) : lotCanonical(random));
      const digitForm = random() < 0.15 ? (random() < 0.6 ? 'arabic' : 'persian') : undefined;
      if (count > 1) add('headstamp', headstampCanonical(random), digitForm);
      if (count > 2) add('stock_number', stockCanonical(random));
      if (count > 3) add('year', String(year(random)), digitForm);
    }
    markings += item.markings.length;
    items.push(item);
  }
  return { sites, items, markingCount: markings };
}

/** The columns the importer reads, in the order the benchmark writes them. */
export const CSV_COLUMNS = [
  'site_ref',
  'site_name',
  'site_type',
  'lat',
  'lon',
  'item_ref',
  'category',
  'model',
  'quantity',
  'marking_kind',
  'marking_text',
] as const;

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The dataset as CSV lines (one row per marking), header first. */
export function* datasetCsvLines(dataset: SyntheticDataset): Generator<string> {
  yield `${CSV_COLUMNS.join(',')}\n`;
  for (const item of dataset.items) {
    const site = dataset.sites[item.siteIndex]!;
    for (const marking of item.markings) {
      yield `${[
        site.ref,
        site.name,
        site.type,
        site.lat,
        site.lon,
        item.ref,
        item.category,
        item.model,
        item.quantity,
        marking.kind,
        marking.text,
      ]
        .map(csvField)
        .join(',')}\n`;
    }
  }
}

// Characters easily misread for one another, as the query noise produces them.
const CONFUSIONS: Record<string, string[]> = {
  '0': ['O', 'D', 'Q'],
  O: ['0', 'D'],
  D: ['0', 'O'],
  '1': ['I', 'l', '|'],
  I: ['1', 'l'],
  L: ['1', 'I'],
  '5': ['S'],
  S: ['5'],
  '8': ['B'],
  B: ['8'],
  '2': ['Z'],
  Z: ['2'],
  '6': ['G'],
  G: ['6'],
};
const TYPO_ALPHABET = 'ABCDEFHKLMNPRTUVWXY0123456789';

export interface NoisyQuery {
  query: string;
  /** The item the target marking is on. */
  itemRef: string;
  /** The target marking's transcription, as stored. */
  target: string;
  /** The target's canonical form: a result with the same canonical form is a hit. */
  canonical: string;
  noise: string[];
}

function replaceAt(characters: string[], position: number, replacement: string): void {
  characters[position] = replacement;
}

function letterPositions(characters: string[], test: (c: string) => boolean): number[] {
  return characters.flatMap((character, index) => (test(character) ? [index] : []));
}

type NoiseKind = 'look_alike' | 'confusion' | 'separator' | 'unreadable' | 'typo';
const NOISE_WEIGHTS: readonly (readonly [NoiseKind, number])[] = [
  ['look_alike', 20],
  ['confusion', 25],
  ['separator', 20],
  ['unreadable', 15],
  ['typo', 20],
];

function pickNoise(random: Random): NoiseKind {
  let roll = random() * NOISE_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [kind, weight] of NOISE_WEIGHTS) {
    roll -= weight;
    if (roll < 0) return kind;
  }
  return 'typo';
}

const READABLE = (c: string) => /[\p{L}\p{Nd}]/u.test(c);

function applyNoise(random: Random, characters: string[], kind: NoiseKind): boolean {
  const length = letterPositions(characters, READABLE).length;
  switch (kind) {
    case 'look_alike': {
      // The other team's keyboard: Cyrillic for Latin or back, ASCII for Arabic-Indic digits or back.
      let changed = false;
      characters.forEach((c, position) => {
        let replacement = c;
        if (/[٠-٩]/.test(c)) replacement = String(ARABIC_INDIC.indexOf(c));
        else if (/[۰-۹]/.test(c)) replacement = String(PERSIAN.indexOf(c));
        else if (c in CYRILLIC_TO_LATIN) replacement = CYRILLIC_TO_LATIN[c]!;
        else if (c !== '3' && c in LATIN_TO_CYRILLIC) replacement = LATIN_TO_CYRILLIC[c]!;
        if (replacement !== c) {
          replaceAt(characters, position, replacement);
          changed = true;
        }
      });
      return changed;
    }
    case 'confusion': {
      const confusable = letterPositions(characters, (c) => c.toUpperCase() in CONFUSIONS);
      if (confusable.length === 0) return false;
      const times = random() < 0.7 || length < 8 ? 1 : 2;
      for (let n = 0; n < times && confusable.length > 0; n += 1) {
        const position = confusable.splice(Math.floor(random() * confusable.length), 1)[0]!;
        replaceAt(characters, position, pick(random, CONFUSIONS[characters[position]!.toUpperCase()]!));
      }
      return true;
    }
    case 'separator': {
      const separators = letterPositions(characters, (c) => c === ' ' || c === '-' || c === '/' || c === '.');
      if (separators.length > 0 && random() < 0.6) {
        for (const position of separators.reverse()) if (random() < 0.7) characters.splice(position, 1);
      } else {
        characters.splice(integer(random, 1, characters.length - 1), 0, pick(random, [' ', '-', '/']));
      }
      return true;
    }
    case 'unreadable': {
      // Nobody loses three characters out of five: longer markings lose more.
      const readable = letterPositions(characters, READABLE);
      if (readable.length < 5) return false;
      const times = random() < 0.7 || length < 9 ? 1 : 2;
      for (let n = 0; n < times; n += 1) {
        const position = readable.splice(Math.floor(random() * readable.length), 1)[0]!;
        replaceAt(characters, position, '?');
      }
      return true;
    }
    case 'typo': {
      if (length < 5) return false;
      const typos = random() < 0.2 && length >= 9 ? 2 : 1;
      for (let n = 0; n < typos; n += 1) {
        const readable = letterPositions(characters, READABLE);
        const position = pick(random, readable);
        const operation = integer(random, 0, 3);
        if (operation === 0) replaceAt(characters, position, pick(random, Array.from(TYPO_ALPHABET)));
        else if (operation === 1) characters.splice(position, 0, pick(random, Array.from(TYPO_ALPHABET)));
        else if (operation === 2) characters.splice(position, 1);
        else {
          const next = readable[readable.indexOf(position) + 1];
          if (next === undefined) characters.splice(position, 1);
          else [characters[position], characters[next]] = [characters[next]!, characters[position]!];
        }
      }
      return true;
    }
  }
}

/**
 * A noisy re-reading of a stored marking: one kind of noise (60%), two (35%)
 * or three (5%) among look-alikes swapped, characters confused (0/O, 1/I, 5/S,
 * 8/B, 2/Z, 6/G), separators dropped or added, characters unread (`?`) and
 * one or two arbitrary typos (substitution, insertion, deletion, swap).
 */
export function makeNoisyQuery(random: Random, target: SyntheticMarking, itemRef: string): NoisyQuery {
  for (;;) {
    const characters = Array.from(target.text);
    const roll = random();
    const wanted = roll < 0.6 ? 1 : roll < 0.95 ? 2 : 3;
    const kinds = new Set<NoiseKind>();
    for (let attempt = 0; kinds.size < wanted && attempt < 20; attempt += 1) kinds.add(pickNoise(random));
    const noise = Array.from(kinds).filter((kind) => applyNoise(random, characters, kind));
    const query = characters.join('').trim();
    if (noise.length > 0 && query !== target.text && /[\p{L}\p{Nd}]/u.test(query)) {
      return { query, itemRef, target: target.text, canonical: target.canonical, noise };
    }
  }
}

/** `count` noisy queries for markings of the kinds people search by, drawn at random. */
export function generateQueries(dataset: SyntheticDataset, count: number, seed = 7): NoisyQuery[] {
  const random = createRandom(seed);
  const queries: NoisyQuery[] = [];
  while (queries.length < count) {
    const item = pick(random, dataset.items);
    const marking = pick(random, item.markings);
    if (marking.kind === 'year') continue;
    // Factory codes and headstamps repeat on thousands of items; search them less often.
    if ((marking.kind === 'factory_code' || marking.kind === 'headstamp') && random() < 0.6) continue;
    queries.push(makeNoisyQuery(random, marking, item.ref));
  }
  return queries;
}

/**
 * The query class of issue 10: a lot or serial of 8–9 characters (as
 * written, separators included) read with one arbitrary typo (a character
 * replaced, added, dropped, or two swapped) and one other character unread
 * (`?`), e.g. `62-63-I?2` for `68-63-102`. Drawn with its own seed, so the
 * main query set does not change.
 */
export function generateTypoUnreadableQueries(dataset: SyntheticDataset, count: number, seed = 11): NoisyQuery[] {
  const random = createRandom(seed);
  const queries: NoisyQuery[] = [];
  while (queries.length < count) {
    const item = pick(random, dataset.items);
    const marking = pick(random, item.markings);
    const length = Array.from(marking.text).length;
    if ((marking.kind !== 'lot' && marking.kind !== 'serial') || length < 8 || length > 9) continue;
    const characters = Array.from(marking.text);
    const readable = letterPositions(characters, READABLE);
    const position = pick(random, readable);
    const operation = integer(random, 0, 3);
    let touched = position;
    if (operation === 0) {
      const others = Array.from(TYPO_ALPHABET).filter((c) => c !== characters[position]!.toUpperCase());
      replaceAt(characters, position, pick(random, others));
    } else if (operation === 1) {
      characters.splice(position, 0, pick(random, Array.from(TYPO_ALPHABET)));
    } else if (operation === 2) {
      characters.splice(position, 1);
      touched = -1;
    } else {
      const next = readable[readable.indexOf(position) + 1];
      if (next === undefined || characters[next] === characters[position]) continue;
      [characters[position], characters[next]] = [characters[next]!, characters[position]!];
    }
    const unread = letterPositions(characters, READABLE).filter((index) => index !== touched);
    replaceAt(characters, pick(random, unread), '?');
    const query = characters.join('').trim();
    queries.push({
      query,
      itemRef: item.ref,
      target: marking.text,
      canonical: marking.canonical,
      noise: ['typo', 'unreadable'],
    });
  }
  return queries;
}
