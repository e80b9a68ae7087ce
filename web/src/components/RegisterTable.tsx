import { useMemo, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

/** One column of a {@link RegisterTable}: its header, how a row fills its cell and, if sortable, what it sorts by. */
export interface RegisterColumn<Row> {
  key: string;
  header: string;
  numeric?: boolean;
  /** Text is compared in the user's language (numeric parts as numbers); numbers as numbers; null sorts last. */
  sortValue?: (row: Row) => string | number | null;
  cell: (row: Row) => ReactNode;
}

export interface SortState {
  key: string;
  ascending: boolean;
}

/**
 * Sorts rows by one column's value: text by the locale's collation, numbers numerically, missing values last in
 * either direction (a blank is never "smallest").
 *
 * @example
 * sortRows(rows, (row) => row.name, true, new Intl.Collator('ar'))
 */
export function sortRows<Row>(
  rows: readonly Row[],
  value: (row: Row) => string | number | null,
  ascending: boolean,
  collator: Intl.Collator,
): Row[] {
  return [...rows].sort((a, b) => {
    const first = value(a);
    const second = value(b);
    if (first === null || second === null) return first === second ? 0 : first === null ? 1 : -1;
    const order =
      typeof first === 'number' && typeof second === 'number'
        ? first - second
        : collator.compare(String(first), String(second));
    return ascending ? order : -order;
  });
}

/**
 * A register's rows (actors, sources, incidents) under sortable column headers, a page at a time. The first column
 * names each row (a row header). The caller loads and filters the rows; sorting covers all of them.
 *
 * @example
 * <RegisterTable caption={t('actors.caption')} rows={actors} rowKey={(a) => a.id}
 *   columns={[{ key: 'name', header: t('actors.name'), sortValue: (a) => a.name, cell: (a) => a.name }]} />
 */
export function RegisterTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  initialSort,
  pageSize = 25,
}: {
  caption: string;
  columns: readonly RegisterColumn<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  initialSort?: SortState;
  pageSize?: number;
}) {
  const { t, locale } = useI18n();
  const [sort, setSort] = useState<SortState | undefined>(initialSort);
  const [page, setPage] = useState(0);
  const collator = useMemo(() => new Intl.Collator(locale, { numeric: true, sensitivity: 'base' }), [locale]);
  const sorted = useMemo(() => {
    const column = columns.find((candidate) => candidate.key === sort?.key);
    if (column?.sortValue === undefined || sort === undefined) return [...rows];
    return sortRows(rows, column.sortValue, sort.ascending, collator);
  }, [rows, columns, sort, collator]);

  const pageCount = Math.max(1, Math.ceil(sorted.length / pageSize));
  const currentPage = Math.min(page, pageCount - 1);
  const shown = sorted.slice(currentPage * pageSize, (currentPage + 1) * pageSize);
  const [first, ...rest] = columns;
  const cellClass = (column: RegisterColumn<Row>) => (column.numeric === true ? 'numeric' : undefined);

  return (
    <>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th
                  key={column.key}
                  scope="col"
                  className={cellClass(column)}
                  aria-sort={sort?.key === column.key ? (sort.ascending ? 'ascending' : 'descending') : undefined}
                >
                  {column.sortValue === undefined ? (
                    column.header
                  ) : (
                    <button
                      type="button"
                      className="sort-button"
                      onClick={() => {
                        setSort((previous) => ({
                          key: column.key,
                          ascending: previous?.key === column.key ? !previous.ascending : true,
                        }));
                        setPage(0);
                      }}
                    >
                      {column.header}
                      <span aria-hidden="true" className="sort-indicator">
                        {sort?.key === column.key ? (sort.ascending ? '▲' : '▼') : ''}
                      </span>
                    </button>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={rowKey(row)}>
                {first !== undefined && (
                  <th scope="row" className={cellClass(first)}>
                    {first.cell(row)}
                  </th>
                )}
                {rest.map((column) => (
                  <td key={column.key} className={cellClass(column)}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pagination" aria-label={t('register.pagination', { caption })}>
        <button type="button" disabled={currentPage === 0} onClick={() => setPage(currentPage - 1)}>
          {t('inventory.previous')}
        </button>
        <span aria-live="polite">
          {t('register.pageOf', { page: currentPage + 1, pages: pageCount, count: sorted.length })}
        </span>
        <button type="button" disabled={currentPage >= pageCount - 1} onClick={() => setPage(currentPage + 1)}>
          {t('inventory.next')}
        </button>
      </nav>
    </>
  );
}
