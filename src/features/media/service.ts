import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { MediaConfig } from '../../config/config.js';
import type { Page } from '../../db/pagination.js';
import { toPage } from '../../db/pagination.js';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, NewRow, Row } from '../../db/tables.js';
import { findById, findForUpdate, updateVersioned, type Tx } from '../../db/versioned.js';
import { requireUnusedRecordId } from '../../db/record-ids.js';
import { DomainError, NotReadyError } from '../../errors.js';
import { neutralizeBidiControls } from '../../parsing/display-text.js';
import type { Actor } from '../access/schema.js';
import { requireCanEdit, requireRole } from '../access/service.js';
import { archiveAudited } from '../audit/archive.js';
import { recordChange } from '../audit/service.js';
import type { ArchiveInput } from '../../http/params.js';
import { hasDerivatives, type DerivativesMaker } from './derivative-jobs.js';

// The doors media comes through in other features (tus uploads, form and bag imports, their commands) choose how
// the derivatives of new files are made.
export {
  derivativesForCommand,
  hasDerivatives,
  queueDerivatives,
  type DerivativesMaker,
  type NewOriginal,
} from './derivative-jobs.js';
import { derivativeFileName, getDerivative, type Derivative, type DerivativeKind } from './derivatives.js';
import { inspectFile, type FileFacts } from './inspect.js';
import { looksLikeZip, readEmbeddedProofs, readProofModeBundle, type ReadBundle } from './ingest-proofs.js';
import { listProofsOf, recordProof, toMediaProof, type StoredProof } from './proofs.js';
import * as repository from './repository.js';
import { reviewFlags, type SiteFacts } from './review.js';
import {
  createMediaLinkBodySchema,
  similarQuerySchema,
  updateMediaBodySchema,
  uploadFieldsSchema,
  type CreateMediaLinkInput,
  type Media,
  type MediaDerivatives,
  type MediaLink,
  type MediaProof,
  type MediaListQuery,
  type MediaWithLinks,
  type ReviewFlag,
  type SimilarMedia,
  type SimilarQuery,
  type UpdateMediaInput,
  type UploadedMedia,
  type UploadFields,
} from './schema.js';
import { checkDeclaredType } from '../../storage/sniff.js';
import type { ByteRange, EvidenceStore, StagedOriginal } from '../../storage/evidence-store.js';
import type { Queryable } from '../../db/versioned.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';
import {
  clearanceForRole,
  requireReader,
  requireVisible,
  sensitivityForInsert,
  sensitivityPatch,
} from '../sensitivity/service.js';

type ReviewThresholds = Pick<MediaConfig, 'reviewDistanceM' | 'reviewTimeHours'>;

interface LinkTarget {
  site_id: string | null;
  item_id: string | null;
  marking_id: string | null;
}

type DerivativeStates = Map<string, Row<'media_derivatives'>>;

/**
 * Where a file's thumbnail, preview and perceptual hash are. A file with no state was stored before derivatives
 * were jobs: its hash was read at upload (none: the decoder could not read it) and its copies are made on request.
 */
function derivativesOf(row: Row<'media'>, states: DerivativeStates): MediaDerivatives {
  if (!hasDerivatives(row.media_type)) return { state: 'none', problem: null };
  const found = states.get(row.sha256);
  if (found === undefined) {
    return row.perceptual_hash !== null
      ? { state: 'ready', problem: null }
      : {
          state: 'failed',
          problem: { code: 'image_not_decodable', detail: 'The image could not be decoded when it was stored.' },
        };
  }
  if (found.state === 'failed') {
    return {
      state: 'failed',
      problem: { code: found.problem_code ?? 'internal', detail: found.problem_detail ?? found.problem_code ?? '' },
    };
  }
  return { state: found.state === 'ready' ? 'ready' : 'pending', problem: null };
}

async function derivativeStatesOf(db: Queryable, rows: readonly Row<'media'>[]): Promise<DerivativeStates> {
  return repository.findDerivativeStates(
    db,
    rows.filter((row) => hasDerivatives(row.media_type)).map((row) => row.sha256),
  );
}

