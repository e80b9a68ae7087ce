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
import {
  hasDerivatives,
  markDerivativesPending,
  recordImportedPhoto,
  type DerivativesMaker,
} from '../media/service.js';
import type { EvidenceStore } from '../../storage/evidence-store.js';
import { createSite, createZone } from '../sites/service.js';
import { planSubmission, type SubmissionPlan } from './plan.js';
import { findAttachment, readExport, sha256OfFile, stagePhoto, type StagedPhoto } from './read-export.js';
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
          await recordImportedPhoto(
            trx,
            actor,
            context.media,
            investigationId,
            {
              id: photo.mediaId,
              sha256: photo.staged.sha256,
              sizeBytes: photo.staged.sizeBytes,
              mediaType: photo.mediaType,
              filename: photo.filename,
              facts: photo.facts,
              proofs: photo.proofs,
              capturedAt,
              capturedBy: plan.raw.submitter,
            },
            { itemId, site, now },
          );
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
