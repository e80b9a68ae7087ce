import type { ReactNode } from 'react';
import type { ServerList } from './serverList';
import { PageNav, SortHeader, SortMenu } from './ServerListParts';

/** One column of a {@link RegisterTable}: its header, how a row fills its cell and, if sortable, its server sort key. */
export interface RegisterColumn<Row, Key extends string> {
  key: string;
  header: string;
  numeric?: boolean;
  /** The list's `sort` value for this column; the server orders the rows (ties by id). */
  sortKey?: Key;
  cell: (row: Row) => ReactNode;
}

/**
 * One page of a register (actors, sources, incidents) under column headers that sort it on the server, with a
 * sort menu for phones and previous/next under it. The first column names each row (a row header).
 *
 * @example
 * <RegisterTable caption={t('actors.title')} list={list} rowKey={(a) => a.id} sortLabels={{ name: t('actors.name') }}
 *   columns={[{ key: 'name', header: t('actors.name'), sortKey: 'name', cell: (a) => a.name }]} />
 */
export function RegisterTable<Row, Key extends string>({
  caption,
  columns,
  list,
  rows,
  rowKey,
  sortLabels,
}: {
  caption: string;
  columns: readonly RegisterColumn<Row, Key>[];
  list: ServerList<Row, Key>;
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** The menu's choices: every sort key with its label (the created order included). */
  sortLabels: Record<Key, string>;
}) {
  const [first, ...rest] = columns;
  const cellClass = (column: RegisterColumn<Row, Key>) => (column.numeric === true ? 'numeric' : undefined);

  return (
    <>
      <div className="list-controls">
        <SortMenu list={list} labels={sortLabels} />
      </div>
      <div className="table-wrap">
        <table aria-busy={list.loading}>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) =>
                column.sortKey === undefined ? (
                  <th key={column.key} scope="col" className={cellClass(column)}>
                    {column.header}
                  </th>
                ) : (
                  <SortHeader
                    key={column.key}
                    list={list}
                    sortKey={column.sortKey}
                    label={column.header}
                    className={cellClass(column)}
                  />
                ),
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
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
      <PageNav list={list} caption={caption} />
    </>
  );
}
