import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createValueMatcher, normalizeForMatching } from './controlled-values.js';

describe('controlled values', () => {
  it('normalises case, accents, Arabic diacritics and letter forms, separators', () => {
    assert.equal(normalizeForMatching('  Mortar-Bomb '), 'mortar bomb');
    assert.equal(normalizeForMatching('lot/batch'), normalizeForMatching('Lot / Batch'));
    assert.equal(normalizeForMatching('Catégorie'), 'categorie');
    assert.equal(normalizeForMatching('Lieu d’incident'), 'lieu d incident');
    assert.equal(normalizeForMatching('الفئة'), normalizeForMatching('فئه'));
    assert.equal(normalizeForMatching('قَذِيفَة هاون'), normalizeForMatching('قذيفة هاون'));
    assert.equal(normalizeForMatching('أداة'), normalizeForMatching('اداه'));
  });

  const kinds = createValueMatcher([
    { code: 'serial', names: ['Serial number', 'Numéro de série', 'رقم تسلسلي', 's/n'] },
    { code: 'lot', names: ['Lot', 'دفعة', 'lot/batch', 'batch'] },
    { code: 'other', names: ['Other', 'Autre', 'shared'] },
    { code: 'model', names: ['Model', 'shared'] },
  ]);

  it('matches the code, a label in any language or a synonym', () => {
    assert.equal(kinds.match('serial'), 'serial');
    assert.equal(kinds.match('SERIAL NUMBER'), 'serial');
    assert.equal(kinds.match('numero de serie'), 'serial');
    assert.equal(kinds.match('رقم تسلسلي'), 'serial');
    assert.equal(kinds.match('S/N'), 'serial');
    assert.equal(kinds.match('LOT-BATCH'), 'lot');
    assert.equal(kinds.match('serialnumber'), 'serial');
  });

  it('matches nothing that is unknown or ambiguous, and suggests the closest', () => {
    assert.equal(kinds.match('serail'), null);
    assert.equal(kinds.match(''), null);
    assert.equal(kinds.match('shared'), null);
    assert.deepEqual(kinds.suggest('serail', 1), ['serial']);
    assert.equal(kinds.suggest('batches')[0], 'lot');
  });
});
