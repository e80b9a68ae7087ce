import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCount } from './casualties';

describe('readCount (casualty counts as typed)', () => {
  it('reads whole numbers in any script’s digits', () => {
    assert.deepEqual(readCount('٣'), { ok: true, value: 3 });
    assert.deepEqual(readCount('١٢'), { ok: true, value: 12 });
    assert.deepEqual(readCount('۱۴'), { ok: true, value: 14 });
    assert.deepEqual(readCount(' 0 '), { ok: true, value: 0 });
  });
  it('takes an empty field as "not recorded"', () => {
    assert.deepEqual(readCount(''), { ok: true, value: null });
    assert.deepEqual(readCount('   '), { ok: true, value: null });
  });
  it('refuses what is not a whole number of zero or more, never rounding or guessing', () => {
    for (const text of ['2.5', '٢٫٥', '-1', 'about 12', '12+', '1,500']) {
      assert.deepEqual(readCount(text), { ok: false }, text);
    }
  });
});
