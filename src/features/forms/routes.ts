import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import { DomainError } from '../../errors.js';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import { multipartFileNameProblem } from '../../http/storable-input.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { requireRole } from '../access/service.js';
import { queueDerivatives } from '../media/service.js';
import { idParamsSchema } from '../../http/params.js';
import { formsImportQuerySchema, formsImportResultSchema, xlsformQuerySchema } from './schema.js';
import { importFormExport, writeXlsForm } from './service.js';

const tags = ['forms'];

function badUpload(message: string): DomainError {
  return new DomainError(
    'validation_failed',
    `Send multipart/form-data with the export in the field \`file\`: ${message}.`,
    [{ field: 'file', message }],
  );
}

export function registerFormRoutes(app: ApiApp, { db, config, store, jobs }: RouteDeps): void {
  const derivatives = queueDerivatives(jobs);
  const folder = path.join(config.dataDir, 'form-uploads');

  app.get(
    '/investigations/:id/forms/xlsform',
    {
      schema: {
        tags,
        summary:
          'The XLSForm of the item capture (sites of the investigation, choice lists in English, French and Arabic) for ODK Central or KoboToolbox (viewer)',
        params: idParamsSchema,
        querystring: xlsformQuerySchema,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: { 200: z.unknown().describe('The .xlsx workbook'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const form = await writeXlsForm(db, requireActor(request), request.params.id, { version: request.query.version });
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${form.filename}"`)
        .send(form.bytes);
    },
  );

  app.post(
    '/investigations/:id/forms/import',
    {
      schema: {
        tags,
        summary:
          'Import an ODK Central or KoboToolbox export of the capture form (CSV zip with its photos, or the OData / API v2 JSON): one transaction, all or nothing; submissions imported before (same instance ID) are left alone (investigator)',
        consumes: ['multipart/form-data'],
        params: idParamsSchema,
        querystring: formsImportQuerySchema,
        response: { 200: formsImportResultSchema, 201: formsImportResultSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const investigationId = request.params.id;
      await requireRole(db, actor, investigationId, 'investigator');
      if (!request.isMultipart()) throw badUpload('the request is not multipart/form-data');
      await fsp.mkdir(folder, { recursive: true });
      let received: { file: string; name: string } | undefined;
      try {
        for await (const part of request.parts()) {
          if (part.type === 'field') continue;
          if (part.fieldname !== 'file' || received !== undefined) {
            part.file.resume();
            throw badUpload(`one file, in the field \`file\` (got \`${part.fieldname}\`)`);
          }
          const nameProblem = multipartFileNameProblem('file', part.filename);
          if (nameProblem !== null) {
            part.file.resume();
            throw new DomainError('validation_failed', `file: ${nameProblem.message}`, [nameProblem]);
          }
          received = { file: path.join(folder, uuidv7()), name: part.filename };
          await pipeline(part.file, fs.createWriteStream(received.file, { flags: 'wx' }));
          if (part.file.truncated) {
            throw new DomainError(
              'validation_failed',
              `The file is larger than ${config.media.maxUploadBytes} bytes.`,
              [
                {
                  field: 'file',
                  message: `larger than ${config.media.maxUploadBytes} bytes`,
                  code: 'file_too_large',
                  params: { maximum: config.media.maxUploadBytes },
                },
              ],
            );
          }
        }
        if (received === undefined) throw badUpload('no file was sent');
        const result = await importFormExport(
          db,
          { store, media: config.media, derivatives },
          actor,
          investigationId,
          received.file,
          {
            dryRun: request.query.dry_run,
            fileName: received.name,
          },
        );
        return await reply.status(result.import_id === null ? 200 : 201).send(result);
      } finally {
        if (received !== undefined) await fsp.rm(received.file, { force: true });
      }
    },
  );
}
