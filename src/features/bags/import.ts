import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { DB } from '../../db/tables.js';
import type { Tx } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { IMPORT_BATCH_ACTION, IMPORT_ENTITY_TYPE, snapshotDigest } from '../audit/import-batches.js';
import { auditSnapshot, recordChange } from '../audit/service.js';
import type { EvidenceStore } from '../../storage/evidence-store.js';
import { checkBagSignature, SIGNED_TAG_MANIFEST } from '../signing/bag-signature.js';
import { signerStanding } from '../signing/service.js';
import {
  archivable,
  bagDocumentSchema,
  copiedColumns,
  importedRecordSchema,
  importedSensitivity,
  importedTables,
  jsonColumns,
  references,
  refuse,
  singular,
  timeColumns,
  timeOf,
  withSensitivity,
  type ImportedTable,
} from './bag-records.js';
import { isSafeBagPath, verifyBag } from './bagit.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';
import { clearanceFor } from '../sensitivity/service.js';
import { hasDerivatives, markDerivativesPending, type DerivativesMaker } from '../media/service.js';

export { importedTables } from './bag-records.js';

/**
 * Importing a partner's signed bag (written by `export bag` on another
 * armtrace instance) into an investigation. The bag is checked first (every
 * payload hash, then the signature over the tag manifest, whose key must be
 * this instance's or a trusted partner's); then its sites, zones, items,
 * markings, custody events, media (originals re-hashed into the store) and
 * media links are created with new ids in one transaction, each audited, with
 * a source naming the bag (its hash, signer and date) and a row per record
 * keeping the id it had in the bag. The bag is named by the SHA-256 of its
 * tag manifest: importing it again into the same investigation creates nothing.
 */

export const bagImportResultSchema = z.object({
  bag_import_id: z.uuid(),
  bag_sha256: z.string().describe('SHA-256 of the bag’s tagmanifest-sha256.txt: the bag’s identity'),
  already_imported: z
    .boolean()
    .describe('The same bag was imported into this investigation before: nothing was created'),
  source_id: z.uuid().describe('The source naming the bag, its signer and date, that the imported media cite'),
  signer: z.object({
    fingerprint: z.string(),
    name: z.string().describe('The name in the bag’s signer file'),
    trust: z.enum(['own', 'trusted']),
    known_as: z.string().nullable().describe('The name this instance gave the key'),
  }),
  bagging_date: z.string().nullable(),
  created: z.record(z.string(), z.number().int()).describe('Records created, per table'),
  not_imported: z
    .record(z.string(), z.number().int())
    .describe('Records of the bag this import does not bring in (incidents, trace requests, claims, …), per table'),
});
export type BagImportResult = z.infer<typeof bagImportResultSchema>;

/** Reads the bag-info.txt label `label`, or null. */
function bagInfoValue(info: string, label: string): string | null {
  const match = new RegExp(`^${label}:\\s*(.*?)\\s*$`, 'm').exec(info);
  return match?.[1] ?? null;
}

async function findImport(db: Kysely<DB> | Tx, investigationId: string, bagSha256: string) {
  return db
    .selectFrom('bag_imports')
    .selectAll()
    .where('investigation_id', '=', investigationId)
    .where('bag_sha256', '=', bagSha256)
    .executeTakeFirst();
}

function emptyCounts(): Record<string, number> {
  return Object.fromEntries(importedTables.map((table) => [table, 0]));
}

/**
 * Verifies a signed bag and imports its records into an investigation, all
 * or nothing, idempotently (see the module comment). `own` is this
 * instance's key; any other signer must be in the trusted list.
 *
 * @example
 * const result = await importBag(db, store, actor, investigationId, '/media/usb/partner.bag', instanceSigner(config),
 *   queueDerivatives(jobs));
 * console.log(result.already_imported ? 'already there' : result.created);
 */
