import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/tables.js';
import { DomainError, NotVisibleError } from '../../errors.js';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import { multipartFileNameProblem } from '../../http/storable-input.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { idParamsSchema } from '../../http/params.js';
import { enqueueImport, findImportJob, importJobSchema } from './jobs.js';
import { deleteImportMapping, findImportMapping, listImportMappings, saveImportMapping } from './mappings.js';
import {
  importMappingSchema,
  importPreviewSchema,
  importResultSchema,
  saveImportMappingBodySchema,
  savedImportMappingSchema,
  type ImportMapping,
} from './schema.js';
import { importItemsCsv, previewItemsCsv } from './service.js';
import { receiveImportUpload, removeImportUpload, requireImportUpload, withImportUpload } from './uploads.js';

const tags = ['imports'];
const encodingSchema = z.enum(['utf-8', 'iso-8859-1']);

export const importUploadSchema = z.object({
  sha256: z.string().describe('Names the kept file: send it to confirm the import of exactly these bytes'),
  size_bytes: z.number().int(),
  expires_at: z.string().describe('The file is kept until then (one hour), or until imported'),
  preview: importPreviewSchema,
});

const readingFields = {
  sheet: z.string().min(1).max(200).optional().describe('The sheet of a workbook to read; the first by default'),
  mapping: importMappingSchema
    .optional()
    .describe('Header → field (null: leave the column out); headers not in it are recognised by name'),
  mapping_name: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe(
      'Use the mapping saved under this name in the investigation (`mapping`, when given too, wins per header)',
    ),
};

export const importConfirmBodySchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hexadecimal'),
  encoding: encodingSchema.optional().describe('As previewed; decided from the bytes when not given'),
  ...readingFields,
});

const previewQuerySchema = z.object({
  encoding: encodingSchema.optional().describe('Read the file in this encoding; decided from the bytes by default'),
  sheet: readingFields.sheet,
  mapping_name: readingFields.mapping_name,
});

const jobParamsSchema = z.object({ jobId: z.uuid() });

const mappingNameParamsSchema = z.object({
  id: z.uuid(),
  name: z.string().min(1).max(100),
});

/** The mapping to read a file with: the saved one named, overridden header by header by the one given. */
async function chosenMapping(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  given: { mapping?: ImportMapping | undefined; mapping_name?: string | undefined },
): Promise<ImportMapping | undefined> {
  const saved =
    given.mapping_name === undefined
      ? undefined
      : await findImportMapping(db, actor, investigationId, given.mapping_name);
  if (saved === undefined) return given.mapping;
  return { ...saved, ...given.mapping };
}

function multipartMapping(text: string): ImportMapping {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DomainError('validation_failed', 'The field `mapping` must be JSON: header → field or null.', [
      { field: 'mapping', message: 'not JSON', code: 'mapping_invalid' },
    ]);
  }
  const parsed = importMappingSchema.safeParse(value);
  if (!parsed.success) {
    throw new DomainError('validation_failed', 'The field `mapping` must map each header to a field or null.', [
      { field: 'mapping', message: parsed.error.issues[0]?.message ?? 'not a mapping', code: 'mapping_invalid' },
    ]);
  }
  return parsed.data;
}

function badUpload(message: string): DomainError {
  return new DomainError(
    'validation_failed',
    `Send multipart/form-data with the CSV in the field \`file\`: ${message}.`,
    [{ field: 'file', message }],
  );
}

