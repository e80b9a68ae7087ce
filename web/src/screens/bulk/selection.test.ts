import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  emptySelection,
  isSelected,
  selectAllMatching,
  selectedCount,
  selectRange,
  setMany,
  toggle,
} from './selection';

const order = ['a', 'b', 'c', 'd', 'e'];

describe('inventory selection', () => {
  it('toggles one item and makes it the anchor', () => {
    const once = toggle(emptySelection, 'b', order);
    assert.deepEqual([...once.ids], ['b']);
    assert.equal(once.anchor, 'b');
    assert.deepEqual([...toggle(once, 'b', order).ids], []);
  });

  it('selects a range from the anchor in either direction, in the list order', () => {
    const down = selectRange(toggle(emptySelection, 'b', order), 'd', order);
    assert.deepEqual([...down.ids].sort(), ['b', 'c', 'd']);
    const up = selectRange(toggle(emptySelection, 'e', order), 'c', order);
    assert.deepEqual([...up.ids].sort(), ['c', 'd', 'e']);
  });

  it('a range from a deselected anchor deselects', () => {
    const all = setMany(emptySelection, order, true, order);
    const cleared = selectRange(toggle(all, 'b', order), 'd', order);
    assert.deepEqual([...cleared.ids].sort(), ['a', 'e']);
  });

  it('a range with no anchor is a toggle', () => {
    assert.deepEqual([...selectRange(emptySelection, 'c', order).ids], ['c']);
  });

  it('"all matching" counts the filter’s items; leaving one out turns it into ids', () => {
    const all = selectAllMatching(toggle(emptySelection, 'a', order));
    assert.equal(selectedCount(all, 120), 120);
    assert.ok(isSelected(all, 'zzz'));
    const lessOne = toggle(all, 'c', order);
    assert.equal(lessOne.allMatching, false);
    assert.deepEqual([...lessOne.ids].sort(), ['a', 'b', 'd', 'e']);
  });
});
