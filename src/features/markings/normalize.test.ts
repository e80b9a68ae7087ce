import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveLegibility, detectScript, normalizeMarking } from './normalize.js';

describe('normalizeMarking', () => {
  it('removes separators and folds case', () => {
    assert.equal(normalizeMarking('AK-47 / 12.5_x y'), 'ak47125xy');
    assert.equal(normalizeMarking('Lot\t12\u00a034'), 'lot1234');
  });

  it('applies NFKC, so full-width and compatibility forms compare equal', () => {
    assert.equal(normalizeMarking('ＬＯＴ１２'), 'lot12');
    assert.equal(normalizeMarking('ﬁ№5'), 'fino5');
  });

  it('turns Arabic-Indic and Persian digits into ASCII digits', () => {
    assert.equal(normalizeMarking('٠١٢٣٤٥٦٧٨٩'), '0123456789');
    assert.equal(normalizeMarking('۰۱۲۳۴۵۶۷۸۹'), '0123456789');
    assert.equal(normalizeMarking('سنة ١٩٨٥'), 'سنة1985');
  });

  it('keeps other scripts and the question marks of unread characters', () => {
    assert.equal(normalizeMarking('ЗАВОД 1?'), 'завод1?');
  });

  it('is idempotent', () => {
    for (const text of ['AK-47 / ٢٠١٥', 'ＬＯＴ 12', 'Σ-3', 'ЗАВОД 12']) {
      assert.equal(normalizeMarking(normalizeMarking(text)), normalizeMarking(text));
    }
  });
});

describe('detectScript', () => {
  it('names one script by its ISO 15924 code', () => {
    assert.equal(detectScript('LOT 12'), 'Latn');
    assert.equal(detectScript('ЗАВОД 12'), 'Cyrl');
    assert.equal(detectScript('صنع في 1985'), 'Arab');
    assert.equal(detectScript('٢٠١٥'), 'Arab');
    assert.equal(detectScript('ΣΤΡ'), 'Grek');
  });

  it('says mixed for several scripts and null when nothing tells', () => {
    assert.equal(detectScript('ZU-23 Завод'), 'mixed');
    assert.equal(detectScript('1985 / 12'), null);
    assert.equal(detectScript('???'), null);
  });
});

describe('deriveLegibility', () => {
  it('reads question marks as unread characters', () => {
    assert.equal(deriveLegibility('12345'), 'legible');
    assert.equal(deriveLegibility('12?45'), 'partial');
    assert.equal(deriveLegibility('??-??'), 'illegible');
    assert.equal(deriveLegibility('?'), 'illegible');
  });
});
