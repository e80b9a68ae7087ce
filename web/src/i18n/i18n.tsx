import { IntlMessageFormat } from 'intl-messageformat';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import ar from './ar.json';
import en from './en.json';
import fr from './fr.json';

export type MessageKey = keyof typeof en;
export const locales = ['en', 'ar', 'fr'] as const;
export type Locale = (typeof locales)[number];

// Each catalogue must have every key of the English one; the compiler checks it here.
const catalogues: Record<Locale, Record<MessageKey, string>> = { en, ar, fr };

const storageKey = 'armtrace.locale';
const rightToLeft: ReadonlySet<Locale> = new Set(['ar']);

function isLocale(value: string | null | undefined): value is Locale {
  return value !== null && value !== undefined && (locales as readonly string[]).includes(value);
}

/** The saved choice, else the browser's language when supported, else English. */
export function initialLocale(): Locale {
  const saved = localStorage.getItem(storageKey);
  if (isLocale(saved)) return saved;
  const browser = navigator.language.split('-')[0];
  return isLocale(browser) ? browser : 'en';
}

/** Sets lang and dir on <html>, so the whole page (and the browser's own widgets) follow the language. */
export function applyLocaleToDocument(locale: Locale): void {
  document.documentElement.lang = locale;
  document.documentElement.dir = rightToLeft.has(locale) ? 'rtl' : 'ltr';
}

/**
 * Wraps user data placed inside a translated sentence in Unicode isolates,
 * so an Arabic name in an English sentence (or the reverse) keeps its order.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

export type MessageParams = Record<string, string | number>;

export interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  /** The message in the current language, with `{name}` placeholders filled (numbers formatted per locale). */
  t: (key: MessageKey, params?: MessageParams) => string;
  /** The label of a controlled-vocabulary value, e.g. label('category', 'small_arm'); the raw value when unknown. */
  label: (group: string, value: string | null | undefined) => string;
  formatNumber: (value: number) => string;
  /** An instant (ISO timestamp) as local date and time. */
  formatDateTime: (iso: string) => string;
  /** A calendar date (YYYY-MM-DD), never shifted by the time zone. */
  formatDate: (isoDate: string) => string;
}

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
  const cacheKey = `${locale}\u0000${key}`;
  let entry = compiled.get(cacheKey);
  if (entry === undefined) {
    const format = new IntlMessageFormat(message, locale);
    const names = new Set<string>();
    const numeric = new Set<string>();
    collectArguments(format.getAst(), names, numeric);
    entry = { format, names, numeric };
    compiled.set(cacheKey, entry);
  }
  const numberFormat = numberFormats(locale);
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

const numberFormatCache = new Map<Locale, Intl.NumberFormat>();
function numberFormats(locale: Locale): Intl.NumberFormat {
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

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  useEffect(() => {
    applyLocaleToDocument(locale);
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(storageKey, next);
    setLocaleState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const messages = catalogues[locale];
    const numberFormat = numberFormats(locale);
    const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    const t = (key: MessageKey, params?: MessageParams): string => formatMessage(locale, key, messages[key], params);
    const lookup = messages as Record<string, string | undefined>;
    return {
      locale,
      setLocale,
      t,
      label: (group, value) => {
        if (value === null || value === undefined) return messages['common.notRecorded'];
        return lookup[`${group}.${value}`] ?? value;
      },
      formatNumber: (number) => numberFormat.format(number),
      formatDateTime: (iso) => dateTimeFormat.format(new Date(iso)),
      formatDate: (isoDate) => {
        const parsed = new Date(`${isoDate}T00:00:00Z`);
        return Number.isNaN(parsed.getTime()) ? isoDate : dateFormat.format(parsed);
      },
    };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (context === undefined) throw new Error('useI18n must be used inside <I18nProvider>');
  return context;
}

/** Each language's own name, shown in the language picker in that language. */
export const localeNames: Record<Locale, string> = { en: 'English', ar: 'العربية', fr: 'Français' };
