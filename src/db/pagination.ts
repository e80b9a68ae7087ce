import { z } from 'zod';

/** Keyset pagination over UUIDv7 ids, which sort by creation time. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Rows per page (1-500)'),
  after: z.uuid().optional().describe('The `next_after` of the previous page'),
  include_archived: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('Also list archived (tombstoned) records'),
});
export type PageQuery = z.output<typeof pageQuerySchema>;

export interface Page<T> {
  items: T[];
  next_after: string | null;
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_after: z.string().nullable() });
}

/** Repositories fetch `limit + 1` rows; the extra one only says whether a next page exists. */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, map: (row: R) => T): Page<T> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(map), next_after: rows.length > limit && last !== undefined ? last.id : null };
}