/** As shown and served: a file name's bidirectional controls are written out (the row and its audit keep it as given). */
function toMedia(row: Row<'media'>, states: DerivativeStates): Media {
  const media = toJsonRecord(row);
  return {
    ...media,
    original_filename: media.original_filename === null ? null : neutralizeBidiControls(media.original_filename),
    sensitivity: media.sensitivity as SensitivityLevel,
    derivatives: derivativesOf(row, states),
  };
}

/** Media records as the API shows them, with where their derivatives are. */
async function presentMedia(db: Queryable, rows: readonly Row<'media'>[]): Promise<Media[]> {
  const states = await derivativeStatesOf(db, rows);
  return rows.map((row) => toMedia(row, states));
}

async function presentOne(db: Queryable, row: Row<'media'>): Promise<Media> {
  return (await presentMedia(db, [row]))[0]!;
}

/**
 * Marks the derivatives of new records' files as to be made, in the transaction that records them (first, before
 * any audit entry: the derivatives job takes the same locks in the same order). Used by every door media comes
 * through: uploads, tus, the CLI, form imports and bag imports.
 */
export async function markDerivativesPending(
  trx: Tx,
  files: readonly { sha256: string; media_type: string }[],
): Promise<void> {
  await repository.markDerivativesPending(
    trx,
    files.filter((file) => hasDerivatives(file.media_type)).map((file) => file.sha256),
  );
}

function toMediaLink(row: Row<'media_links'>): MediaLink {
  return { ...toJsonRecord(row), review_flags: row.review_flags as ReviewFlag[] };
}

function toTimestamp(value: string | null | undefined): Date | null | undefined {
  return value === null || value === undefined ? value : new Date(value);
}

function describeLinkTarget(target: LinkTarget): string {
  if (target.site_id !== null) return `site ${target.site_id}`;
  if (target.item_id !== null) return `item ${target.item_id}`;
  return `marking ${target.marking_id ?? ''}`;
}

/** Checked before any byte is received, so a viewer's or outsider's upload is refused at once. */
export async function requireCanAddMedia(db: Kysely<DB>, actor: Actor, investigationId: string): Promise<void> {
  await requireRole(db, actor, investigationId, 'investigator');
}

/**
 * Receives a file into the store's staging area in one pass (hashed while it
 * is written), refusing it once it exceeds the configured size.
 */
export async function receiveMediaFile(
  store: EvidenceStore,
  limits: Pick<MediaConfig, 'maxUploadBytes'>,
  source: Readable,
  onBytes?: (received: number) => void,
): Promise<StagedOriginal> {
  return store.stage(source, { maxBytes: limits.maxUploadBytes, ...(onBytes === undefined ? {} : { onBytes }) });
}

/** What the sender said about the file; checked against its content. */
export interface UploadClaims {
  filename?: string | undefined;
  declaredType?: string | undefined;
  /** The id the media record gets, chosen by the client (resumable uploads from offline capture). */
  mediaId?: string | undefined;
}

/**
 * Inserts a link with the review flags its photo raises against the site it
 * is at, and audits it, in the caller's transaction.
 */
