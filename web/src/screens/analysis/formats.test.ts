import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translate, type Locale, type MessageKey, type MessageParams } from '../../../../src/i18n/messages.js';
import { analysisFormats } from './formats';

const formatsFor = (locale: Locale) =>
  analysisFormats(locale, (key: MessageKey, params?: MessageParams) => translate(locale, key, params));

describe('analysis formats', () => {
  it('names bands of years with the plural of each language, never "under 1 years"', () => {
    const english = formatsFor('en');
    assert.equal(english.yearBand({ min_years: 0, max_years: 1 }), 'under 1 year');
    assert.equal(english.yearBand({ min_years: 2, max_years: 5 }), '2–5 years');
    assert.equal(english.yearBand({ min_years: 30, max_years: null }), '30 years or more');
    assert.equal(formatsFor('fr').yearBand({ min_years: 0, max_years: 1 }), 'moins de 1 an');
    const arabic = formatsFor('ar');
    assert.equal(arabic.yearBand({ min_years: 0, max_years: 1 }), 'أقل من سنة واحدة');
    assert.equal(arabic.yearBand({ min_years: 0, max_years: 2 }), 'أقل من سنتين');
  });

  it('reads the API’s age bands ("0–30", ">365") as days', () => {
    const english = formatsFor('en');
    assert.equal(english.dayBand('0–30'), '0–30 days');
    assert.equal(english.dayBand('>365'), 'over 365 days');
    assert.equal(english.dayBand('>1'), 'over 1 day');
    assert.equal(english.dayBand('something else'), 'something else');
  });

  it('shows periods as a year or a month, and countries by name', () => {
    const english = formatsFor('en');
    assert.equal(english.period('2017'), '2017');
    assert.equal(english.period('2017-03'), 'Mar 2017');
    assert.equal(english.period('not a period'), 'not a period');
    assert.equal(english.country('RU', 'RU'), 'Russia');
    assert.equal(english.country('unknown', null), 'Not established');
    assert.equal(english.years(null), '—');
    assert.equal(english.countWithShare(3, 0.5), '3 (50%)');
  });
});
