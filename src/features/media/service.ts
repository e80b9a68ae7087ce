import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Page } from '../../db/pagination.js';
import { toPage } from '../../db/pagination.js';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import { archiveVersioned, findById, findForUpdate, updateVersioned } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireCanEdit, requireRole } from '../access/service.js';
import { recordChange } from '../audit/service.js';
import { archiveBodySchema, type ArchiveInput } from '../investigations/schema.js';
import * as repository from './repository.js';
import {
  createMediaBodySchema,
  createMediaLinkBodySchema,
  updateMediaBodySchema,
  type CreateMediaInput,
  type CreateMediaLinkInput,
  type Media,
  type MediaLink,
  type MediaListQuery,
  type MediaWithLinks,
  type UpdateMediaInput,
} from './schema.js';

function toMedia(row: Row<'media'>): Media {
  return toJsonRecord(row);
}

function toMediaLink(row: Row<'media_links'>): MediaLink {
  return toJsonRecord(row);
}

function toTimestamp(value: string | null | undefined): Date | null | undefined {
  return value === null || value === undefined ? value : new Date(value);
}

/**
 * Records a photo, video or document by its metadata: the hash and size
 * identify the bytes, which are stored elsewhere.
 *
 * @example
 * const media = await createMedia(db, actor, investigationId, {
 *   sha256: 'e3b0c442…', size_bytes: 482113, media_type: 'image/jpeg',
 *   original_filename: 'IMG_0412.JPG', credit: 'Image source: QQ',
 * });
 */
export async function createMedia(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  input: CreateMediaInput,
): Promise<Media> {
  const parsed = createMediaBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    await requireRole(trx, actor, investigationId, 'investigator');
    const now = new Date();
    const row = await repository.insertMedia(trx, {
      ...parsed,
      captured_at: toTimestamp(parsed.captured_at) ?? null,
      id: uuidv7(),
      investigation_id: investigationId,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await recordChange(trx, actor, {
      action: 'media.create',
      entityType: 'media',
      entityId: row.id,
      investigationId,
      after: row,
    });
    return toMedia(row);
  });
}

export async function listMedia(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  query: MediaListQuery,
): Promise<Page<Media>> {
  await requireRole(db, actor, investigationId, 'viewer');
  const rows = await repository.listMedia(db, investigationId, {
    after: query.after,
    limit: query.limit,
    includeArchived: query.include_archived,
    sha256: query.sha256,
    sourceId: query.source_id,
  });
  return toPage(rows, query.limit, toMedia);
}

/** One media record with the sites, items and markings it is linked to now. */
export async function getMedia(db: Kysely<DB>, actor: Actor, id: string): Promise<MediaWithLinks> {
  const row = await findById(db, 'media', id);
  await requireRole(db, actor, row.investigation_id, 'viewer');
  const links = await repository.listActiveLinks(db, id);
  return { ...toMedia(row), links: links.map(toMediaLink) };
}

export async function updateMedia(db: Kysely<DB>, actor: Actor, id: string, input: UpdateMediaInput): Promise<Media> {
  const { version, captured_at, ...changes } = updateMediaBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, 'media', id);
    const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
    requireCanEdit(access, actor, before);
    const after = await updateVersioned(trx, 'media', before, version, {
      ...changes,
      captured_at: toTimestamp(captured_at),
    });
    await recordChange(trx, actor, {
      action: 'media.update',
      entityType: 'media',
      entityId: id,
      investigationId: before.investigation_id,
      before,
      after,
    });
    return toMedia(after);
  });
}

export async function archiveMedia(db: Kysely<DB>, actor: Actor, id: string, input: ArchiveInput): Promise<Media> {
  const parsed = archiveBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, 'media', id);
    const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
    requireCanEdit(access, actor, before);
    const after = await archiveVersioned(trx, 'media', before, parsed.version, parsed.reason);
    await recordChange(trx, actor, {
      action: 'media.archive',
      entityType: 'media',
      entityId: id,
      investigationId: before.investigation_id,
      before,
      after,
    });
    return toMedia(after);
  });
}

/**
 * Links media to the one site, item or marking it shows. The target must be in
 * the media's investigation (the database refuses any other).
 *
 * @example
 * await linkMedia(db, actor, media.id, { item_id: item.id });
 */
export async function linkMedia(
  db: Kysely<DB>,
  actor: Actor,
  mediaId: string,
  input: CreateMediaLinkInput,
): Promise<MediaLink> {
  const parsed = createMediaLinkBodySchema.parse(input);
  const target = {
    site_id: parsed.site_id ?? null,
    item_id: parsed.item_id ?? null,
    marking_id: parsed.marking_id ?? null,
  };
  return db.transaction().execute(async (trx) => {
    // Locking the media row serialises links to it, so the duplicate check below holds.
    const media = await findForUpdate(trx, 'media', mediaId);
    await requireRole(trx, actor, media.investigation_id, 'investigator');
    if (media.archived_at !== null) {
      throw new DomainError('archived', `Media file ${mediaId} is archived; it can no longer be linked.`);
    }
    const existing = await repository.findActiveLink(trx, mediaId, target);
    if (existing !== undefined) {
      const field = (['site_id', 'item_id', 'marking_id'] as const).find((column) => target[column] !== null)!;
      throw new DomainError('already_exists', `Media file ${mediaId} is already linked there (link ${existing.id}).`, [
        { field, message: 'already linked' },
      ]);
    }
    const now = new Date();
    const row = await repository.insertMediaLink(trx, {
      ...target,
      id: uuidv7(),
      investigation_id: media.investigation_id,
      media_id: mediaId,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await recordChange(trx, actor, {
      action: 'media_link.create',
      entityType: 'media_links',
      entityId: row.id,
      investigationId: media.investigation_id,
      after: row,
    });
    return toMediaLink(row);
  });
}

/** Unlinks media: the link is archived with the reason, never deleted. */
export async function archiveMediaLink(
  db: Kysely<DB>,
  actor: Actor,
  linkId: string,
  input: ArchiveInput,
): Promise<MediaLink> {
  const parsed = archiveBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, 'media_links', linkId);
    const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
    requireCanEdit(access, actor, before);
    const after = await archiveVersioned(trx, 'media_links', before, parsed.version, parsed.reason);
    await recordChange(trx, actor, {
      action: 'media_link.archive',
      entityType: 'media_links',
      entityId: linkId,
      investigationId: before.investigation_id,
      before,
      after,
    });
    return toMediaLink(after);
  });
}
