import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  catalogues,
  formatMessage,
  isLocale,
  isRightToLeft,
  numberFormatFor,
  scriptName,
  type Locale,
  type MessageKey,
  type MessageParams,
} from '../../../src/i18n/messages.js';

// The catalogue and its formatting are shared with the server's report (src/i18n): one word for one thing.
export { catalogues, formatMessage, locales } from '../../../src/i18n/messages.js';
export type { Locale, MessageKey, MessageParams } from '../../../src/i18n/messages.js';

const storageKey = 'armtrace.locale';

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
  document.documentElement.dir = isRightToLeft(locale) ? 'rtl' : 'ltr';
}

/**
 * Wraps user data placed inside a translated sentence in Unicode isolates,
 * so an Arabic name in an English sentence (or the reverse) keeps its order.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

export interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  /** The message in the current language, with `{name}` placeholders filled (numbers formatted per locale). */
  t: (key: MessageKey, params?: MessageParams) => string;
  /** The label of a controlled-vocabulary value, e.g. label('category', 'small_arm'); the raw value when unknown. */
  label: (group: string, value: string | null | undefined) => string;
  /** The name of a marking's script (ISO 15924 code, or 'mixed') in the current language. */
  scriptName: (code: string) => string;
  formatNumber: (value: number) => string;
  /** An instant (ISO timestamp) as local date and time. */
  formatDateTime: (iso: string) => string;
  /** A calendar date (YYYY-MM-DD), never shifted by the time zone. */
  formatDate: (isoDate: string) => string;
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
    const numberFormat = numberFormatFor(locale);
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
      scriptName: (code) => scriptName(locale, code),
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