export function registerImportRoutes(app: ApiApp, { db, store, jobs }: RouteDeps): void {
  // Kept uploads live in the database and the evidence store, so any server confirms what another previewed.
  const uploads = { db, store };

  app.post(
    '/investigations/:id/imports/items/preview',
    {
      schema: {
        tags,
        summary:
          'Upload an item CSV and see what importing it would do (a dry run: nothing is written); the file is kept an hour by its SHA-256 for the confirmation (investigator)',
        consumes: ['multipart/form-data'],
        params: idParamsSchema,
        querystring: previewQuerySchema,
        response: { 200: importUploadSchema, ...problemResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const investigationId = request.params.id;
      await requireRole(db, actor, investigationId, 'investigator');
      if (!request.isMultipart()) throw badUpload('the request is not multipart/form-data');
      const owner = { userId: actor.userId, investigationId };
      let staged: Awaited<ReturnType<typeof receiveImportUpload>> | undefined;
      let mapping: ImportMapping | undefined;
      try {
        for await (const part of request.parts()) {
          if (part.type === 'field') {
            if (part.fieldname === 'mapping' && typeof part.value === 'string') mapping = multipartMapping(part.value);
            continue;
          }
          if (part.fieldname !== 'file' || staged !== undefined) {
            part.file.resume();
            throw badUpload(`one file, in the field \`file\` (got \`${part.fieldname}\`)`);
          }
          const nameProblem = multipartFileNameProblem('file', part.filename);
          if (nameProblem !== null) {
            part.file.resume();
            throw new DomainError('validation_failed', `file: ${nameProblem.message}`, [nameProblem]);
          }
          staged = await receiveImportUpload(uploads, part.file, owner, () => part.file.truncated);
        }
        if (staged === undefined) throw badUpload('no file was sent');
        const preview = await previewItemsCsv(db, actor, investigationId, staged.path, {
          encoding: request.query.encoding,
          sheet: request.query.sheet,
          mapping: await chosenMapping(db, actor, investigationId, {
            mapping,
            mapping_name: request.query.mapping_name,
          }),
        });
        return { sha256: staged.sha256, size_bytes: staged.size_bytes, expires_at: staged.expires_at, preview };
      } finally {
        // The local copy only: the upload stays kept in the store for the confirmation.
        await staged?.discard();
      }
    },
  );

  app.post(
    '/investigations/:id/imports/items/check',
    {
      schema: {
        tags,
        summary:
          'Check a kept upload again, e.g. with a changed column mapping: the same dry run as the preview, nothing written (investigator)',
        params: idParamsSchema,
        body: importConfirmBodySchema,
        response: { 200: importUploadSchema, ...problemResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const investigationId = request.params.id;
      await requireRole(db, actor, investigationId, 'investigator');
      const mapping = await chosenMapping(db, actor, investigationId, request.body);
      return withImportUpload(
        uploads,
        { userId: actor.userId, investigationId },
        request.body.sha256,
        async (upload) => ({
          sha256: upload.sha256,
          size_bytes: upload.size_bytes,
          expires_at: upload.expires_at,
          preview: await previewItemsCsv(db, actor, investigationId, upload.path, {
            encoding: request.body.encoding,
            sheet: request.body.sheet,
            mapping,
          }),
        }),
      );
    },
  );

  app.post(
    '/investigations/:id/imports/items',
    {
      schema: {
        tags,
        summary:
          'Import the previewed item CSV named by its SHA-256: checked again, then written in one transaction, all or nothing, audited (investigator)',
        params: idParamsSchema,
        body: importConfirmBodySchema,
        response: { 201: importResultSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const investigationId = request.params.id;
      await requireRole(db, actor, investigationId, 'investigator');
      const mapping = await chosenMapping(db, actor, investigationId, request.body);
      const result = await withImportUpload(
        uploads,
        { userId: actor.userId, investigationId },
        request.body.sha256,
        async (upload) => {
          const imported = await importItemsCsv(db, actor, investigationId, upload.path, {
            encoding: request.body.encoding,
            sheet: request.body.sheet,
            mapping,
          });
          await removeImportUpload(uploads, upload.id);
          return imported;
        },
      );
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/investigations/:id/import-mappings',
    {
      schema: {
        tags,
        summary: 'The column mappings saved in the investigation, by name (investigator)',
        params: idParamsSchema,
        response: { 200: z.object({ items: z.array(savedImportMappingSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ items: await listImportMappings(db, requireActor(request), request.params.id) }),
  );

  app.put(
    '/investigations/:id/import-mappings',
    {
      schema: {
        tags,
        summary: 'Save a column mapping under a name, replacing the one saved under that name (investigator; audited)',
        params: idParamsSchema,
        body: saveImportMappingBodySchema,
        response: { 200: savedImportMappingSchema, ...problemResponses },
      },
    },
    async (request) => saveImportMapping(db, requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/investigations/:id/import-mappings/:name',
    {
      schema: {
        tags,
        summary: 'Delete the column mapping saved under a name (investigator; audited)',
        params: mappingNameParamsSchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await deleteImportMapping(db, requireActor(request), request.params.id, request.params.name);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/investigations/:id/imports/items/jobs',
    {
      schema: {
        tags,
        summary:
          'Start importing the previewed item CSV named by its SHA-256 and answer at once with a job to poll for progress (rows checked, then rows written) and the result; the import itself is the same one transaction, all or nothing (investigator)',
        params: idParamsSchema,
        body: importConfirmBodySchema,
        response: { 202: importJobSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const investigationId = request.params.id;
      await requireRole(db, actor, investigationId, 'investigator');
      const mapping = await chosenMapping(db, actor, investigationId, request.body);
      // Refused here when the upload is not kept, before a job is queued.
      await requireImportUpload(uploads, { userId: actor.userId, investigationId }, request.body.sha256);
      const id = await enqueueImport(jobs, actor.userId, {
        investigation_id: investigationId,
        sha256: request.body.sha256,
        ...(request.body.encoding === undefined ? {} : { encoding: request.body.encoding }),
        ...(request.body.sheet === undefined ? {} : { sheet: request.body.sheet }),
        ...(mapping === undefined ? {} : { mapping }),
      });
      const job = await findImportJob(jobs, store, id, actor.userId);
      if (job === undefined) throw new Error(`import job ${id} vanished after it was queued`);
      return reply.status(202).send(job);
    },
  );

  app.get(
    '/imports/jobs/:jobId',
    {
      schema: {
        tags,
        summary: 'Where an import started as a job stands: phase, rows done of how many, then its result or problem',
        params: jobParamsSchema,
        response: { 200: importJobSchema, ...problemResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      // From the jobs table and the evidence store: any server answers, whichever runs the import.
      const job = await findImportJob(jobs, store, request.params.jobId, actor.userId);
      if (job === undefined) throw new NotVisibleError(`There is no import job ${request.params.jobId} of yours.`);
      return job;
    },
  );
}
