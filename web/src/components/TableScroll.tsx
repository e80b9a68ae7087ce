import type { ReactNode } from 'react';

/**
 * A wide table's horizontal scroll box (at 360 px most tables are wider than the screen). It can take the keyboard
 * focus, so the table can be scrolled with the arrow keys even when it holds no link or button, and it is a named
 * region so a screen reader says what is being scrolled.
 *
 * @example
 * <TableScroll label={t('item.markings')}><table>…</table></TableScroll>
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // A focusable scroll container is the WCAG-recommended way to make overflow reachable by keyboard.
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
