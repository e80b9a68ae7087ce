import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../../errors.js';
import { requireActor } from '../../http/auth.js';
import { parseByteRange } from '../../http/byte-range.js';
import { problemResponses } from '../../http/responses.js';
import { multipartFieldText, multipartFileNameProblem } from '../../http/storable-input.js';
import { neutralizeBidiControls } from '../../parsing/display-text.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { archiveBodySchema, idParamsSchema } from '../../http/params.js';
import { queueDerivatives } from './derivative-jobs.js';
import type { Derivative } from './derivatives.js';
import {
  createMediaLinkBodySchema,
  mediaLinkSchema,
  mediaListQuerySchema,
  mediaPageSchema,
  mediaSchema,
  mediaWithLinksSchema,
  similarMediaSchema,
  similarQuerySchema,
  updateMediaBodySchema,
  uploadedMediaSchema,
  uploadFormSchema,
} from './schema.js';
import * as service from './service.js';
import type { StagedOriginal } from '../../storage/evidence-store.js';

const tags = ['media'];

const fileResponse = z.unknown().describe('The bytes of the file');

/** An original's ETag: its content hash, so it never changes. */
const originalEtag = (sha256: string) => `"sha256-${sha256}"`;

function badUpload(message: string): DomainError {
  return new DomainError(
    'validation_failed',
    `Send multipart/form-data with the file in the field \`file\`: ${message}.`,
    [{ field: 'file', message }],
  );
}

/**
 * `attachment; filename="…"` with an RFC 8187 form for names that are not plain ASCII; bidirectional controls
 * are written out, so that the name saved is the name shown.
 */
