import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sortRows } from './sortRows';

describe('sortRows', () => {
  const rows = [
    { name: 'Завод 10', count: 12 },
    { name: 'Factory 9', count: null },
    { name: 'factory 10', count: 3 },
    { name: 'مصنع ٢', count: 100 },
  ];
  it('sorts text by the locale’s collation, numeric parts as numbers, in either direction', () => {
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    const names = sortRows(rows, (row) => row.name, true, collator).map((row) => row.name);
    assert.deepEqual(names.slice(0, 2), ['Factory 9', 'factory 10']);
    assert.deepEqual(
      sortRows(rows, (row) => row.name, false, collator).map((row) => row.name),
      [...names].reverse(),
    );
  });
  it('sorts numbers as numbers and puts missing values last both ways', () => {
    const collator = new Intl.Collator('ar');
    assert.deepEqual(
      sortRows(rows, (row) => row.count, true, collator).map((row) => row.count),
      [3, 12, 100, null],
    );
    assert.deepEqual(
      sortRows(rows, (row) => row.count, false, collator).map((row) => row.count),
      [100, 12, 3, null],
    );
  });
  it('leaves the rows it was given untouched', () => {
    const before = rows.map((row) => row.name);
    sortRows(rows, (row) => row.name, true, new Intl.Collator('fr'));
    assert.deepEqual(
      rows.map((row) => row.name),
      before,
    );
  });
});
