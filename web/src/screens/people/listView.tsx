import { useMemo, useState, type ReactNode } from 'react';
import { Field } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';

export interface ListView<Row> {
  filter: string;
  setFilter: (text: string) => void;
  sort: { key: string; ascending: boolean };
  toggleSort: (key: string) => void;
  page: number;
  setPage: (page: number) => void;
  pageCount: number;
  /** The rows of the current page, filtered and sorted. */
  shown: Row[];
  /** How many rows the filter keeps. */
  total: number;
}

/**
 * Filtering (text contained in what `text` says of a row, ignoring case), sorting (by the comparators named in
 * `sorters`) and paging of a list held in full by the page: people lists are short (members, users, tokens,
 * sessions), so they are read whole and arranged here.
 *
 * @example
 * const view = useListView(members, { text: (m) => m.username, sorters: { username: byText((m) => m.username) }, initialSort: 'username' });
 */
export function useListView<Row>(
  rows: readonly Row[] | undefined,
  options: {
    text: (row: Row) => string;
    sorters: Record<string, (a: Row, b: Row) => number>;
    initialSort: string;
    initialAscending?: boolean;
    pageSize?: number;
  },
): ListView<Row> {
  const { text, sorters, initialSort, initialAscending = true, pageSize = 20 } = options;
  const [filter, setFilterText] = useState('');
  const [sort, setSort] = useState({ key: initialSort, ascending: initialAscending });
  const [page, setPage] = useState(0);
  const arranged = useMemo(() => {
    const needle = filter.trim().toLocaleLowerCase();
    const kept = (rows ?? []).filter((row) => needle === '' || text(row).toLocaleLowerCase().includes(needle));
    const compare = sorters[sort.key];
    if (compare !== undefined) kept.sort((a, b) => (sort.ascending ? compare(a, b) : compare(b, a)));
    return kept;
    // The callers pass inline functions; the rows, the filter and the sort decide the result.
  }, [rows, filter, sort]);
  const pageCount = Math.max(1, Math.ceil(arranged.length / pageSize));
  const current = Math.min(page, pageCount - 1);
  return {
    filter,
    setFilter: (value) => {
      setFilterText(value);
      setPage(0);
    },
    sort,
    toggleSort: (key) => {
      setSort((previous) => ({ key, ascending: previous.key === key ? !previous.ascending : true }));
      setPage(0);
    },
    page: current,
    setPage,
    pageCount,
    shown: arranged.slice(current * pageSize, (current + 1) * pageSize),
    total: arranged.length,
  };
}

/** A comparator by text in the user's language's order. */
export function byText<Row>(of: (row: Row) => string | null | undefined): (a: Row, b: Row) => number {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return (a, b) => collator.compare(of(a) ?? '', of(b) ?? '');
}

/** A column header that sorts the list, saying which way it is sorted. */
export function SortHeader<Row>({
  view,
  sortKey,
  children,
}: {
  view: ListView<Row>;
  sortKey: string;
  children: ReactNode;
}) {
  const active = view.sort.key === sortKey;
  return (
    <th scope="col" aria-sort={active ? (view.sort.ascending ? 'ascending' : 'descending') : undefined}>
      <button type="button" className="sort-button" onClick={() => view.toggleSort(sortKey)}>
        {children}
        <span aria-hidden="true" className="sort-indicator">
          {active ? (view.sort.ascending ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );
}

/** The text filter of a list. */
export function ListFilter<Row>({ view, label }: { view: ListView<Row>; label: string }) {
  return (
    <div className="filters" role="search" aria-label={label}>
      <Field label={label}>
        {(control) => (
          <input
            {...control}
            type="search"
            dir="auto"
            value={view.filter}
            onChange={(event) => view.setFilter(event.target.value)}
          />
        )}
      </Field>
    </div>
  );
}

/** Previous and next page, and where the list stands. */
export function Pager<Row>({ view, label }: { view: ListView<Row>; label: string }) {
  const { t } = useI18n();
  if (view.pageCount <= 1) return null;
  return (
    <nav className="pagination" aria-label={label}>
      <button type="button" disabled={view.page === 0} onClick={() => view.setPage(view.page - 1)}>
        {t('inventory.previous')}
      </button>
      <span aria-live="polite">{t('people.pageOf', { page: view.page + 1, pages: view.pageCount })}</span>
      <button type="button" disabled={view.page >= view.pageCount - 1} onClick={() => view.setPage(view.page + 1)}>
        {t('inventory.next')}
      </button>
    </nav>
  );
}
