/**
 * Which items of a list are selected for a bulk action: some by id, or every item matching the list's filter
 * (across all its pages). `anchor` is the last item clicked, where a shift-click range starts.
 */
export interface Selection {
  ids: ReadonlySet<string>;
  anchor: string | undefined;
  allMatching: boolean;
}

export const emptySelection: Selection = { ids: new Set(), anchor: undefined, allMatching: false };

export function isSelected(selection: Selection, id: string): boolean {
  return selection.allMatching || selection.ids.has(id);
}

/** "Every matching item" turned into the ids it stands for, so that one of them can be left out. */
function materialise(selection: Selection, order: readonly string[]): Set<string> {
  return selection.allMatching ? new Set(order) : new Set(selection.ids);
}

/**
 * Selects or deselects one item; it becomes the anchor of the next range.
 *
 * @example
 * toggle(emptySelection, 'b', ['a', 'b', 'c']).ids // Set { 'b' }
 */
export function toggle(selection: Selection, id: string, order: readonly string[]): Selection {
  const ids = materialise(selection, order);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: id, allMatching: false };
}

/**
 * Shift-click or Shift+Space: every item from the anchor to this one (in the list's current order) takes the
 * anchor's state; with no anchor it is a plain toggle.
 *
 * @example
 * selectRange(toggle(emptySelection, 'a', order), 'c', order).ids // Set { 'a', 'b', 'c' }
 */
export function selectRange(selection: Selection, id: string, order: readonly string[]): Selection {
  const from = selection.anchor === undefined ? -1 : order.indexOf(selection.anchor);
  const to = order.indexOf(id);
  if (from < 0 || to < 0) return toggle(selection, id, order);
  const ids = materialise(selection, order);
  const select = ids.has(selection.anchor!);
  for (const rangeId of order.slice(Math.min(from, to), Math.max(from, to) + 1)) {
    if (select) ids.add(rangeId);
    else ids.delete(rangeId);
  }
  return { ids, anchor: id, allMatching: false };
}

/** Selects (or deselects) every item of the page shown. */
export function setMany(
  selection: Selection,
  pageIds: readonly string[],
  selected: boolean,
  order: readonly string[],
): Selection {
  const ids = materialise(selection, order);
  for (const id of pageIds) {
    if (selected) ids.add(id);
    else ids.delete(id);
  }
  return { ids, anchor: selection.anchor, allMatching: false };
}

/** Every item matching the filter, on every page. */
export function selectAllMatching(selection: Selection): Selection {
  return { ids: new Set(), anchor: selection.anchor, allMatching: true };
}

/** How many items the selection stands for, given how many match the filter. */
export function selectedCount(selection: Selection, matching: number): number {
  return selection.allMatching ? matching : selection.ids.size;
}
