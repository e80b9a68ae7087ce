// The one message catalogue of armtrace, in English, Arabic and French, used by the web app (which imports this
// module by relative path and bundles the JSON at build time) and by the server's HTML and PDF report, so a word
// is the same on screen and on paper. Messages are ICU MessageFormat, formatted by intl-messageformat; every
// message with a count is a plural with all the categories of its language (Arabic has six).
// Infrastructure below the features: it imports nothing of armtrace, only intl-messageformat.
import { IntlMessageFormat } from 'intl-messageformat';
import ar from './ar.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import fr from './fr.json' with { type: 'json' };

export type MessageKey = keyof typeof en;
export const locales = ['en', 'ar', 'fr'] as const;
export type Locale = (typeof locales)[number];

/** Every catalogue must have every key of the English one; the compiler checks it here. */
export const catalogues: Record<Locale, Record<MessageKey, string>> = { en, ar, fr };

const rightToLeft: ReadonlySet<Locale> = new Set(['ar']);

/**
 * Whether a language is written right to left.
 *
 * @example
 * isRightToLeft('ar') // true
 */
export function isRightToLeft(locale: Locale): boolean {
  return rightToLeft.has(locale);
}

/**
 * Whether a string names one of the catalogue's languages.
 *
 * @example
 * isLocale('fr') // true
 */
export function isLocale(value: string | null | undefined): value is Locale {
  return value !== null && value !== undefined && (locales as readonly string[]).includes(value);
}

export type MessageParams = Record<string, string | number>;

// Compiled messages by locale and key: ICU syntax is parsed once per message, not once per render.
const compiled = new Map<string, { format: IntlMessageFormat; numeric: Set<string>; names: Set<string> }>();

/**
 * Formats one ICU MessageFormat message (intl-messageformat): `{name}` placeholders, and plural forms chosen by
 * the language's own rules, e.g. `{count, plural, one {# site} other {# sites}}` in English and all six
 * categories (zero, one, two, few, many, other) in Arabic. Numbers come out in the locale's digits (`#` inside
 * a plural, and a plain `{count}`). A placeholder without a value stays `{name}`, so a missing parameter shows.
 *
 * @example
 * formatMessage('ar', 'sites.count', '{count, plural, zero {لا مواقع} one {موقع واحد} two {موقعان} few {# مواقع} many {# موقعًا} other {# موقع}}', { count: 3 });
 * // → '٣ مواقع'
 */
export function formatMessage(locale: Locale, key: string, message: string, params?: MessageParams): string {
  const cacheKey = `${locale}\u0000${key}\u0000${message}`;
  let entry = compiled.get(cacheKey);
  if (entry === undefined) {
    const format = new IntlMessageFormat(message, locale);
    const names = new Set<string>();
    const numeric = new Set<string>();
    collectArguments(format.getAst(), names, numeric);
    entry = { format, names, numeric };
    compiled.set(cacheKey, entry);
  }
  const numberFormat = numberFormatFor(locale);
  const values: Record<string, string | number> = {};
  for (const name of entry.names) {
    const param = params?.[name];
    if (param === undefined) values[name] = `{${name}}`;
    // Plural, select and number arguments take the number itself; a plain {name} takes it in the locale's digits.
    else if (typeof param === 'number') values[name] = entry.numeric.has(name) ? param : numberFormat.format(param);
    else values[name] = param;
  }
  return String(entry.format.format(values));
}

/**
 * The catalogue's message `key` in `locale`, formatted with `params`.
 *
 * @example
 * translate('fr', 'category.fuze') // 'Fusée'
 * translate('en', 'offline.count.site', { count: 1 }) // '1 site'
 */
export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  return formatMessage(locale, key, catalogues[locale][key], params);
}

/**
 * The label of a controlled-vocabulary value (the message `group.value`), or the value itself when the
 * catalogue has no label for it (data is never hidden).
 *
 * @example
 * vocabularyLabel('ar', 'category', 'fuze') // 'صاعق'
 */
export function vocabularyLabel(locale: Locale, group: string, value: string): string {
  const message = (catalogues[locale] as Record<string, string | undefined>)[`${group}.${value}`];
  return message ?? value;
}

/**
 * The name of a writing system in the user's language, from its ISO 15924 code as detected in a marking
 * ('Cyrl', 'Arab'), or "mixed scripts" for 'mixed'; any other value as it is.
 *
 * @example
 * scriptName('fr', 'Cyrl') // 'cyrillique'
 */
export function scriptName(locale: Locale, code: string): string {
  if (code === 'mixed') return translate(locale, 'script.mixed');
  try {
    return new Intl.DisplayNames([locale], { type: 'script' }).of(code) ?? code;
  } catch {
    return code;
  }
}

const numberFormatCache = new Map<Locale, Intl.NumberFormat>();

/**
 * The locale's number format (cached), e.g. Arabic-Indic digits in Arabic.
 *
 * @example
 * numberFormatFor('ar').format(12) // '١٢'
 */
export function numberFormatFor(locale: Locale): Intl.NumberFormat {
  let format = numberFormatCache.get(locale);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale);
    numberFormatCache.set(locale, format);
  }
  return format;
}

type MessageElement = ReturnType<IntlMessageFormat['getAst']>[number];
// Element types of @formatjs/icu-messageformat-parser (its TYPE enum).
const argumentType = 1;
const numberType = 2;
const selectType = 5;
const pluralType = 6;

function collectArguments(elements: readonly MessageElement[], names: Set<string>, numeric: Set<string>): void {
  for (const element of elements) {
    const type = element.type as number;
    if (type === argumentType || type === numberType || type === selectType || type === pluralType) {
      const name = (element as { value: string }).value;
      names.add(name);
      if (type !== argumentType) numeric.add(name);
    }
    if ('options' in element) {
      for (const option of Object.values(element.options as Record<string, { value: MessageElement[] }>)) {
        collectArguments(option.value, names, numeric);
      }
    }
  }
}
