import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { MediaConfig } from '../../config/config.js';
import type { DB } from '../../db/tables.js';
import { DomainError, type FieldProblem } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { recordChange } from '../audit/service.js';
import { createItem } from '../items/service.js';
import { inspectFile, type FileFacts } from '../media/inspect.js';
import { readEmbeddedProofs } from '../media/ingest-proofs.js';
import { recordProof, type StoredProof } from '../media/proofs.js';
import * as mediaRepository from '../media/repository.js';
import { reviewFlags } from '../media/review.js';
import { hasDerivatives, markDerivativesPending, type DerivativesMaker } from '../media/service.js';
import { checkDeclaredType } from '../../storage/sniff.js';
import type { EvidenceStore, StagedOriginal } from '../../storage/evidence-store.js';
import { createSite, createZone } from '../sites/service.js';
import { openArchive, type ArchiveMember, type OpenArchive } from './archive.js';
import { readKoboCsv, readOdkCentralCsv, readSubmissionsJson, unrecognised, type ReadExport } from './exports.js';
import { planSubmission, type SubmissionPlan } from './plan.js';
import * as repository from './repository.js';
import { formIdFor, type FormsImportResult } from './schema.js';
import { buildXlsForm } from './xlsform.js';
import { isVisibleAt, requireReader } from '../sensitivity/service.js';

/** What the import needs beyond the database: the evidence store and its limits. */
export interface FormsImportContext {
  store: EvidenceStore;
  media: Pick<MediaConfig, 'maxUploadBytes' | 'maxImagePixels' | 'reviewDistanceM' | 'reviewTimeHours'>;
  /** Makes the photos' thumbnails, previews and perceptual hashes once the import is committed (a job per file). */
  derivatives: DerivativesMaker;
}

/** The largest CSV or JSON read (a whole file or one member of a zip). */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;
const MAX_ARCHIVE_ENTRIES = 20_000;
const MAX_PROBLEMS = 200;

/**
 * The XLSForm of an investigation's item capture, ready to upload to ODK Central or KoboToolbox.
 *
 * @example
 * const { filename, bytes } = await writeXlsForm(db, actor, investigationId, {});
 */
