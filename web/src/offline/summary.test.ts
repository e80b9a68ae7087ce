import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translate, type Locale, type MessageKey, type MessageParams } from '../../../src/i18n/messages.js';
import type { I18n } from '../i18n/i18n';
import { countPhrase, waitingSummary } from './summary';

/** The app's `t` without React: the shared catalogue formatted for the locale. */
function translator(locale: Locale): I18n['t'] {
  return (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
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
    assert.equal(countPhrase(t, 'item', 1), 'قطعة واحدة');
    assert.equal(countPhrase(t, 'item', 2), 'قطعتان');
    assert.equal(countPhrase(t, 'item', 3), `${number(3)} قطع`);
    assert.equal(countPhrase(t, 'item', 11), `${number(11)} قطعة`);
    assert.equal(countPhrase(t, 'photo', 100), `${number(100)} صورة`);
    assert.equal(countPhrase(t, 'photo', 0), 'لا صور');
  });

  it('uses the French singular for 0 and 1 and "de" for millions', () => {
    const t = translator('fr');
    assert.equal(countPhrase(t, 'item', 0), '0 objet');
    assert.equal(countPhrase(t, 'item', 1), '1 objet');
    assert.equal(countPhrase(t, 'item', 12), '12 objets');
    assert.match(countPhrase(t, 'photo', 1_000_000), /^1\s000\s000 de photos$/);
  });
});
