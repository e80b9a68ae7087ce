import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { api, call } from '../../api/client';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { BulkActionBar, type BulkFilter } from './BulkActionBar';
import {
  emptySelection,
  isSelected,
  selectAllMatching,
  selectedCount,
  selectRange,
  setMany,
  toggle,
  type Selection,
} from './selection';

/**
 * Selection of inventory rows for a bulk action: a click (or Space) toggles a row, a shift-click (or Shift+Space)
 * selects the range from the last row toggled, the header box the page, and "select all N matching" every item
 * of the filter across pages; unticking rows then leaves them out of "all matching" (sent to the server as the
 * filter and the ids left out). Cleared when the filter changes. `canAct` is false for viewers, who get no boxes.
 * `order` is the rows shown (shift-click ranges run over them); `matching` is how many items match the filter on
 * every page, as the server counts them.
 */
export function useInventorySelection(
  investigationId: string,
  order: readonly string[],
  filter: BulkFilter,
  matching: number = order.length,
) {
  const investigation = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}', { params: { path: { id: investigationId } } })),
    [investigationId],
  );
  const role = investigation.data?.my_role;
  const canAct = role !== undefined && role !== 'viewer' && investigation.data?.archived_at === null;
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const filterKey = JSON.stringify(filter);
  useEffect(() => setSelection(emptySelection), [filterKey]);

  // Space on a box clicks it; whether Shift was held is remembered from the key press, as a keyboard click may
  // not carry it.
  const shiftWithSpace = useRef(false);
  const onRowClick = (id: string) => (event: MouseEvent<HTMLInputElement>) => {
    const shift = event.shiftKey || (event.detail === 0 && shiftWithSpace.current);
    shiftWithSpace.current = false;
    setSelection((current) => (shift ? selectRange(current, id, order) : toggle(current, id)));
  };
  const onRowKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === ' ') shiftWithSpace.current = event.shiftKey;
  };
  return {
    canAct,
    selection,
    count: selectedCount(selection, matching),
    isSelected: (id: string) => isSelected(selection, id),
    onRowClick,
    onRowKey,
    setPage: (pageIds: readonly string[], selected: boolean) =>
      setSelection((current) => setMany(current, pageIds, selected)),
    selectAllMatching: () => setSelection((current) => selectAllMatching(current)),
    clear: () => setSelection(emptySelection),
  };
}

export type InventorySelection = ReturnType<typeof useInventorySelection>;

/** The header box: every row of the page shown. */
export function PageCheckbox({ selection, pageIds }: { selection: InventorySelection; pageIds: readonly string[] }) {
  const { t } = useI18n();
  const all = pageIds.length > 0 && pageIds.every((id) => selection.isSelected(id));
  return (
    <input
      type="checkbox"
      aria-label={t('bulk.selectPage')}
      checked={all}
      onChange={() => selection.setPage(pageIds, !all)}
    />
  );
}

/** How many are selected, "select all N matching", and the action bar once something is selected. */
export function SelectionSummary({
  investigationId,
  selection,
  matching,
  filter,
  onDone,
}: {
  investigationId: string;
  selection: InventorySelection;
  matching: number;
  filter: BulkFilter;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [done, setDone] = useState<{ changed: number; unchanged: number } | undefined>(undefined);
  if (!selection.canAct) return null;
  const { count } = selection;
  return (
    <>
      {done !== undefined && (
        <p className="notice notice-success" role="status">
          {t('bulk.done', { count: done.changed })}
          {done.unchanged > 0 && ` ${t('bulk.alreadyDone', { count: done.unchanged })}`}
        </p>
      )}
      <div className="actions selection-summary">
        <span aria-live="polite">{t('bulk.selected', { count })}</span>
        {matching > count && (
          <button type="button" onClick={selection.selectAllMatching}>
            {t('bulk.selectAllMatching', { count: matching })}
          </button>
        )}
        {count > 0 && (
          <button type="button" onClick={selection.clear}>
            {t('bulk.clear')}
          </button>
        )}
      </div>
      {count > 0 && (
        <BulkActionBar
          investigationId={investigationId}
          target={
            selection.selection.allMatching
              ? { filter, excludedIds: [...selection.selection.excluded], count }
              : { itemIds: [...selection.selection.ids] }
          }
          count={count}
          onStart={() => setDone(undefined)}
          onDone={(result) => {
            setDone({ changed: result.changed_item_ids.length, unchanged: result.unchanged_item_ids.length });
            selection.clear();
            onDone();
          }}
        />
      )}
    </>
  );
}
