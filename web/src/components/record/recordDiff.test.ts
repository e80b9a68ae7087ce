import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changedFields, differingKeys, sameValue, valueText } from './recordDiff';

describe('record differences', () => {
  it('compares values as JSON, object keys in any order, undefined as nothing', () => {
    assert.equal(sameValue({ en: 'a', ar: 'ب' }, { ar: 'ب', en: 'a' }), true);
    assert.equal(sameValue(36.5, 36.5), true);
    assert.equal(sameValue(undefined, null), true);
    assert.equal(sameValue('1', 1), false);
    assert.equal(sameValue({ en: 'a' }, { en: 'a', fr: 'b' }), false);
  });

  it('marks only the edited fields that differ from the current record', () => {
    const fields = [
      { key: 'name', label: 'Name' },
      { key: 'latitude', label: 'Latitude' },
      { key: 'context', label: 'Context' },
    ];
    const mine = { name: 'Mosul', latitude: 36.35 };
    const current = { name: 'Mosul west', latitude: 36.35, context: 'changed elsewhere' };
    assert.deepEqual(differingKeys(fields, mine, current), ['name']);
  });

  it('shows values as plain text', () => {
    assert.equal(valueText(null), '');
    assert.equal(valueText('الموصل'), 'الموصل');
    assert.equal(valueText(12.5), '12.5');
    assert.equal(valueText(false), 'false');
    assert.equal(valueText({ ar: 'الموصل', fr: 'Mossoul' }), 'ar: الموصل, fr: Mossoul');
    assert.equal(valueText(['a', 'b']), 'a, b');
  });

  it('lists the fields an audited change altered, bookkeeping left out', () => {
    const before = { id: 'x', name: 'a', precision_m: 10, version: 1, updated_at: 't1', archive_reason: null };
    const after = { id: 'x', name: 'b', precision_m: 10, version: 2, updated_at: 't2', archive_reason: 'duplicate' };
    assert.deepEqual(changedFields(before, after), [
      { key: 'name', before: 'a', after: 'b' },
      { key: 'archive_reason', before: null, after: 'duplicate' },
    ]);
    assert.deepEqual(changedFields(null, after), []);
    assert.deepEqual(changedFields('text', after), []);
  });
});