function contentDisposition(given: string): string {
  const filename = neutralizeBidiControls(given);
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

function sendDerivative(reply: FastifyReply, derivative: Derivative) {
  return reply
    .header('content-type', derivative.mediaType)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, max-age=86400')
    .header('x-armtrace-parent-sha256', derivative.parentSha256)
    .send(derivative.bytes);
}

export function registerMediaRoutes(app: ApiApp, { db, config, store, jobs }: RouteDeps): void {
  const derivatives = queueDerivatives(jobs);
  app.get(
    '/investigations/:id/media',
    {
      schema: {
        tags,
        summary: 'List an investigation’s media records, optionally by hash, source or review flags',
        params: idParamsSchema,
        querystring: mediaListQuerySchema,
        response: { 200: mediaPageSchema, ...problemResponses },
      },
    },
    (request) => service.listMedia(db, requireActor(request), request.params.id, request.query),
  );
  app.post(
    '/investigations/:id/media',
    {
      schema: {
        tags,
        summary:
          'Upload a photo, video or document (investigator): streamed, hashed while received, typed by its content; the same bytes are stored once',
        consumes: ['multipart/form-data'],
        params: idParamsSchema,
        body: uploadFormSchema,
        response: { 201: uploadedMediaSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const investigationId = request.params.id;
      await service.requireCanAddMedia(db, actor, investigationId);
      if (!request.isMultipart()) throw badUpload('the request is not multipart/form-data');
      let staged: StagedOriginal | undefined;
      let claims: service.UploadClaims = {};
      const fields: Record<string, string> = {};
      try {
        for await (const part of request.parts()) {
          if (part.type === 'field') {
            const decoded = multipartFieldText(part.fieldname, String(part.value));
            if ('problem' in decoded)
              throw new DomainError('validation_failed', `${decoded.problem.field}: ${decoded.problem.message}`, [
                decoded.problem,
              ]);
            fields[part.fieldname] = decoded.text;
            continue;
          }
          if (part.fieldname !== 'file' || staged !== undefined) {
            part.file.resume();
            throw badUpload(`one file per request, in the field \`file\` (got \`${part.fieldname}\`)`);
          }
          staged = await service.receiveMediaFile(store, config.media, part.file);
          // The parser stops at the limit and marks the part truncated; the rest is skipped.
          if (part.file.truncated) {
            throw new DomainError(
              'validation_failed',
              `The file is larger than the limit of ${config.media.maxUploadBytes} bytes.`,
              [
                {
                  field: 'file',
                  message: `larger than ${config.media.maxUploadBytes} bytes (ARMTRACE_MAX_UPLOAD_BYTES)`,
                },
              ],
            );
          }
          const nameProblem = multipartFileNameProblem('file', part.filename);
          if (nameProblem !== null)
            throw new DomainError('validation_failed', `file: ${nameProblem.message}`, [nameProblem]);
          claims = { filename: part.filename, declaredType: part.mimetype };
        }
        if (staged === undefined) throw badUpload('no file was sent');
        const created = await service.addMedia(
          db,
          store,
          config.media,
          actor,
          investigationId,
          staged,
          claims,
          fields,
          derivatives,
        );
        return await reply.status(201).send(created);
      } finally {
        await staged?.discard();
      }
    },
  );
  app.get(
    '/media/:id',
    {
      schema: {
        tags,
        summary: 'Get a media record with its active links and their review flags',
        params: idParamsSchema,
        response: { 200: mediaWithLinksSchema, ...problemResponses },
      },
    },
    (request) => service.getMedia(db, requireActor(request), request.params.id),
  );
  app.get(
    '/media/:id/original',
    {
      schema: {
        tags,
        summary:
          'Download the evidentiary original, byte for byte as received; a Range header asks for one part of it (206)',
        params: idParamsSchema,
        response: { 200: fileResponse, 206: fileResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const ifRange = request.headers['if-range'];
      const { media, stream, range } = await service.openOriginal(
        db,
        store,
        requireActor(request),
        request.params.id,
        // With If-Range, a part only of the very bytes the client has (the ETag is their hash); else the whole.
        (original) =>
          ifRange !== undefined && ifRange !== originalEtag(original.sha256)
            ? undefined
            : parseByteRange(request.headers.range, original.size_bytes),
      );
      const digest = Buffer.from(media.sha256, 'hex').toString('base64');
      reply
        .header('content-type', media.media_type)
        .header('content-disposition', contentDisposition(media.original_filename ?? media.sha256))
        .header('x-content-type-options', 'nosniff')
        .header('accept-ranges', 'bytes')
        .header('etag', originalEtag(media.sha256))
        .header('repr-digest', `sha-256=:${digest}:`);
      if (range === undefined) return reply.header('content-length', String(media.size_bytes)).send(stream);
      return reply
        .status(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${media.size_bytes}`)
        .header('content-length', String(range.end - range.start + 1))
        .send(stream);
    },
  );
  for (const kind of ['thumbnail', 'preview'] as const) {
    app.get(
      `/media/:id/${kind}`,
      {
        schema: {
          tags,
          summary: `A WebP ${kind} of an image, made by a job after the upload (404 derivative_not_ready with Retry-After until then); X-Armtrace-Parent-Sha256 names the original`,
          params: idParamsSchema,
          response: { 200: fileResponse, ...problemResponses },
        },
      },
      async (request, reply) =>
        sendDerivative(
          reply,
          await service.getMediaDerivative(db, store, config.media, requireActor(request), request.params.id, kind),
        ),
    );
  }
  app.get(
    '/media/:id/similar',
    {
      schema: {
        tags,
        summary: 'Images of the same investigation that look like this one (perceptual hash), nearest first',
        params: idParamsSchema,
        querystring: similarQuerySchema,
        response: { 200: similarMediaSchema, ...problemResponses },
      },
    },
    (request) => service.findSimilarMedia(db, requireActor(request), request.params.id, request.query),
  );
  app.patch(
    '/media/:id',
    {
      schema: {
        tags,
        summary: 'Update what describes a media file (not its hash, size, type or EXIF facts); null clears a field',
        params: idParamsSchema,
        body: updateMediaBodySchema,
        response: { 200: mediaSchema, ...problemResponses },
      },
    },
    (request) => service.updateMedia(db, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/media/:id/archive',
    {
      schema: {
        tags,
        summary: 'Archive a media record (the stored original is kept)',
        params: idParamsSchema,
        body: archiveBodySchema,
        response: { 200: mediaSchema, ...problemResponses },
      },
    },
    (request) => service.archiveMedia(db, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/media/:id/links',
    {
      schema: {
        tags,
        summary: 'Link media to the one site, item or marking it shows; flags an EXIF position or time mismatch',
        params: idParamsSchema,
        body: createMediaLinkBodySchema,
        response: { 201: mediaLinkSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.linkMedia(db, requireActor(request), request.params.id, request.body, config.media)),
  );
  app.post(
    '/media-links/:id/archive',
    {
      schema: {
        tags,
        summary: 'Unlink media: the link is archived with the reason',
        params: idParamsSchema,
        body: archiveBodySchema,
        response: { 200: mediaLinkSchema, ...problemResponses },
      },
    },
    (request) => service.archiveMediaLink(db, requireActor(request), request.params.id, request.body),
  );
}
