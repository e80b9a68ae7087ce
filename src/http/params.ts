import { z } from 'zod';
import { storedText } from '../db/stored-text.js';

/**
 * Parameter and body schemas that many features' routes share: a record's id in the path, a record and one linked
 * item, the archive request. They sit here, below the features, so that no feature imports another feature's
 * schema for them. The list parameters (`limit`, `after`, `include_archived`, `sort`, `order`) are defined with the
 * keyset pagination they drive in `src/db/pagination.ts` and re-exported here.
 *
 * @example
 * app.get('/api/v1/investigations/:id/sites', { schema: { params: idParamsSchema, querystring: pageQuerySchema } }, …);
 */
export const idParamsSchema = z.object({ id: z.uuid() });

/** A record and one of the items linked to it (an incident's, a trace request's). */
export const itemLinkParamsSchema = z.object({ id: z.uuid(), itemId: z.uuid() });

/** Every archive request names the version read and says why. */
export const archiveBodySchema = z.object({
  version: z.number().int().min(1),
  reason: storedText().min(3, 'say why the record is archived').max(2000),
});
export type ArchiveInput = z.input<typeof archiveBodySchema>;

export {
  pageQuerySchema,
  pageSchema,
  sortOrderSchema,
  sortQuerySchema,
  type PageQuery,
  type SortOrder,
} from '../db/pagination.js';
