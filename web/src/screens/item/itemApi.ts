import { api, call } from '../../api/client';

/**
 * Reads one item with its markings. Its result type is the item as the screens hold it.
 *
 * @example const item = await readItem(itemId);
 */
export const readItem = (id: string) => call(api.GET('/api/v1/items/{id}', { params: { path: { id } } }));
export type ItemRecord = Awaited<ReturnType<typeof readItem>>;
export type MarkingRecord = ItemRecord['markings'][number];

/**
 * Reads one marking (archived or not).
 *
 * @example const marking = await readMarking(markingId);
 */
export const readMarking = (id: string) => call(api.GET('/api/v1/markings/{id}', { params: { path: { id } } }));
