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
