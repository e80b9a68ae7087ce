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
    const once = toggle(emptySelection, 'b');
    assert.deepEqual([...once.ids], ['b']);
    assert.equal(once.anchor, 'b');
    assert.deepEqual([...toggle(once, 'b').ids], []);
  });

  it('selects a range from the anchor in either direction, in the list order', () => {
    const down = selectRange(toggle(emptySelection, 'b'), 'd', order);
    assert.deepEqual([...down.ids].sort(), ['b', 'c', 'd']);
    const up = selectRange(toggle(emptySelection, 'e'), 'c', order);
    assert.deepEqual([...up.ids].sort(), ['c', 'd', 'e']);
  });

  it('a range from a deselected anchor deselects', () => {
    const all = setMany(emptySelection, order, true);
    const cleared = selectRange(toggle(all, 'b'), 'd', order);
    assert.deepEqual([...cleared.ids].sort(), ['a', 'e']);
  });

  it('a range with no anchor is a toggle', () => {
    assert.deepEqual([...selectRange(emptySelection, 'c', order).ids], ['c']);
  });

  it('"all matching" counts the filter’s items; unticking leaves items out and keeps it "all matching"', () => {
    const all = selectAllMatching(toggle(emptySelection, 'a'));
    assert.equal(selectedCount(all, 120), 120);
    assert.ok(isSelected(all, 'zzz'));
    const lessOne = toggle(all, 'c');
    assert.equal(lessOne.allMatching, true);
    assert.deepEqual([...lessOne.excluded], ['c']);
    assert.equal(isSelected(lessOne, 'c'), false);
    assert.ok(isSelected(lessOne, 'zzz'));
    assert.equal(selectedCount(lessOne, 120), 119);
    assert.equal(selectedCount(toggle(lessOne, 'c'), 120), 120);
  });

  it('a page or a range unticked under "all matching" is left out, ticked again taken back', () => {
    const all = selectAllMatching(emptySelection);
    const pageOut = setMany(all, ['a', 'b'], false);
    assert.equal(selectedCount(pageOut, 50), 48);
    const rangeOut = selectRange(toggle(all, 'b'), 'd', order);
    assert.deepEqual([...rangeOut.excluded].sort(), ['b', 'c', 'd']);
    assert.equal(selectedCount(setMany(rangeOut, order, true), 50), 50);
  });
});
