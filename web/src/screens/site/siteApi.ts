import { api, call } from '../../api/client';

/**
 * Reads one site. Its result type is the site as the screens hold it (openapi-fetch's reading of the schema).
 *
 * @example const site = await readSite(siteId);
 */
export const readSite = (id: string) => call(api.GET('/api/v1/sites/{id}', { params: { path: { id } } }));
export type SiteRecord = Awaited<ReturnType<typeof readSite>>;
