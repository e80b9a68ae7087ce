import type { ReactNode } from 'react';

/** One column of a {@link DataTable}: its header and how a row fills its cell. */
export interface DataColumn<Row> {
  /** Unique within the table (React's key for the header and the cells). */
  key: string;
  header: ReactNode;
  /** Figures: right-aligned, in the user's digits. */
  numeric?: boolean;
  cell: (row: Row) => ReactNode;
  /** When the table is sorted by this column: said to assistive technology on its header. */
  sorted?: 'ascending' | 'descending' | undefined;
}

/**
 * A table of rows under column headers, the first column naming each row
 * (a row header, so that screen readers announce it with every cell).
 *
 * @example
 * <DataTable
 *   caption="Items by category"
 *   rows={rows}
 *   rowKey={(row) => row.category}
 *   columns={[
 *     { key: 'category', header: 'Category', cell: (row) => row.label },
 *     { key: 'items', header: 'Items', numeric: true, cell: (row) => format(row.items) },
 *   ]}
 * />
 */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
}: {
  caption?: ReactNode;
  columns: readonly DataColumn<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
}) {
  const [first, ...rest] = columns;
  return (
    <table>
      {caption !== undefined && <caption>{caption}</caption>}
      <thead>
        <tr>
          {columns.map((column) => (
            <th
              key={column.key}
              scope="col"
              className={column.numeric === true ? 'numeric' : undefined}
              aria-sort={column.sorted}
            >
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {first !== undefined && <th scope="row">{first.cell(row)}</th>}
            {rest.map((column) => (
              <td key={column.key} className={column.numeric === true ? 'numeric' : undefined}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
