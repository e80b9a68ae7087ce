import { keysetPage } from '../../db/pagination.js';
import { sql } from 'kysely';
import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { whereLinkTargetAtMost, whereSensitivityAtMost } from '../sensitivity/repository.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';

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
    flagged: boolean;
    linkedTo: { column: 'site_id' | 'item_id' | 'marking_id'; id: string }[];
    clearance: SensitivityLevel;
  },
): Promise<Row<'media'>[]> {
  let query = keysetPage(db.selectFrom('media').selectAll().where('investigation_id', '=', investigationId), {
    id: 'media.id',
    after: options.after,
    limit: options.limit,
  });
  query = whereSensitivityAtMost(query, 'media', options.clearance);
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  if (options.sha256 !== undefined) query = query.where('sha256', '=', options.sha256);
  if (options.sourceId !== undefined) query = query.where('source_id', '=', options.sourceId);
  for (const { column, id } of options.linkedTo) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('media_links')
          .select('media_links.id')
          .whereRef('media_links.media_id', '=', 'media.id')
          .where('media_links.archived_at', 'is', null)
          .where(`media_links.${column}`, '=', id),
      ),
    );
  }
  if (options.flagged) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('media_links')
          .select('media_links.id')
          .whereRef('media_links.media_id', '=', 'media.id')
          .where('media_links.archived_at', 'is', null)
          .where(sql<boolean>`jsonb_array_length(media_links.review_flags) > 0`),
      ),
    );
  }
  return query.execute();
}

