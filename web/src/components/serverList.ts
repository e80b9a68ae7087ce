import { useState, type DependencyList } from 'react';
import { useLoad } from '../hooks';
import { navigate, useLocation } from '../router';

export type SortOrder = 'asc' | 'desc';

export interface ServerSort<Key extends string> {
  key: Key;
  order: SortOrder;
}

export interface ServerPage<Row> {
  items: Row[];
  next_after: string | null;
}

/** One page of a list sorted and paginated by the server, with the controls that move through it. */
export interface ServerList<Row, Key extends string> {
  rows: Row[] | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  sort: ServerSort<Key>;
  /** A click on a column header: that column ascending, or the other direction when it is already sorted by it. */
  toggleSort: (key: Key) => void;
  setSort: (sort: ServerSort<Key>) => void;
  /** 1 for the first page. */
  pageNumber: number;
  hasPrevious: boolean;
  hasNext: boolean;
  previous: () => void;
  next: () => void;
}

/**
 * The sort a list's URL asks for (`?sort=name&order=desc`), or `fallback` when it names no key of the list.
 *
 * @example
 * readSort(new URLSearchParams('sort=name&order=desc'), ['created', 'name'], { key: 'created', order: 'asc' })
 * // { key: 'name', order: 'desc' }
 */
export function readSort<Key extends string>(
  query: URLSearchParams,
  keys: readonly Key[],
  fallback: ServerSort<Key>,
): ServerSort<Key> {
  const key = query.get('sort');
  const order = query.get('order');
  if (key === null || !(keys as readonly string[]).includes(key)) return fallback;
  return { key: key as Key, order: order === 'desc' ? 'desc' : 'asc' };
}

/**
 * The query string with `sort` and `order` set (other parameters kept), for the URL of a sorted list.
 *
 * @example
 * withSort(new URLSearchParams('tab=1'), { key: 'name', order: 'desc' }) // 'tab=1&sort=name&order=desc'
 */
export function withSort(query: URLSearchParams, sort: ServerSort<string>): string {
  const next = new URLSearchParams(query);
  next.set('sort', sort.key);
  next.set('order', sort.order);
  return next.toString();
}

/**
 * The sort after a click on the header of `key`: ascending first, then the other way round.
 *
 * @example
 * toggledSort({ key: 'name', order: 'asc' }, 'name') // { key: 'name', order: 'desc' }
 */
export function toggledSort<Key extends string>(current: ServerSort<Key>, key: Key): ServerSort<Key> {
  return { key, order: current.key === key && current.order === 'asc' ? 'desc' : 'asc' };
}

/**
 * Reads a list one page at a time, sorted by the server. The sort lives in the URL (a reload or a shared link
 * shows the same order); changing it, or any of `filters`, starts again at the first page. Earlier pages are
 * remembered by their cursors, so "previous" reads the page again rather than keeping every row.
 *
 * @example
 * const list = useServerList({ keys: actorSortKeys, initial: { key: 'name', order: 'asc' }, filters: [q],
 *   load: ({ after, sort, order, limit }) => call(api.GET('/api/v1/investigations/{id}/actors', …)) });
 */
export function useServerList<Row, Key extends string>(options: {
  keys: readonly Key[];
  initial: ServerSort<Key>;
  filters: DependencyList;
  load: (page: { after: string | undefined; sort: Key; order: SortOrder; limit: number }) => Promise<ServerPage<Row>>;
  pageSize?: number;
}): ServerList<Row, Key> {
  const { keys, initial, filters, load, pageSize = 25 } = options;
  const { path, query } = useLocation();
  const sort = readSort(query, keys, initial);
  const listKey = JSON.stringify([...filters, sort.key, sort.order]);
  const [cursors, setCursors] = useState<{ listKey: string; stack: (string | undefined)[] }>({
    listKey,
    stack: [undefined],
  });
  const stack = cursors.listKey === listKey ? cursors.stack : [undefined];
  const after = stack[stack.length - 1];
  const page = useLoad(
    () => load({ after, sort: sort.key, order: sort.order, limit: pageSize }),
    [listKey, after, pageSize],
  );
  const setSort = (next: ServerSort<Key>) => navigate(`${path}?${withSort(query, next)}`, { replace: true });
  const nextAfter = page.data?.next_after ?? null;
  return {
    rows: page.data?.items,
    error: page.error,
    loading: page.loading,
    reload: page.reload,
    sort,
    toggleSort: (key) => setSort(toggledSort(sort, key)),
    setSort,
    pageNumber: stack.length,
    hasPrevious: stack.length > 1,
    hasNext: nextAfter !== null,
    previous: () => setCursors({ listKey, stack: stack.slice(0, -1) }),
    next: () => {
      if (nextAfter !== null) setCursors({ listKey, stack: [...stack, nextAfter] });
    },
  };
}
