import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IntlMessageFormat } from 'intl-messageformat';
import { catalogues, formatMessage, locales, type Locale } from '../../../src/i18n/messages.js';

// Every message with a count must be an ICU plural with every plural category of its language (CLDR: English
// one/other, French one/many/other, Arabic zero/one/two/few/many/other), so no language ever shows "1 sites" or
// one Arabic form for every count. A count shown alone, with no word that agrees with it ("Sites (3)"), is
// written `{count, number}`, which says so.

type Element = ReturnType<IntlMessageFormat['getAst']>[number];
// Element types of @formatjs/icu-messageformat-parser (its TYPE enum).
const argumentType = 1;
const pluralType = 6;

/** Argument names that always hold a count of something, whatever the message. */
const countNames = new Set(['count', 'n', 'rows', 'bits', 'digits', 'sites', 'items', 'markings', 'open', 'overdue']);
const counts = [0, 1, 2, 3, 11, 100];

interface Arguments {
  plural: Map<string, Set<string>>;
  simple: Set<string>;
  all: Set<string>;
}

function argumentsOf(elements: readonly Element[], found: Arguments = emptyArguments()): Arguments {
  for (const element of elements) {
    const type = element.type as number;
    if ('value' in element && typeof element.value === 'string' && type !== 0 && type !== 7) {
      found.all.add(element.value);
    }
    if (type === argumentType) found.simple.add((element as { value: string }).value);
    if (type === pluralType) {
      const plural = element as { value: string; options: Record<string, unknown> };
      const categories = found.plural.get(plural.value) ?? new Set<string>();
      for (const option of Object.keys(plural.options)) categories.add(option);
      found.plural.set(plural.value, categories);
    }
    if ('options' in element) {
      for (const option of Object.values(element.options as Record<string, { value: Element[] }>)) {
        argumentsOf(option.value, found);
      }
    }
  }
  return found;
}

function emptyArguments(): Arguments {
  return { plural: new Map(), simple: new Set(), all: new Set() };
}

const parsed = new Map<string, Arguments>();
function parse(locale: Locale, key: string): Arguments {
  const cacheKey = `${locale} ${key}`;
  let found = parsed.get(cacheKey);
  if (found === undefined) {
    const message = (catalogues[locale] as Record<string, string>)[key]!;
    found = argumentsOf(new IntlMessageFormat(message, locale).getAst());
    parsed.set(cacheKey, found);
  }
  return found;
}

const keys = Object.keys(catalogues.en);

/** The arguments that count something in a message: named so, or a plural in English. */
function countArguments(key: string): Set<string> {
  const english = parse('en', key);
  return new Set([...english.all].filter((name) => countNames.has(name) || english.plural.has(name)));
}

describe('plural messages', () => {
  it('parses every message of every language as ICU MessageFormat', () => {
    for (const locale of locales) {
      for (const key of keys) assert.doesNotThrow(() => parse(locale, key), `${locale} ${key}`);
    }
  });

  it('gives every plural every category of its language', () => {
    for (const locale of locales) {
      const required = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      for (const key of keys) {
        for (const [name, categories] of parse(locale, key).plural) {
          const missing = required.filter((category) => !categories.has(category));
          assert.deepEqual(missing, [], `${locale} ${key}: {${name}, plural} lacks ${missing.join(', ')}`);
        }
      }
    }
  });

  it('never puts a count in a message outside a plural (or an explicit {count, number})', () => {
    for (const locale of locales) {
      for (const key of keys) {
        const found = parse(locale, key);
        for (const name of countArguments(key)) {
          assert.ok(!found.simple.has(name), `${locale} ${key}: {${name}} is a count outside a plural`);
        }
      }
    }
  });

  it('keeps a plural in every language where English has one', () => {
    for (const key of keys) {
      for (const name of parse('en', key).plural.keys()) {
        for (const locale of locales) {
          assert.ok(parse(locale, key).plural.has(name), `${locale} ${key}: {${name}} must be a plural`);
        }
      }
    }
  });

  it('renders every plural message for 0, 1, 2, 3, 11 and 100 in every language', () => {
    const pluralKeys = keys.filter((key) => locales.some((locale) => parse(locale, key).plural.size > 0));
    assert.ok(pluralKeys.length > 20, `only ${pluralKeys.length} plural messages found`);
    for (const locale of locales) {
      const digits = new Intl.NumberFormat(locale);
      for (const key of pluralKeys) {
        const found = parse(locale, key);
        for (const count of counts) {
          const params: Record<string, string | number> = {};
          for (const name of found.all) params[name] = countArguments(key).has(name) ? count : `«${name}»`;
          const message = (catalogues[locale] as Record<string, string>)[key]!;
          const text = formatMessage(locale, key, message, params);
          assert.ok(text.trim().length > 0, `${locale} ${key} ${count}: empty`);
          assert.doesNotMatch(text, /[{}#]/, `${locale} ${key} ${count}: ${text}`);
          // Arabic says 0, 1 and 2 in words («لا مواقع», «موقع واحد», «موقعان»); every other form shows the number.
          const inWords = locale === 'ar' && count <= 2;
          if (!inWords && count > 2) {
            assert.ok(text.includes(digits.format(count)), `${locale} ${key} ${count}: no number in «${text}»`);
          }
        }
      }
    }
  });

  it('says "1 site" and "2 sites" in English, and each Arabic form by the language\'s rules', () => {
    const site = (locale: Locale, count: number) =>
      formatMessage(locale, 'x', catalogues[locale]['offline.count.site'], { count });
    assert.equal(site('en', 1), '1 site');
    assert.equal(site('en', 2), '2 sites');
    assert.equal(site('fr', 0), '0 site');
    // In the locale's own digits (Arabic-Indic or Latin, as the runtime's CLDR data says for 'ar').
    const number = (value: number) => new Intl.NumberFormat('ar').format(value);
    assert.deepEqual(
      counts.map((count) => site('ar', count)),
      ['لا مواقع', 'موقع واحد', 'موقعان', `${number(3)} مواقع`, `${number(11)} موقعًا`, `${number(100)} موقع`],
    );
    const under = (locale: Locale) => formatMessage(locale, 'x', catalogues[locale]['analysis.yearsUnder'], { max: 1 });
    assert.equal(under('en'), 'under 1 year');
    assert.equal(under('fr'), 'moins de 1 an');
    assert.equal(under('ar'), 'أقل من سنة واحدة');
  });
});