export async function importBag(
  db: Kysely<DB>,
  store: EvidenceStore,
  actor: Actor,
  investigationId: string,
  bagPath: string,
  own: { fingerprint: string; name: string } | undefined,
  derivatives: DerivativesMaker,
): Promise<BagImportResult> {
  await requireRole(db, actor, investigationId, 'editor');
  const root = path.resolve(bagPath);

  // 1. Nothing is read into the database before the bag proves itself.
  const verification = await verifyBag(root);
  if (!verification.ok) {
    throw refuse(
      `${bagPath} is not an intact bag (${verification.problems.length} problem(s)); nothing was imported.`,
      verification.problems.map((problem) => problem.message),
    );
  }
  const signature = await checkBagSignature(root);
  if (signature.status !== 'valid' || signature.fingerprint === null || signature.name === null) {
    throw new DomainError(
      'signature_invalid',
      `${signature.message} Only signed bags are imported; nothing was imported.`,
      [{ field: 'bag', message: signature.message }],
    );
  }
  const standing = await signerStanding(db, own, signature.fingerprint);
  if (standing.trust === 'unknown') {
    throw new DomainError(
      'signature_invalid',
      `The bag is signed by "${signature.name}" with the key ${signature.fingerprint}, which this instance does not trust; ` +
        'check the fingerprint with the partner and add their public key with `armtrace key trust <file> --name …`. Nothing was imported.',
      [{ field: 'bag', message: `signed by an untrusted key ${signature.fingerprint}` }],
    );
  }
  const signer: BagImportResult['signer'] = {
    fingerprint: signature.fingerprint,
    name: signature.name,
    trust: standing.trust,
    known_as: standing.known_as,
  };
  const bagSha256 = createHash('sha256')
    .update(await fsp.readFile(path.join(root, SIGNED_TAG_MANIFEST)))
    .digest('hex');
  const info = await fsp.readFile(path.join(root, 'bag-info.txt'), 'utf8');
  const baggingDate = bagInfoValue(info, 'Bagging-Date');

  const existing = await findImport(db, investigationId, bagSha256);
  if (existing !== undefined) {
    return {
      bag_import_id: existing.id,
      bag_sha256: bagSha256,
      already_imported: true,
      source_id: existing.source_id,
      signer,
      bagging_date: existing.bagging_date,
      created: emptyCounts(),
      not_imported: {},
    };
  }

  // 2. The records and the originals they need.
  let parsedDocument: z.infer<typeof bagDocumentSchema>;
  try {
    const parsed = bagDocumentSchema.safeParse(
      JSON.parse(await fsp.readFile(path.join(root, 'data', 'records.json'), 'utf8')),
    );
    if (!parsed.success) {
      throw refuse(
        `data/records.json is not an armtrace bag's records: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}; nothing was imported.`,
      );
    }
    parsedDocument = parsed.data;
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw refuse(`data/records.json cannot be read as JSON (${(error as Error).message}); nothing was imported.`);
  }
  const document = parsedDocument;
  const importedRows = new Map<ImportedTable, z.infer<typeof importedRecordSchema>[]>();
  for (const table of importedTables) {
    const parsed = z.array(importedRecordSchema).safeParse(document.records[table] ?? []);
    if (!parsed.success) {
      throw refuse(
        `data/records.json: ${table}.${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'invalid'}; nothing was imported.`,
      );
    }
    importedRows.set(table, parsed.data);
  }
  const rowsOf = (table: ImportedTable) => importedRows.get(table) ?? [];
  const notImported: Record<string, number> = {};
  for (const [table, rows] of Object.entries(document.records)) {
    if (!(importedTables as readonly string[]).includes(table) && rows.length > 0) notImported[table] = rows.length;
  }
  // The originals go into the store first (addressed by their hash, so bytes left by a failed import are harmless).
  const originalPaths = new Map(document.originals.map((original) => [original.sha256, original.path]));
  for (const media of rowsOf('media')) {
    const sha256 = String(media.sha256);
    const filePath = originalPaths.get(sha256);
    if (filePath === undefined || !isSafeBagPath(filePath) || !filePath.startsWith('data/originals/')) {
      throw refuse(`The bag lists media ${media.id} (SHA-256 ${sha256}) but not its original; nothing was imported.`);
    }
    if (await store.has(sha256)) continue;
    const stored = await store.put(fs.createReadStream(path.join(root, ...filePath.split('/'))), {
      maxBytes: Number.MAX_SAFE_INTEGER,
    });
    if (stored.sha256 !== sha256) {
      throw refuse(`${filePath} hashes to ${stored.sha256}, not ${sha256}; nothing was imported.`);
    }
  }

  // 3. All or nothing. The photos' thumbnails and previews are made by jobs once it is committed (the hash
  // comes with the bag; one the bag lacks is computed).
  const newFiles = rowsOf('media').map((media) => ({
    sha256: String(media.sha256),
    media_type: String(media.media_type),
  }));
  const result = await db.transaction().execute(async (trx) => {
    await requireRole(trx, actor, investigationId, 'editor');
    const again = await findImport(trx, investigationId, bagSha256);
    if (again !== undefined) {
      return {
        bag_import_id: again.id,
        bag_sha256: bagSha256,
        already_imported: true,
        source_id: again.source_id,
        signer,
        bagging_date: again.bagging_date,
        created: emptyCounts(),
        not_imported: {},
      };
    }
    await markDerivativesPending(trx, newFiles);
    const now = new Date();
    const publishedOn = baggingDate !== null && /^\d{4}-\d{2}-\d{2}$/.test(baggingDate) ? baggingDate : null;
    const source = await trx
      .insertInto('sources')
      .values({
        id: uuidv7(),
        investigation_id: investigationId,
        kind: 'other',
        title:
          `Signed bag from ${signer.known_as ?? signer.name}${publishedOn === null ? '' : ` of ${publishedOn}`}`.slice(
            0,
            500,
          ),
        publisher: signer.name.slice(0, 500),
        published_on: publishedOn,
        notes: [
          `Imported from a signed BagIt bag (armtrace import bag).`,
          `Bag (SHA-256 of ${SIGNED_TAG_MANIFEST}): ${bagSha256}`,
          `Signer: ${signer.name}, Ed25519 key ${signer.fingerprint} (${signer.trust === 'own' ? 'this instance' : `trusted as "${signer.known_as ?? ''}"`})`,
          `Signed at: ${signature.signed_at ?? 'unknown'}; bagging date: ${baggingDate ?? 'unknown'}`,
          `Origin investigation: ${document.investigation.id} ${document.investigation.title}`,
        ].join('\n'),
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
        archived_at: null,
        archive_reason: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(trx, actor, {
      action: 'source.create',
      entityType: 'sources',
      entityId: source.id,
      investigationId,
      after: source,
    });
    const bagImport = await trx
      .insertInto('bag_imports')
      .values({
        id: uuidv7(),
        investigation_id: investigationId,
        bag_sha256: bagSha256,
        signer_fingerprint: signer.fingerprint,
        signer_name: signer.name,
        bagging_date: baggingDate,
        exported_at: document.exported_at ?? null,
        origin_investigation: `${document.investigation.id} ${document.investigation.title}`.slice(0, 1000),
        source_id: source.id,
        imported_by: actor.userId,
        imported_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(trx, actor, {
      action: 'bag.import',
      entityType: 'bag_imports',
      entityId: bagImport.id,
      investigationId,
      after: bagImport,
    });

    const investigation = await trx
      .selectFrom('investigations')
      .select(['default_sensitivity', 'default_sensitivity_reason'])
      .where('id', '=', investigationId)
      .executeTakeFirstOrThrow();
    const fallback = {
      level: investigation.default_sensitivity as SensitivityLevel,
      reason: investigation.default_sensitivity_reason,
    };
    const clearance = await clearanceFor(trx, actor, investigationId);
    const newIds = new Map<ImportedTable, Map<string, string>>(importedTables.map((table) => [table, new Map()]));
    const created = emptyCounts();
    const origins: { id: string; record_type: ImportedTable; original_id: string; record_id: string }[] = [];
    for (const table of importedTables) {
      for (const record of rowsOf(table)) {
        const values: Record<string, unknown> = {};
        for (const column of copiedColumns[table]) {
          if (!(column in record)) continue;
          const value = record[column];
          values[column] =
            value === null
              ? null
              : jsonColumns.has(column)
                ? JSON.stringify(value)
                : timeColumns.has(column)
                  ? timeOf(value, `${table}.${record.id}.${column}`)
                  : value;
        }
        let skip = false;
        for (const [column, target] of Object.entries(references[table])) {
          const original = record[column];
          if (original === null || original === undefined) {
            values[column] = null;
            continue;
          }
          if (typeof original !== 'string') {
            throw refuse(`${table} ${record.id}: ${column} is not an id; nothing was imported.`);
          }
          const mapped = newIds.get(target)!.get(original);
          if (mapped === undefined) {
            // A link to a record the bag does not hold (a bag of chosen items keeps only their own links).
            if (table === 'media_links') skip = true;
            else {
              throw refuse(
                `${table} ${record.id} refers to ${target} ${original}, which is not in the bag; nothing was imported.`,
              );
            }
          }
          values[column] = mapped ?? null;
        }
        if (skip) continue;
        if (withSensitivity.has(table)) Object.assign(values, importedSensitivity(table, record, fallback, clearance));
        if (table === 'media') values.source_id = source.id;
        if (archivable.has(table)) {
          values.archived_at =
            record.archived_at === null || record.archived_at === undefined
              ? null
              : timeOf(record.archived_at, `${table}.${record.id}.archived_at`);
          values.archive_reason = record.archive_reason ?? null;
          values.updated_at = now;
        }
        const id = uuidv7();
        let row: Record<string, unknown>;
        try {
          row = await trx
            .insertInto(table)
            .values({
              ...values,
              id,
              investigation_id: investigationId,
              created_by: actor.userId,
              created_at: now,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
        } catch (error) {
          throw refuse(
            `${table} ${record.id} of the bag cannot be stored exactly as given (${(error as Error).message}); nothing was imported.`,
          );
        }
        await recordChange(trx, actor, {
          action: `${singular[table]}.create`,
          entityType: table,
          entityId: id,
          investigationId,
          after: row,
        });
        newIds.get(table)!.set(record.id, id);
        created[table] = (created[table] ?? 0) + 1;
        origins.push({ id: uuidv7(), record_type: table, original_id: record.id, record_id: id });
      }
    }
    if (origins.length > 0) {
      const rows = await trx
        .insertInto('bag_import_records')
        .values(
          origins.map((origin) => ({
            ...origin,
            bag_import_id: bagImport.id,
            investigation_id: investigationId,
            bag_sha256: bagSha256,
          })),
        )
        .returningAll()
        .execute();
      // One batch entry covers every origin row (audit/import-batches.ts).
      await recordChange(trx, actor, {
        action: IMPORT_BATCH_ACTION,
        entityType: IMPORT_ENTITY_TYPE,
        entityId: bagImport.id,
        investigationId,
        after: {
          import_id: bagImport.id,
          batch: 1,
          created: {
            bag_import_records: rows.map((row) => [row.id, snapshotDigest(auditSnapshot('bag_import_records', row))]),
          },
        },
      });
    }
    return {
      bag_import_id: bagImport.id,
      bag_sha256: bagSha256,
      already_imported: false,
      source_id: source.id,
      signer,
      bagging_date: baggingDate,
      created,
      not_imported: notImported,
    };
  });
  if (!result.already_imported) {
    await derivatives(
      newFiles.filter((file) => hasDerivatives(file.media_type)).map((file) => ({ ...file, investigationId })),
      actor,
    );
  }
  return result;
}