export async function insertMediaLink(db: Queryable, row: NewRow<'media_links'>): Promise<Row<'media_links'>> {
  return db.insertInto('media_links').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The active links of a media record whose targets the reader may see (`clearance`). */
export async function listActiveLinks(
  db: Queryable,
  mediaId: string,
  clearance: SensitivityLevel,
): Promise<Row<'media_links'>[]> {
  return whereLinkTargetAtMost(db.selectFrom('media_links'), clearance)
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

/** Other active records of the same bytes in the investigation. */
export async function listSameFile(
  db: Queryable,
  investigationId: string,
  sha256: string,
  exceptId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('media')
    .select('id')
    .where('investigation_id', '=', investigationId)
    .where('sha256', '=', sha256)
    .where('archived_at', 'is', null)
    .where('id', '<>', exceptId)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * The site a link target is at: the site itself, the item's site, or the site
 * of the marking's item. Only rows of the given investigation count.
 */
export async function findSiteOfTarget(
  db: Queryable,
  investigationId: string,
  target: { site_id: string | null; item_id: string | null; marking_id: string | null },
): Promise<Row<'sites'> | undefined> {
  let siteId = target.site_id;
  if (target.marking_id !== null) {
    const marking = await db
      .selectFrom('markings')
      .innerJoin('items', 'items.id', 'markings.item_id')
      .select('items.site_id')
      .where('markings.id', '=', target.marking_id)
      .where('markings.investigation_id', '=', investigationId)
      .executeTakeFirst();
    siteId = marking?.site_id ?? null;
  } else if (target.item_id !== null) {
    const item = await db
      .selectFrom('items')
      .select('site_id')
      .where('id', '=', target.item_id)
      .where('investigation_id', '=', investigationId)
      .executeTakeFirst();
    siteId = item?.site_id ?? null;
  }
  if (siteId === null) return undefined;
  return db
    .selectFrom('sites')
    .selectAll()
    .where('id', '=', siteId)
    .where('investigation_id', '=', investigationId)
    .executeTakeFirst();
}

/**
 * Images of the investigation whose perceptual hash is within `maxDistance`
 * bits of the given one, nearest first (archived records left out).
 */
export async function listSimilar(
  db: Queryable,
  investigationId: string,
  perceptualHash: string,
  options: { exceptId: string; maxDistance: number; limit: number; clearance: SensitivityLevel },
): Promise<{ distance: number; row: Row<'media'> }[]> {
  const distance = sql<number>`bit_count(('x' || perceptual_hash)::bit(64) # ('x' || ${perceptualHash})::bit(64))::int`;
  const rows = await whereSensitivityAtMost(db.selectFrom('media'), 'media', options.clearance)
    .selectAll()
    .select(distance.as('distance'))
    .where('investigation_id', '=', investigationId)
    .where('perceptual_hash', 'is not', null)
    .where('archived_at', 'is', null)
    .where('id', '<>', options.exceptId)
    .where(distance, '<=', options.maxDistance)
    .orderBy('distance')
    .orderBy('id')
    .limit(options.limit)
    .execute();
  return rows.map(({ distance: bits, ...row }) => ({ distance: bits, row }));
}

/** Every stored original referenced by a media record (archived ones too), in hash order. */
export async function listStoredOriginals(
  db: Queryable,
  afterSha256: string | undefined,
  limit: number,
): Promise<{ sha256: string; size_bytes: number; media_ids: string[]; filenames: string[] }[]> {
  let query = db
    .selectFrom('media')
    .select([
      'sha256',
      sql<number>`max(size_bytes)`.as('size_bytes'),
      sql<string[]>`array_agg(id::text ORDER BY id)`.as('media_ids'),
      sql<string[]>`array_remove(array_agg(DISTINCT original_filename), NULL)`.as('filenames'),
    ])
    .groupBy('sha256')
    .orderBy('sha256')
    .limit(limit);
  if (afterSha256 !== undefined) query = query.where('sha256', '>', afterSha256);
  return query.execute();
}

// ---- Derivatives (migration 0035): per original, whether its thumbnail, preview and perceptual hash are made ----

/**
 * Marks the originals' derivatives as to be made. A file already `ready` stays ready only when no record of it
 * lacks its perceptual hash; a new record of known bytes asks again (the job then only fills in the hash).
 */
export async function markDerivativesPending(db: Queryable, sha256s: readonly string[]): Promise<void> {
  if (sha256s.length === 0) return;
  await sql`
    INSERT INTO media_derivatives (sha256, state)
    SELECT DISTINCT s, 'pending' FROM unnest(${[...sha256s]}::text[]) AS s
    ON CONFLICT (sha256) DO UPDATE
      SET state = 'pending', problem_code = NULL, problem_detail = NULL, updated_at = now()`.execute(db);
}

export async function findDerivativeStates(
  db: Queryable,
  sha256s: readonly string[],
): Promise<Map<string, Row<'media_derivatives'>>> {
  if (sha256s.length === 0) return new Map();
  const rows = await db
    .selectFrom('media_derivatives')
    .selectAll()
    .where('sha256', 'in', [...new Set(sha256s)])
    .execute();
  return new Map(rows.map((row) => [row.sha256, row]));
}

export async function setDerivativeState(
  db: Queryable,
  sha256: string,
  state: 'ready' | 'failed',
  jobId: string | null,
  problem: { code: string; detail: string } | null,
): Promise<void> {
  await db
    .updateTable('media_derivatives')
    .set({
      state,
      job_id: jobId,
      problem_code: problem?.code ?? null,
      problem_detail: problem?.detail ?? null,
      updated_at: new Date(),
    })
    .where('sha256', '=', sha256)
    .execute();
}

/** The records of one original that still lack its perceptual hash, locked for the update. */
export async function lockRowsWithoutHash(db: Queryable, sha256: string): Promise<Row<'media'>[]> {
  return db
    .selectFrom('media')
    .selectAll()
    .where('sha256', '=', sha256)
    .where('perceptual_hash', 'is', null)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function setPerceptualHash(db: Queryable, id: string, hash: string): Promise<Row<'media'>> {
  return db
    .updateTable('media')
    .set({ perceptual_hash: hash })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Originals whose derivatives wait with no job waiting or running for them, with one record's creator each;
 * with `pendingSince`, only those pending since before then (an upload between its commit and its enqueue is left
 * to queue its own job).
 */
export async function listPendingWithoutJob(
  db: Queryable,
  jobName: string,
  limit: number,
  pendingSince?: Date,
): Promise<{ sha256: string; investigation_id: string; created_by: string }[]> {
  const result = await sql<{ sha256: string; investigation_id: string; created_by: string }>`
    SELECT d.sha256, m.investigation_id, m.created_by
    FROM media_derivatives d
    CROSS JOIN LATERAL (
      SELECT investigation_id, created_by FROM media WHERE media.sha256 = d.sha256 ORDER BY id LIMIT 1
    ) m
    WHERE d.state = 'pending'
      AND ${pendingSince === undefined ? sql`TRUE` : sql`d.updated_at < ${pendingSince}`}
      AND NOT EXISTS (
        SELECT 1 FROM jobs j
        WHERE j.name = ${jobName} AND j.singleton_key = d.sha256 AND j.state IN ('queued', 'running', 'retrying')
      )
    ORDER BY d.updated_at
    LIMIT ${limit}`.execute(db);
  return result.rows;
}
