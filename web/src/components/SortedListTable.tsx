import type { ReactNode } from 'react';
import { PageNav, SortHeader, SortMenu } from './ServerListParts';
import type { ServerList } from './serverList';
import { Field } from './ui';

/** A column of a {@link SortedListTable}: sortable by the server when it names a sort key. */
export type SortedColumn<Key extends string> = { label: string; sortKey?: Key };

/**
 * A list read from the server a page at a time, as a table: the filter box and the sort menu above it (on a phone
 * the headers scroll out of sight, the menu does not), sortable column headers, the rows given as children, and
 * the page navigation below. One shape for the members, users and API tokens lists.
 *
 * @example
 * <SortedListTable list={members} caption={t('people.members')}
 *   filter={{ label: t('people.filterMembers'), value: filter, onChange: setFilter }}
 *   sortLabels={labels} columns={[{ sortKey: 'username', label: labels.username }, { label: t('people.actions') }]}>
 *   {rows.map((member) => <MemberRow key={member.id} member={member} />)}
 * </SortedListTable>
 */
export function SortedListTable<Row, Key extends string>({
  list,
  caption,
  filter,
  sortLabels,
  columns,
  children,
}: {
  list: ServerList<Row, Key>;
  /** Names the table (for screen readers) and its page navigation. */
  caption: string;
  filter: { label: string; value: string; onChange: (value: string) => void };
  sortLabels: Record<Key, string>;
  columns: readonly SortedColumn<Key>[];
  /** The table's rows (`<tr>` elements). */
  children: ReactNode;
}) {
  return (
    <>
      <div className="filters" role="search" aria-label={filter.label}>
        <Field label={filter.label}>
          {(control) => (
            <input
              {...control}
              type="search"
              dir="auto"
              value={filter.value}
              onChange={(event) => filter.onChange(event.target.value)}
            />
          )}
        </Field>
        <SortMenu list={list} labels={sortLabels} />
      </div>
      <div className="table-wrap">
        <table aria-busy={list.loading}>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) =>
                column.sortKey === undefined ? (
                  <th key={column.label} scope="col">
                    {column.label}
                  </th>
                ) : (
                  <SortHeader key={column.sortKey} list={list} sortKey={column.sortKey} label={column.label} />
                ),
              )}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
      <PageNav list={list} caption={caption} />
    </>
  );
}
