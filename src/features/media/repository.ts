import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';

export async function insertMedia(db: Queryable, row: NewRow<'media'>): Promise<Row<'media'>> {
  return db.insertInto('media').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listMedia(
  db: Queryable,
  investigationId: string,
  options: {
    after: string | undefined;
    limit: number;
    includeArchived: boolean;
    sha256: string | undefined;
    sourceId: string | undefined;
  },
): Promise<Row<'media'>[]> {
  let query = db
    .selectFrom('media')
    .selectAll()
    .where('investigation_id', '=', investigationId)
    .orderBy('id')
    .limit(options.limit + 1);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  if (options.sha256 !== undefined) query = query.where('sha256', '=', options.sha256);
  if (options.sourceId !== undefined) query = query.where('source_id', '=', options.sourceId);
  return query.execute();
}

export async function insertMediaLink(db: Queryable, row: NewRow<'media_links'>): Promise<Row<'media_links'>> {
  return db.insertInto('media_links').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listActiveLinks(db: Queryable, mediaId: string): Promise<Row<'media_links'>[]> {
  return db
    .selectFrom('media_links')
    .selectAll()
    .where('media_id', '=', mediaId)
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
}

/** The active link of this media to exactly this target, if one exists. */
export async function findActiveLink(
  db: Queryable,
  mediaId: string,
  target: { site_id: string | null; item_id: string | null; marking_id: string | null },
): Promise<Row<'media_links'> | undefined> {
  let query = db.selectFrom('media_links').selectAll().where('media_id', '=', mediaId).where('archived_at', 'is', null);
  for (const column of ['site_id', 'item_id', 'marking_id'] as const) {
    const id = target[column];
    query = id === null ? query.where(column, 'is', null) : query.where(column, '=', id);
  }
  return query.executeTakeFirst();
}
