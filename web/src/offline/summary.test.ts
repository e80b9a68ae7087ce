import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ar from '../i18n/ar.json';
import en from '../i18n/en.json';
import fr from '../i18n/fr.json';
import type { I18n, Locale, MessageKey } from '../i18n/i18n';
import { countPhrase, summaryGroups, waitingSummary } from './summary';

const catalogues: Record<Locale, Record<string, string>> = { en, ar, fr };

/** The app's `t` without React: the catalogue's text with numbers formatted for the locale. */
function translator(locale: Locale): I18n['t'] {
  const numbers = new Intl.NumberFormat(locale);
  return (key: MessageKey, params) =>
    catalogues[locale][key]!.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
      const value = params?.[name];
      return value === undefined ? placeholder : typeof value === 'number' ? numbers.format(value) : value;
    });
}

describe('what waits, in words', () => {
  it('says "12 items, 30 photos not yet sent" in English', () => {
    assert.equal(waitingSummary(translator('en'), 'en', { item: 12, photo: 30 }), '12 items, 30 photos not yet sent');
    assert.equal(waitingSummary(translator('en'), 'en', { item: 1, photo: 1 }), '1 item, 1 photo not yet sent');
  });

  it('folds hand-overs, disposal changes and corrections into changes', () => {
    assert.equal(
      waitingSummary(translator('en'), 'en', { custody: 1, disposal: 1, update: 1 }),
      '3 changes not yet sent',
    );
  });

  it('says nothing when nothing waits', () => {
    assert.equal(waitingSummary(translator('en'), 'en', {}), undefined);
  });

  it('uses each of the six Arabic plural forms', () => {
    const t = translator('ar');
    const number = (value: number) => new Intl.NumberFormat('ar').format(value);
    assert.equal(countPhrase(t, 'ar', 'item', 1), 'قطعة واحدة');
    assert.equal(countPhrase(t, 'ar', 'item', 2), 'قطعتان');
    assert.equal(countPhrase(t, 'ar', 'item', 3), `${number(3)} قطع`);
    assert.equal(countPhrase(t, 'ar', 'item', 11), `${number(11)} قطعة`);
    assert.equal(countPhrase(t, 'ar', 'photo', 100), `${number(100)} صورة`);
    assert.equal(countPhrase(t, 'ar', 'photo', 0), 'لا صور');
  });

  it('uses the French singular for 0 and 1 and "de" for millions', () => {
    const t = translator('fr');
    assert.equal(countPhrase(t, 'fr', 'item', 0), '0 objet');
    assert.equal(countPhrase(t, 'fr', 'item', 1), '1 objet');
    assert.equal(countPhrase(t, 'fr', 'item', 12), '12 objets');
    assert.match(countPhrase(t, 'fr', 'photo', 1_000_000), /^1\s000\s000 de photos$/);
  });

  it('has every plural form of every group in every language', () => {
    for (const locale of ['en', 'ar', 'fr'] as const)
      for (const group of summaryGroups)
        for (const category of ['zero', 'one', 'two', 'few', 'many', 'other'])
          assert.ok(catalogues[locale][`offline.count.${group}.${category}`], `${locale} ${group} ${category}`);
  });
});
