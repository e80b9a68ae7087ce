import { useI18n } from '../i18n/i18n';
import { Field } from './ui';
import type { ServerList, ServerSort } from './serverList';

type Pager = Pick<ServerList<unknown, string>, 'pageNumber' | 'hasPrevious' | 'hasNext' | 'previous' | 'next'> & {
  rows: readonly unknown[] | undefined;
};

/** A column header that sorts the list on the server by `sortKey` (a click turns the order round). */
export function SortHeader<Key extends string>({
  list,
  sortKey,
  label,
  className,
}: {
  list: { sort: ServerSort<Key>; toggleSort: (key: Key) => void };
  sortKey: Key;
  label: string;
  className?: string | undefined;
}) {
  const active = list.sort.key === sortKey;
  return (
    <th
      scope="col"
      className={className}
      aria-sort={active ? (list.sort.order === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      <button type="button" className="sort-button" onClick={() => list.toggleSort(sortKey)}>
        {label}
        <span aria-hidden="true" className="sort-indicator">
          {active ? (list.sort.order === 'asc' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );
}

/**
 * The same sort as the column headers, as one menu: on a phone the headers scroll out of sight, the menu does not.
 *
 * @example
 * <SortMenu list={list} labels={{ name: t('actors.name'), created: t('list.created') }} />
 */
export function SortMenu<Key extends string>({
  list,
  labels,
}: {
  list: { sort: ServerSort<Key>; setSort: (sort: ServerSort<Key>) => void };
  labels: Record<Key, string>;
}) {
  const { t } = useI18n();
  return (
    <Field label={t('list.sortBy')}>
      {(control) => (
        <select
          {...control}
          className="sort-menu"
          value={`${list.sort.key}:${list.sort.order}`}
          onChange={(event) => {
            const [key, order] = event.target.value.split(':') as [Key, string];
            list.setSort({ key, order: order === 'desc' ? 'desc' : 'asc' });
          }}
        >
          {(Object.keys(labels) as Key[]).flatMap((key) =>
            (['asc', 'desc'] as const).map((order) => (
              <option key={`${key}:${order}`} value={`${key}:${order}`}>
                {t(order === 'asc' ? 'list.ascending' : 'list.descending', { column: labels[key] })}
              </option>
            )),
          )}
        </select>
      )}
    </Field>
  );
}

/** "Previous" and "next" under a list read a page at a time, with the page number and the rows it shows. */
export function PageNav({ list, caption }: { list: Pager; caption: string }) {
  const { t } = useI18n();
  return (
    <nav className="pagination" aria-label={t('register.pagination', { caption })}>
      <button type="button" disabled={!list.hasPrevious} onClick={list.previous}>
        {t('inventory.previous')}
      </button>
      <span aria-live="polite">{t('list.pageShown', { page: list.pageNumber, count: list.rows?.length ?? 0 })}</span>
      <button type="button" disabled={!list.hasNext} onClick={list.next}>
        {t('inventory.next')}
      </button>
    </nav>
  );
}