async function insertAuditedLink(
  trx: Tx,
  actor: Actor,
  media: Row<'media'>,
  target: LinkTarget,
  thresholds: ReviewThresholds,
): Promise<Row<'media_links'>> {
  const site = await repository.findSiteOfTarget(trx, media.investigation_id, target);
  const flags = site === undefined ? [] : reviewFlags(media, site, thresholds);
  const now = new Date();
  const row = await repository.insertMediaLink(trx, {
    ...target,
    id: uuidv7(),
    investigation_id: media.investigation_id,
    media_id: media.id,
    review_flags: JSON.stringify(flags),
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
  return row;
}

/**
 * Adds a received file as evidence: checks its content against its declared
 * type and file name, refuses decompression bombs, reads its EXIF and
 * perceptual hash, commits the bytes to the store (kept once however often
 * they are uploaded) and records it, linked to a site, item or marking when
 * one is given. The staged file is committed or discarded before this returns.
 *
 * @example
 * const staged = await receiveMediaFile(store, config.media, fs.createReadStream('IMG_0412.JPG'));
 * const media = await addMedia(db, store, config.media, actor, investigationId, staged,
 *   { filename: 'IMG_0412.JPG' }, { item_id: itemId, credit: 'Field team 2' });
 */
export async function addMedia(
  db: Kysely<DB>,
  store: EvidenceStore,
  config: MediaConfig,
  actor: Actor,
  investigationId: string,
  staged: StagedOriginal,
  claims: UploadClaims,
  input: UploadFields,
  derivatives: DerivativesMaker,
): Promise<UploadedMedia> {
  try {
    const fields = uploadFieldsSchema.parse(input);
    await requireRole(db, actor, investigationId, 'investigator');
    if (staged.sizeBytes === 0) {
      throw new DomainError('validation_failed', 'The file is empty (0 bytes); there is nothing to keep as evidence.', [
        { field: 'file', message: 'is empty (0 bytes)', code: 'file_empty' },
      ]);
    }
    const mediaType = checkDeclaredType(staged.head, claims);
    if (looksLikeZip(staged.head)) {
      // A ProofMode bundle: its media become evidence, each with its proof; any other zip is kept as it is.
      const bundle = await readProofModeBundle(store, config, staged, claims.filename);
      if (bundle !== undefined) {
        try {
          const recorded = await recordBundle(db, store, config, actor, investigationId, bundle, claims, fields);
          await derivatives(
            bundle.media
              .filter((file) => hasDerivatives(file.mediaType))
              .map((file) => ({ sha256: file.sha256, investigationId })),
            actor,
          );
          return await withFreshDerivatives(db, recorded);
        } finally {
          await bundle.discard();
        }
      }
    }
    const facts = await inspectFile(staged.localPath, mediaType, config.maxImagePixels);
    const proofs = await readEmbeddedProofs(store, staged.localPath, mediaType, staged.sizeBytes);
    // The bytes are in the store before any record points at them.
    await staged.commit();
    const filename = fields.original_filename ?? claims.filename?.trim().slice(0, 500);
    const recorded = await db.transaction().execute(async (trx) => {
      const access = await requireRole(trx, actor, investigationId, 'investigator');
      sensitivityForInsert(fields, await clearanceForRole(trx, access.role, investigationId));
      if (claims.mediaId !== undefined) await requireUnusedRecordId(trx, claims.mediaId, 'media_id');
      return recordMedia(trx, actor, config, investigationId, {
        id: claims.mediaId ?? uuidv7(),
        sha256: staged.sha256,
        sizeBytes: staged.sizeBytes,
        mediaType,
        filename: filename === undefined || filename === '' ? null : filename,
        facts,
        fields,
        proofs,
      });
    });
    // After the commit: a job (or this process) reads the original from the store and makes them.
    if (!hasDerivatives(mediaType)) return recorded;
    await derivatives([{ sha256: staged.sha256, investigationId }], actor);
    return await withFreshDerivatives(db, recorded);
  } finally {
    await staged.discard();
  }
}

/** The answer of an upload with its derivatives as they are now (made already when this process made them). */
async function withFreshDerivatives(db: Kysely<DB>, recorded: UploadedMedia): Promise<UploadedMedia> {
  const now = await presentOne(db, await findById(db, 'media', recorded.id));
  return { ...recorded, perceptual_hash: now.perceptual_hash, derivatives: now.derivatives };
}

/** One file to record as media, its bytes already in the store. */
interface MediaToRecord {
  id: string;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  filename: string | null;
  facts: FileFacts;
  fields: z.output<typeof uploadFieldsSchema>;
  proofs: StoredProof[];
}

/** Inserts a media record, its link and its proofs, each audited, in the caller's transaction. */
async function recordMedia(
  trx: Tx,
  actor: Actor,
  config: MediaConfig,
  investigationId: string,
  file: MediaToRecord,
): Promise<UploadedMedia> {
  const { fields } = file;
  const target: LinkTarget = {
    site_id: fields.site_id ?? null,
    item_id: fields.item_id ?? null,
    marking_id: fields.marking_id ?? null,
  };
  await markDerivativesPending(trx, [{ sha256: file.sha256, media_type: file.mediaType }]);
  const now = new Date();
  const row = await insertAuditedMedia(trx, actor, {
    // Checked by the callers (sensitivityForInsert) before any record is written.
    ...(fields.sensitivity === undefined ? {} : { sensitivity: fields.sensitivity }),
    ...(fields.sensitivity_reason === undefined ? {} : { sensitivity_reason: fields.sensitivity_reason }),
    id: file.id,
    investigation_id: investigationId,
    sha256: file.sha256,
    size_bytes: file.sizeBytes,
    media_type: file.mediaType,
    original_filename: file.filename,
    captured_at: toTimestamp(fields.captured_at) ?? null,
    captured_by: fields.captured_by ?? null,
    source_id: fields.source_id ?? null,
    credit: fields.credit ?? null,
    licence: fields.licence ?? null,
    original_url: fields.original_url ?? null,
    ...file.facts,
    created_by: actor.userId,
    created_at: now,
    updated_at: now,
  });
  const hasTarget = target.site_id !== null || target.item_id !== null || target.marking_id !== null;
  const links = hasTarget ? [await insertAuditedLink(trx, actor, row, target, config)] : [];
  const proofs: MediaProof[] = [];
  for (const proof of file.proofs) proofs.push(toMediaProof(await recordProof(trx, actor, row, proof)));
  const sameFile = await repository.listSameFile(trx, investigationId, row.sha256, row.id);
  return {
    ...(await presentOne(trx, row)),
    links: links.map(toMediaLink),
    proofs,
    // Whether another investigation holds the same bytes is not this team's business: the answer depends
    // only on this investigation's own records (`created`, the store's view, is not used).
    stored: sameFile.length > 0 ? 'already_stored' : 'new',
    same_file: sameFile,
  };
}

/** Records every media file of a ProofMode bundle with its proofs, in one transaction; the first is returned. */
async function recordBundle(
  db: Kysely<DB>,
  store: EvidenceStore,
  config: MediaConfig,
  actor: Actor,
  investigationId: string,
  bundle: ReadBundle,
  claims: UploadClaims,
  fields: z.output<typeof uploadFieldsSchema>,
): Promise<UploadedMedia> {
  await bundle.commit();
  return db.transaction().execute(async (trx) => {
    const access = await requireRole(trx, actor, investigationId, 'investigator');
    sensitivityForInsert(fields, await clearanceForRole(trx, access.role, investigationId));
    if (claims.mediaId !== undefined) await requireUnusedRecordId(trx, claims.mediaId, 'media_id');
    const recorded: UploadedMedia[] = [];
    for (const [index, file] of bundle.media.entries()) {
      recorded.push(
        await recordMedia(trx, actor, config, investigationId, {
          ...file,
          id: index === 0 && claims.mediaId !== undefined ? claims.mediaId : uuidv7(),
          fields: { ...fields, original_filename: undefined },
        }),
      );
    }
    return { ...recorded[0]!, bundle_media_ids: recorded.map((media) => media.id) };
  });
}

/** A photo that came with an imported record (a form submission), its bytes already in the store. */
export interface ImportedPhoto {
  id: string;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  filename: string;
  facts: FileFacts;
  /** A C2PA manifest the photo carries (its files already in the store). */
  proofs: StoredProof[];
  capturedAt: Date | null;
  capturedBy: string | null;
}

/** A new media record and its `media.create` audit entry, in the caller's transaction (uploads and imports alike). */
async function insertAuditedMedia(trx: Tx, actor: Actor, values: NewRow<'media'>): Promise<Row<'media'>> {
  const row = await repository.insertMedia(trx, values);
  await recordChange(trx, actor, {
    action: 'media.create',
    entityType: 'media',
    entityId: row.id,
    investigationId: row.investigation_id,
    after: row,
  });
  return row;
}

/**
 * Records a photo that came with an imported item: its media record, its proofs and its link to the item (review
 * flags against the item's site), each audited, in the caller's transaction, which has marked its derivatives
 * pending.
 */
export async function recordImportedPhoto(
  trx: Tx,
  actor: Actor,
  thresholds: ReviewThresholds,
  investigationId: string,
  photo: ImportedPhoto,
  at: { itemId: string; site: SiteFacts; now: Date },
): Promise<Row<'media'>> {
  const { now } = at;
  const media = await insertAuditedMedia(trx, actor, {
    id: photo.id,
    investigation_id: investigationId,
    sha256: photo.sha256,
    size_bytes: photo.sizeBytes,
    media_type: photo.mediaType,
    original_filename: photo.filename,
    captured_at: photo.capturedAt,
    captured_by: photo.capturedBy,
    source_id: null,
    credit: null,
    licence: null,
    original_url: null,
    ...photo.facts,
    created_by: actor.userId,
    created_at: now,
    updated_at: now,
  });
  for (const proof of photo.proofs) await recordProof(trx, actor, media, proof);
  const link = await repository.insertMediaLink(trx, {
    id: uuidv7(),
    investigation_id: investigationId,
    media_id: media.id,
    site_id: null,
    item_id: at.itemId,
    marking_id: null,
    review_flags: JSON.stringify(reviewFlags(media, at.site, thresholds)),
    created_by: actor.userId,
    created_at: now,
    updated_at: now,
  });
  await recordChange(trx, actor, {
    action: 'media_link.create',
    entityType: 'media_links',
    entityId: link.id,
    investigationId,
    after: link,
  });
  return media;
}

/** Receives and adds one file from a stream (the CLI's `media add`). */
export async function addMediaFromStream(
  db: Kysely<DB>,
  store: EvidenceStore,
  config: MediaConfig,
  actor: Actor,
  investigationId: string,
  source: Readable,
  claims: UploadClaims,
  fields: UploadFields,
  derivatives: DerivativesMaker,
  onBytes?: (received: number) => void,
): Promise<UploadedMedia> {
  await requireCanAddMedia(db, actor, investigationId);
  const staged = await receiveMediaFile(store, config, source, onBytes);
  return addMedia(db, store, config, actor, investigationId, staged, claims, fields, derivatives);
}

export async function listMedia(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  query: MediaListQuery,
): Promise<Page<Media>> {
  const { clearance } = await requireReader(db, actor, investigationId);
  const rows = await repository.listMedia(db, investigationId, {
    clearance,
    after: query.after,
    limit: query.limit,
    includeArchived: query.include_archived,
    sha256: query.sha256,
    sourceId: query.source_id,
    flagged: query.flagged,
    linkedTo: (['site_id', 'item_id', 'marking_id'] as const).flatMap((column) =>
      query[column] === undefined ? [] : [{ column, id: query[column] }],
    ),
  });
  const states = await derivativeStatesOf(db, rows);
  return toPage(rows, query.limit, (row) => toMedia(row, states));
}

/** One media record with the sites, items and markings it is linked to now, and their review flags. */
export async function getMedia(db: Kysely<DB>, actor: Actor, id: string): Promise<MediaWithLinks> {
  const row = await findById(db, 'media', id);
  const { clearance } = await requireReader(db, actor, row.investigation_id);
  requireVisible(clearance, row, 'Media file');
  const links = await repository.listActiveLinks(db, id, clearance);
  const proofs = await listProofsOf(db, [id]);
  return { ...(await presentOne(db, row)), links: links.map(toMediaLink), proofs: proofs.get(id) ?? [] };
}

/** Changes what describes a file (credit, licence, source…); never its hash, size, type or EXIF facts. */
export async function updateMedia(db: Kysely<DB>, actor: Actor, id: string, input: UpdateMediaInput): Promise<Media> {
  const parsed = updateMediaBodySchema.parse(input);
  const { version, captured_at, sensitivity: _sensitivity, sensitivity_reason: _reason, ...changes } = parsed;
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, 'media', id);
    const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
    const clearance = await clearanceForRole(trx, access.role, before.investigation_id);
    requireVisible(clearance, before, 'Media file');
    requireCanEdit(access, actor, before);
    const after = await updateVersioned(trx, 'media', before, version, {
      ...changes,
      ...sensitivityPatch(parsed, before, clearance),
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
    return presentOne(trx, after);
  });
}

/** Archives a media record; the stored original stays (other records, exports and verify still use it). */
export async function archiveMedia(db: Kysely<DB>, actor: Actor, id: string, input: ArchiveInput): Promise<Media> {
  return archiveAudited(db, actor, { table: 'media', id, action: 'media.archive' }, input, {
    authorize: async (trx, before) => {
      const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
      requireVisible(await clearanceForRole(trx, access.role, before.investigation_id), before, 'Media file');
      requireCanEdit(access, actor, before);
    },
    present: (trx, after) => presentOne(trx, after),
  });
}

/**
 * Links media to the one site, item or marking it shows. The target must be in
 * the media's investigation (the database refuses any other). Raises review
 * flags when the photo's EXIF position or time disagrees with the site the
 * target is at; nothing else changes.
 *
 * @example
 * await linkMedia(db, actor, media.id, { item_id: item.id }, config.media);
 */
export async function linkMedia(
  db: Kysely<DB>,
  actor: Actor,
  mediaId: string,
  input: CreateMediaLinkInput,
  thresholds: ReviewThresholds,
): Promise<MediaLink> {
  const parsed = createMediaLinkBodySchema.parse(input);
  const target: LinkTarget = {
    site_id: parsed.site_id ?? null,
    item_id: parsed.item_id ?? null,
    marking_id: parsed.marking_id ?? null,
  };
  return db.transaction().execute(async (trx) => {
    // Locking the media row serialises links to it, so the duplicate check below holds.
    const media = await findForUpdate(trx, 'media', mediaId);
    const access = await requireRole(trx, actor, media.investigation_id, 'investigator');
    requireVisible(await clearanceForRole(trx, access.role, media.investigation_id), media, 'Media file');
    if (media.archived_at !== null) {
      throw new DomainError('archived', `Media file ${mediaId} is archived; it can no longer be linked.`);
    }
    const existing = await repository.findActiveLink(trx, mediaId, target);
    if (existing !== undefined) {
      const field = (['site_id', 'item_id', 'marking_id'] as const).find((column) => target[column] !== null)!;
      throw new DomainError(
        'already_exists',
        `Media file ${mediaId} is already linked to ${describeLinkTarget(target)} (link ${existing.id}).`,
        [{ field, message: 'already linked' }],
      );
    }
    return toMediaLink(await insertAuditedLink(trx, actor, media, target, thresholds));
  });
}

/** Unlinks media: the link is archived with the reason, never deleted. */
export async function archiveMediaLink(
  db: Kysely<DB>,
  actor: Actor,
  linkId: string,
  input: ArchiveInput,
): Promise<MediaLink> {
  return archiveAudited(db, actor, { table: 'media_links', id: linkId, action: 'media_link.archive' }, input, {
    authorize: async (trx, before) => {
      const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
      requireCanEdit(access, actor, before);
    },
    present: (_trx, after) => toMediaLink(after),
  });
}

/**
 * The original's bytes exactly as stored, with its record (viewer).
 * `pickRange`, given the original's hash and size, may choose part of it
 * (an HTTP Range request); the part served is returned as `range`.
 *
 * @example
 * const { media, stream } = await openOriginal(db, store, actor, id);
 * await pipeline(stream, fs.createWriteStream(media.original_filename ?? media.sha256));
 */
export async function openOriginal(
  db: Kysely<DB>,
  store: EvidenceStore,
  actor: Actor,
  id: string,
  pickRange?: (original: { sha256: string; size_bytes: number }) => ByteRange | undefined,
): Promise<{ media: Media; stream: Readable; range: ByteRange | undefined }> {
  const row = await findById(db, 'media', id);
  requireVisible((await requireReader(db, actor, row.investigation_id)).clearance, row, 'Media file');
  const range = pickRange?.(row);
  return { media: await presentOne(db, row), stream: await store.get(row.sha256, range), range };
}

/** Seconds a client waits before asking again for a thumbnail or preview still being made. */
export const DERIVATIVE_RETRY_AFTER_SECONDS = 2;

/**
 * A WebP thumbnail or preview of an image (viewer), as its derivatives job kept it. While the job has not run:
 * `derivative_not_ready` (404 with Retry-After); after it failed: `not_found` with its problem. A file stored
 * before derivatives were jobs gets its copy made on request, as then.
 */
export async function getMediaDerivative(
  db: Kysely<DB>,
  store: EvidenceStore,
  config: Pick<MediaConfig, 'maxImagePixels'>,
  actor: Actor,
  id: string,
  kind: DerivativeKind,
): Promise<Derivative> {
  const row = await findById(db, 'media', id);
  requireVisible((await requireReader(db, actor, row.investigation_id)).clearance, row, 'Media file');
  const cached = await store.getDerivative(row.sha256, derivativeFileName(kind));
  if (cached !== undefined) return { kind, parentSha256: row.sha256, mediaType: 'image/webp', bytes: cached };
  const { state, problem } = derivativesOf(row, await derivativeStatesOf(db, [row]));
  if (state === 'pending') {
    throw new NotReadyError(
      `The ${kind} of media file ${id} is still being made; ask again in a few seconds (the record's \`derivatives.state\` says when it is ready).`,
      DERIVATIVE_RETRY_AFTER_SECONDS,
    );
  }
  if (state === 'failed' && problem !== null && problem.code !== 'internal') {
    throw new DomainError(
      'not_found',
      `Media file ${id} has no ${kind}: ${problem.detail} Download the original instead.`,
    );
  }
  return getDerivative(store, row, kind, config.maxImagePixels);
}

/**
 * Images of the same investigation that look like this one (perceptual hashes
 * within `max_distance` bits), nearest first: the same photo re-encoded,
 * resized or republished by another outlet.
 *
 * @example
 * const { items } = await findSimilarMedia(db, actor, media.id, { max_distance: 10 });
 */
export async function findSimilarMedia(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  query: SimilarQuery,
): Promise<SimilarMedia> {
  const parsed = similarQuerySchema.parse(query);
  const row = await findById(db, 'media', id);
  const { clearance } = await requireReader(db, actor, row.investigation_id);
  requireVisible(clearance, row, 'Media file');
  if (row.perceptual_hash === null) {
    const { state } = derivativesOf(row, await derivativeStatesOf(db, [row]));
    if (state === 'pending') {
      throw new NotReadyError(
        `The perceptual hash of media file ${id} is still being computed; ask again in a few seconds.`,
        DERIVATIVE_RETRY_AFTER_SECONDS,
      );
    }
    throw new DomainError(
      'validation_failed',
      `Media file ${id} has no perceptual hash: it is ${row.media_type}, or an image that could not be decoded.`,
      [{ field: 'id', message: 'not a decodable image' }],
    );
  }
  const similar = await repository.listSimilar(db, row.investigation_id, row.perceptual_hash, {
    exceptId: row.id,
    maxDistance: parsed.max_distance,
    limit: parsed.limit,
    clearance,
  });
  const shown = await presentMedia(
    db,
    similar.map(({ row: match }) => match),
  );
  return { items: similar.map(({ distance }, index) => ({ distance, media: shown[index]! })) };
}
