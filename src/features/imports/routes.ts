import path from 'node:path';
import { z } from 'zod';
import { DomainError, NotVisibleError } from '../../errors.js';
import { isInternal } from '../../http/problem.js';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import { multipartFileNameProblem } from '../../http/storable-input.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { requireRole } from '../access/service.js';
import { idParamsSchema } from '../investigations/schema.js';
import { createImportJobRegistry, importJobSchema } from './jobs.js';
import { importPreviewSchema, importResultSchema } from './schema.js';
import { importItemsCsv, previewItemsCsv } from './service.js';
import { findImportUpload, removeImportUpload, stageImportUpload, type StagedImportUpload } from './uploads.js';

const tags = ['imports'];
const encodingSchema = z.enum(['utf-8', 'iso-8859-1']);

export const importUploadSchema = z.object({
  sha256: z.string().describe('Names the kept file: send it to confirm the import of exactly these bytes'),
  size_bytes: z.number().int(),
  expires_at: z.string().describe('The file is kept until then (one hour), or until imported'),
  preview: importPreviewSchema,
});

export const importConfirmBodySchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hexadecimal'),
  encoding: encodingSchema.optional().describe('As previewed; decided from the bytes when not given'),
});

const previewQuerySchema = z.object({
  encoding: encodingSchema.optional().describe('Read the file in this encoding; decided from the bytes by default'),
});

function badUpload(message: string): DomainError {
  return new DomainError(
    'validation_failed',
    `Send multipart/form-data with the CSV in the field \`file\`: ${message}.`,
    [{ field: 'file', message }],
  );
}

const jobParamsSchema = z.object({ jobId: z.uuid() });

export function registerImportRoutes(app: ApiApp, { db, config }: RouteDeps): void {
  const folder = path.join(config.dataDir, 'import-uploads');
  const jobs = createImportJobRegistry();

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
      let staged: StagedImportUpload | undefined;
      for await (const part of request.parts()) {
        if (part.type === 'field') continue;
        if (part.fieldname !== 'file' || staged !== undefined) {
          part.file.resume();
          throw badUpload(`one file, in the field \`file\` (got \`${part.fieldname}\`)`);
        }
        const nameProblem = multipartFileNameProblem('file', part.filename);
        if (nameProblem !== null) {
          part.file.resume();
          throw new DomainError('validation_failed', `file: ${nameProblem.message}`, [nameProblem]);
        }
        staged = await stageImportUpload(folder, part.file, owner, () => part.file.truncated);
      }
      if (staged === undefined) throw badUpload('no file was sent');
      const preview = await previewItemsCsv(db, actor, investigationId, staged.path, {
        encoding: request.query.encoding,
      });
      return { sha256: staged.sha256, size_bytes: staged.size_bytes, expires_at: staged.expires_at, preview };
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
      const file = await findImportUpload(folder, { userId: actor.userId, investigationId }, request.body.sha256);
      const result = await importItemsCsv(db, actor, investigationId, file, { encoding: request.body.encoding });
      await removeImportUpload(file);
      return reply.status(201).send(result);
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
      const file = await findImportUpload(folder, { userId: actor.userId, investigationId }, request.body.sha256);
      const encoding = request.body.encoding;
      const job = jobs.start(
        { userId: actor.userId, investigationId },
        (onProgress) => importItemsCsv(db, actor, investigationId, file, { encoding, onProgress }),
        async ({ result, problem, error }) => {
          if (result !== undefined) await removeImportUpload(file);
          if (problem !== undefined && isInternal(problem)) app.log.error({ err: error }, 'import job failed');
        },
      );
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
    (request) => {
      const actor = requireActor(request);
      const job = jobs.get(request.params.jobId, actor.userId);
      if (job === undefined)
        throw new NotVisibleError(
          `There is no import job ${request.params.jobId} of yours (finished jobs are kept an hour).`,
        );
      return job;
    },
  );
}