export async function writeXlsForm(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  options: { version?: string | undefined; now?: Date },
): Promise<{ filename: string; formId: string; version: string; bytes: Buffer }> {
  const { clearance } = await requireReader(db, actor, investigationId);
  const investigation = await db
    .selectFrom('investigations')
    .select('title')
    .where('id', '=', investigationId)
    .executeTakeFirstOrThrow();
  // The form lists the sites to choose from: only those the reader may see.
  const sites = (await repository.listLiveSites(db, investigationId)).filter((site) =>
    isVisibleAt(clearance, site.sensitivity),
  );
  const version = options.version ?? (options.now ?? new Date()).toISOString().replace(/\D/g, '').slice(0, 12);
  const formId = formIdFor(investigationId);
  const bytes = await buildXlsForm({
    formId,
    version,
    title: `armtrace: ${investigation.title}`,
    sites: sites.map((site) => ({ id: site.id, name: site.name, names: site.names as Record<string, string> })),
  });
  return { filename: `${formId}.xlsx`, formId, version, bytes };
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await fsp.open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function readTables(texts: Map<string, string>, fileName: string): ReadExport {
  const jsons = [...texts.keys()].filter((name) => name.toLowerCase().endsWith('.json'));
  if (jsons.length > 1) throw unrecognised(`The zip holds ${jsons.length} JSON files; give one.`);
  if (jsons.length === 1) return readSubmissionsJson(texts.get(jsons[0]!)!);
  const csvs = new Map([...texts].filter(([name]) => name.toLowerCase().endsWith('.csv')));
  if (csvs.size === 0) throw unrecognised(`${fileName} holds no CSV or JSON of submissions.`);
  const headers = [...csvs.values()].map((content) => content.slice(0, content.indexOf('\n') + 1 || undefined));
  if (headers.some((header) => /(^|[,;])"?KEY"?([,;\r\n]|$)/.test(header))) return readOdkCentralCsv(csvs);
  if (csvs.size === 1 && headers.some((header) => /meta\/instanceID|(^|[,;])"?_uuid"?/.test(header))) {
    const [name, content] = [...csvs][0]!;
    return readKoboCsv(name, content);
  }
  throw unrecognised(
    `${fileName} is neither an ODK Central nor a KoboToolbox CSV export (no KEY, meta/instanceID or _uuid column).`,
  );
}

/** Reads the export (zip, JSON or CSV); the caller closes the archive. */
async function readExport(
  file: string,
  displayName: string,
  maxMediaBytes: number,
): Promise<{ read: ReadExport; archive?: OpenArchive }> {
  const head = await readHead(file);
  if (head.equals(Buffer.from('PK\u0003\u0004', 'latin1'))) {
    const archive = await openArchive(file, {
      maxTextBytes: MAX_TEXT_BYTES,
      maxMediaBytes,
      maxEntries: MAX_ARCHIVE_ENTRIES,
    });
    try {
      return { read: readTables(archive.texts, displayName), archive };
    } catch (error) {
      archive.close();
      throw error;
    }
  }
  const { size } = await fsp.stat(file);
  if (size > MAX_TEXT_BYTES) {
    throw new DomainError('validation_failed', `The file is larger than ${MAX_TEXT_BYTES} bytes.`, [
      {
        field: 'file',
        message: `larger than ${MAX_TEXT_BYTES} bytes`,
        code: 'file_too_large',
        params: { maximum: MAX_TEXT_BYTES },
      },
    ]);
  }
  const content = await fsp.readFile(file, 'utf8');
  const name = path.basename(displayName);
  const extension = content.trimStart().startsWith('{') ? '.json' : '.csv';
  return { read: readTables(new Map([[name.endsWith(extension) ? name : `${name}${extension}`, content]]), name) };
}

/** Kobo keeps attachment names as Django's `get_valid_filename` made them: spaces to `_`, other symbols dropped. */
function koboFileName(name: string): string {
  return name
    .trim()
    .replaceAll(' ', '_')
    .replace(/[^-\w.]/gu, '');
}

function findAttachment(
  members: readonly ArchiveMember[],
  plan: SubmissionPlan,
  filename: string,
): ArchiveMember | undefined {
  const uuid = plan.instanceId.replace(/^uuid:/, '');
  const byName = (wanted: string) => members.filter((member) => path.posix.basename(member.path) === wanted);
  for (const wanted of [filename, koboFileName(filename)]) {
    const candidates = byName(wanted);
    // Kobo's media zip keeps each submission's files in a folder named by its uuid.
    const inFolder = candidates.find((member) => member.path.split('/').includes(uuid));
    if (inFolder !== undefined) return inFolder;
    if (candidates.length === 1) return candidates[0];
  }
  return undefined;
}

interface StagedPhoto {
  filename: string;
  staged: StagedOriginal;
  mediaType: string;
  facts: FileFacts;
  /** A C2PA manifest the photo carries (its files already in the store). */
  proofs: StoredProof[];
}

async function stagePhoto(
  context: FormsImportContext,
  member: ArchiveMember,
  filename: string,
  problem: (message: string, code: string, params?: FieldProblem['params']) => void,
): Promise<StagedPhoto | undefined> {
  if (member.sizeBytes > context.media.maxUploadBytes) {
    problem(`larger than ${context.media.maxUploadBytes} bytes`, 'archive_entry_too_large', {
      maximum: context.media.maxUploadBytes,
    });
    return undefined;
  }
  let staged: StagedOriginal;
  try {
    staged = await context.store.stage(await member.open(), { maxBytes: context.media.maxUploadBytes });
  } catch (error) {
    // More bytes than the archive's directory declared (yauzl checks), or more than the limit.
    const detail =
      error instanceof DomainError ? (error.fields[0]?.message ?? error.message) : (error as Error).message;
    problem(`${filename} cannot be read from the archive within its size: ${detail}`, 'archive_entry_too_large', {
      maximum: context.media.maxUploadBytes,
    });
    return undefined;
  }
  try {
    const mediaType = checkDeclaredType(staged.head, { filename });
    if (!mediaType.startsWith('image/')) throw new Error(`content is ${mediaType}`);
    const facts = await inspectFile(staged.localPath, mediaType, context.media.maxImagePixels);
    const proofs = await readEmbeddedProofs(context.store, staged.localPath, mediaType, staged.sizeBytes);
    return { filename, staged, mediaType, facts, proofs };
  } catch (error) {
    await staged.discard();
    const detail =
      error instanceof DomainError ? (error.fields[0]?.message ?? error.message) : (error as Error).message;
    problem(`${filename} is not an image that can be kept: ${detail}`, 'attachment_not_image', { filename });
    return undefined;
  }
}

export interface FormsImportOptions {
  dryRun?: boolean;
  /** The name the file was given (for messages and the audit entry). */
  fileName?: string;
}

/**
 * Imports an ODK Central or KoboToolbox export of the armtrace form (CSV zip with its photos, or the OData / API v2
 * JSON): every new submission becomes an item with its markings and photos, at the chosen or a new site, in one
 * transaction; a submission whose instance ID was imported before is left alone. Any problem refuses the whole
 * file, naming the submission and the field.
 *
 * @example
 * const result = await importFormExport(db, { store, media: config.media }, actor, investigationId,
 *   '/tmp/armtrace_items.csv.zip', { dryRun: true });
 */
export async function importFormExport(
  db: Kysely<DB>,
  context: FormsImportContext,
  actor: Actor,
  investigationId: string,
  file: string,
  options: FormsImportOptions = {},
): Promise<FormsImportResult> {
  await requireRole(db, actor, investigationId, 'investigator');
  const fileName = options.fileName ?? path.basename(file);
  const fileSha256 = await sha256OfFile(file);
  const { read, archive } = await readExport(file, fileName, context.media.maxUploadBytes);
  const photos = new Map<string, StagedPhoto[]>();
  try {
    const problems: FieldProblem[] = [];
    const plans: SubmissionPlan[] = [];
    const seen = new Set<string>();
    for (const raw of read.submissions) {
      if (raw.instanceId !== null && seen.has(raw.instanceId)) {
        problems.push({
          field: `${raw.ref}/meta/instanceID`,
          message: 'appears twice in the file',
          code: 'instance_id_repeated',
        });
        continue;
      }
      if (raw.instanceId !== null) seen.add(raw.instanceId);
      const planned = planSubmission(raw);
      problems.push(...planned.problems);
      if (planned.plan !== undefined) plans.push(planned.plan);
    }
    const imported = await repository.findImportedInstances(db, investigationId, [...seen]);
    const fresh = plans.filter((plan) => !imported.has(plan.instanceId));

    const chosenSites = [...new Set(fresh.flatMap((plan) => ('id' in plan.site ? [plan.site.id] : [])))];
    const sites = new Map(
      (await repository.findSites(db, investigationId, chosenSites)).map((site) => [site.id, site]),
    );
    for (const plan of fresh) {
      if (!('id' in plan.site)) continue;
      const site = sites.get(plan.site.id);
      if (site === undefined) {
        problems.push({
          field: `${plan.instanceId}/site`,
          message: `site ${plan.site.id} is not a site of this investigation`,
          code: 'unknown_reference',
        });
      } else if (site.archived_at !== null) {
        problems.push({
          field: `${plan.instanceId}/site`,
          message: `site ${plan.site.id} is archived`,
          code: 'reference_archived',
        });
      }
    }

    for (const plan of fresh) {
      const staged: StagedPhoto[] = [];
      photos.set(plan.instanceId, staged);
      for (const [index, filename] of plan.photos.entries()) {
        const field = `${plan.instanceId}/photos[${index + 1}]/photo`;
        const problem = (message: string, code: string, params?: FieldProblem['params']) =>
          problems.push({ field, message, code, ...(params === undefined ? {} : { params }) });
        const member = archive === undefined ? undefined : findAttachment(archive.members, plan, filename);
        if (member === undefined) {
          problem(`${filename} is not in the export (give the zip with its media files)`, 'attachment_missing', {
            filename,
          });
          continue;
        }
        const photo = await stagePhoto(context, member, filename, problem);
        if (photo !== undefined) staged.push(photo);
      }
    }
    if (problems.length > 0) {
      const shown = problems.slice(0, MAX_PROBLEMS);
      throw new DomainError(
        'validation_failed',
        `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${fileName}; nothing was imported. ` +
          shown
            .slice(0, 5)
            .map((p) => `${p.field}: ${p.message}`)
            .join('; '),
        shown,
      );
    }

    const importId = uuidv7();
    const planned = fresh.map((plan) => ({
      plan,
      itemId: uuidv7(),
      photos: (photos.get(plan.instanceId) ?? []).map((photo) => ({ ...photo, mediaId: uuidv7() })),
    }));
    const result: FormsImportResult = {
      import_id: options.dryRun === true || fresh.length === 0 ? null : importId,
      dry_run: options.dryRun === true,
      export_format: read.format,
      form_id: read.submissions.find((raw) => raw.formId !== null)?.formId ?? null,
      form_versions: [
        ...new Set(read.submissions.flatMap((raw) => (raw.formVersion === null ? [] : [raw.formVersion]))),
      ].sort(),
      submissions: read.submissions.length,
      already_imported: plans.length - fresh.length,
      items_created: fresh.length,
      markings_created: fresh.reduce((sum, plan) => sum + (plan.item.markings?.length ?? 0), 0),
      sites_created: 0,
      zones_created: 0,
      media_created: planned.reduce((sum, entry) => sum + entry.photos.length, 0),
      created: [],
    };
    if (options.dryRun === true || fresh.length === 0) {
      // A dry run reports the ids the items would get; the sites and zones it would add are counted by name.
      const newSites = new Set(
        fresh.flatMap((plan) => ('name' in plan.site ? [`${plan.site.siteType}\n${plan.site.name}`] : [])),
      );
      for (const key of newSites) {
        const [siteType, name] = key.split('\n') as [string, string];
        if ((await repository.findLiveSiteByName(db, investigationId, name, siteType)) === undefined)
          result.sites_created += 1;
      }
      result.created = planned.map(({ plan, itemId, photos: staged }) => ({
        instance_id: plan.instanceId,
        item_id: itemId,
        site_id: 'id' in plan.site ? plan.site.id : null,
        media: staged.map((photo) => ({
          id: photo.mediaId,
          sha256: photo.staged.sha256,
          original_filename: photo.filename,
        })),
      }));
      return result;
    }

    // The bytes are in the store before any record points at them (a refused transaction leaves them unreferenced).
    for (const entry of planned) for (const photo of entry.photos) await photo.staged.commit();
    const newPhotos = planned.flatMap((entry) =>
      entry.photos.map((photo) => ({ sha256: photo.staged.sha256, media_type: photo.mediaType })),
    );
    const committed = await db.transaction().execute(async (trx) => {
      await requireRole(trx, actor, investigationId, 'investigator');
      await markDerivativesPending(trx, newPhotos);
      const newSites = new Map<string, string>();
      const zones = new Map<string, string>();
      const now = new Date();
      for (const { plan, itemId, photos: staged } of planned) {
        let siteId: string;
        if ('id' in plan.site) siteId = plan.site.id;
        else {
          const key = `${plan.site.siteType}\n${plan.site.name}`;
          let found =
            newSites.get(key) ??
            (await repository.findLiveSiteByName(trx, investigationId, plan.site.name, plan.site.siteType));
          if (found === undefined) {
            const accuracy = plan.point?.accuracy ?? null;
            found = (
              await createSite(trx, actor, investigationId, {
                site_type: plan.site.siteType as 'cache',
                name: plan.site.name,
                latitude: plan.point?.latitude ?? null,
                longitude: plan.point?.longitude ?? null,
                precision_m: plan.point !== null && accuracy !== null && accuracy > 0 ? accuracy : null,
              })
            ).id;
            result.sites_created += 1;
          }
          newSites.set(key, found);
          siteId = found;
        }
        let zoneId: string | null = null;
        if (plan.zoneName !== null) {
          const key = `${siteId}\n${plan.zoneName}`;
          zoneId = zones.get(key) ?? (await repository.findLiveZoneByName(trx, siteId, plan.zoneName)) ?? null;
          if (zoneId === null) {
            zoneId = (await createZone(trx, actor, siteId, { name: plan.zoneName })).id;
            result.zones_created += 1;
          }
          zones.set(key, zoneId);
        }
        await createItem(trx, actor, investigationId, { ...plan.item, id: itemId, site_id: siteId, zone_id: zoneId });
        const site = await trx.selectFrom('sites').selectAll().where('id', '=', siteId).executeTakeFirstOrThrow();
        const capturedAt = plan.endedAt ?? plan.startedAt;
        for (const photo of staged) {
          const media = await mediaRepository.insertMedia(trx, {
            id: photo.mediaId,
            investigation_id: investigationId,
            sha256: photo.staged.sha256,
            size_bytes: photo.staged.sizeBytes,
            media_type: photo.mediaType,
            original_filename: photo.filename,
            captured_at: capturedAt,
            captured_by: plan.raw.submitter,
            source_id: null,
            credit: null,
            licence: null,
            original_url: null,
            ...photo.facts,
            created_by: actor.userId,
            created_at: now,
            updated_at: now,
          });
          await recordChange(trx, actor, {
            action: 'media.create',
            entityType: 'media',
            entityId: media.id,
            investigationId,
            after: media,
          });
          for (const proof of photo.proofs) await recordProof(trx, actor, media, proof);
          const link = await mediaRepository.insertMediaLink(trx, {
            id: uuidv7(),
            investigation_id: investigationId,
            media_id: media.id,
            site_id: null,
            item_id: itemId,
            marking_id: null,
            review_flags: JSON.stringify(reviewFlags(media, site, context.media)),
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
        }
        const submission = await repository.insertFormSubmission(trx, {
          id: uuidv7(),
          investigation_id: investigationId,
          instance_id: plan.instanceId,
          export_format: read.format,
          form_id: plan.raw.formId,
          form_version: plan.raw.formVersion,
          item_id: itemId,
          site_id: siteId,
          submitter: plan.raw.submitter,
          device_started_as_sent: plan.raw.start,
          device_started_at: plan.startedAt,
          device_ended_as_sent: plan.raw.end,
          device_ended_at: plan.endedAt,
          submitted_at: plan.submittedAt,
          geopoint_as_sent: plan.raw.geopointAsSent,
          import_id: importId,
          imported_by: actor.userId,
          imported_at: now,
        });
        await recordChange(trx, actor, {
          action: 'form_submission.create',
          entityType: 'form_submissions',
          entityId: submission.id,
          investigationId,
          after: submission,
        });
        result.created.push({
          instance_id: plan.instanceId,
          item_id: itemId,
          site_id: siteId,
          media: staged.map((photo) => ({
            id: photo.mediaId,
            sha256: photo.staged.sha256,
            original_filename: photo.filename,
          })),
        });
      }
      await recordChange(trx, actor, {
        action: 'forms.import',
        entityType: 'imports',
        entityId: importId,
        investigationId,
        after: {
          file_name: fileName,
          file_sha256: fileSha256,
          export_format: read.format,
          form_id: result.form_id,
          form_versions: result.form_versions,
          submissions: read.submissions.length,
          already_imported: result.already_imported,
          created: planned.map(({ plan, itemId }) => ({
            instance_id: plan.instanceId,
            item_id: itemId,
            form_version: plan.raw.formVersion,
            submitter: plan.raw.submitter,
            device_start: plan.raw.start,
            device_end: plan.raw.end,
            submitted_at: plan.raw.submittedAt,
          })),
        },
      });
      return result;
    });
    await context.derivatives(
      newPhotos
        .filter((photo) => hasDerivatives(photo.media_type))
        .map((photo) => ({ sha256: photo.sha256, investigationId })),
      actor,
    );
    return committed;
  } finally {
    for (const staged of photos.values()) for (const photo of staged) await photo.staged.discard();
    archive?.close();
  }
}
