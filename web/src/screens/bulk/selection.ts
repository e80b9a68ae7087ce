/**
 * Which items of a list are selected for a bulk action: some by id (`ids`), or every item matching the list's
 * filter across all its pages except those left out (`allMatching` with `excluded`). `anchor` is the last item
 * clicked, where a shift-click range starts.
 */
export interface Selection {
  ids: ReadonlySet<string>;
  excluded: ReadonlySet<string>;
  anchor: string | undefined;
  allMatching: boolean;
}

export const emptySelection: Selection = {
  ids: new Set(),
  excluded: new Set(),
  anchor: undefined,
  allMatching: false,
};

export function isSelected(selection: Selection, id: string): boolean {
  return selection.allMatching ? !selection.excluded.has(id) : selection.ids.has(id);
}

/**
 * The same selection with each of `changes` selected or not: by id, or (all matching) by leaving it out of or
 * taking it back into the exceptions. "All matching" stays "all matching" whatever is unticked.
 */
function withChanges(
  selection: Selection,
  changes: Iterable<readonly [string, boolean]>,
  anchor: string | undefined,
): Selection {
  const ids = new Set(selection.ids);
  const excluded = new Set(selection.excluded);
  for (const [id, selected] of changes) {
    if (selection.allMatching) {
      if (selected) excluded.delete(id);
      else excluded.add(id);
    } else if (selected) ids.add(id);
    else ids.delete(id);
  }
  return { ids, excluded, anchor, allMatching: selection.allMatching };
}

/**
 * Selects or deselects one item; it becomes the anchor of the next range.
 *
 * @example
 * toggle(emptySelection, 'b').ids // Set { 'b' }
 */
export function toggle(selection: Selection, id: string): Selection {
  return withChanges(selection, [[id, !isSelected(selection, id)]], id);
}

/**
 * Shift-click or Shift+Space: every item from the anchor to this one (in the list's current order) takes the
 * anchor's state; with no anchor it is a plain toggle.
 *
 * @example
 * selectRange(toggle(emptySelection, 'a'), 'c', ['a', 'b', 'c']).ids // Set { 'a', 'b', 'c' }
 */
export function selectRange(selection: Selection, id: string, order: readonly string[]): Selection {
  const from = selection.anchor === undefined ? -1 : order.indexOf(selection.anchor);
  const to = order.indexOf(id);
  if (from < 0 || to < 0) return toggle(selection, id);
  const select = isSelected(selection, selection.anchor!);
  const range = order.slice(Math.min(from, to), Math.max(from, to) + 1);
  return withChanges(
    selection,
    range.map((rangeId) => [rangeId, select] as const),
    id,
  );
}

/** Selects (or deselects) every item of the page shown. */
export function setMany(selection: Selection, pageIds: readonly string[], selected: boolean): Selection {
  return withChanges(
    selection,
    pageIds.map((id) => [id, selected] as const),
    selection.anchor,
  );
}

/** Every item matching the filter, on every page, none left out. */
export function selectAllMatching(selection: Selection): Selection {
  return { ids: new Set(), excluded: new Set(), anchor: selection.anchor, allMatching: true };
}

/**
 * How many items the selection stands for, given how many match the filter (the items left out were all shown
 * as matching, so each counts once).
 */
export function selectedCount(selection: Selection, matching: number): number {
  return selection.allMatching ? Math.max(0, matching - selection.excluded.size) : selection.ids.size;
}
