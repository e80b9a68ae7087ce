import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { archiveBodySchema, idParamsSchema } from '../investigations/schema.js';
import {
  createMediaBodySchema,
  createMediaLinkBodySchema,
  mediaLinkSchema,
  mediaListQuerySchema,
  mediaPageSchema,
  mediaSchema,
  mediaWithLinksSchema,
  updateMediaBodySchema,
} from './schema.js';
import * as service from './service.js';

const tags = ['media'];

export function registerMediaRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/investigations/:id/media',
    {
      schema: {
        tags,
        summary: 'List an investigation’s media records, optionally by hash or source',
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
        summary: 'Record a media file by its metadata (investigator); the bytes are not uploaded here',
        params: idParamsSchema,
        body: createMediaBodySchema,
        response: { 201: mediaSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createMedia(db, requireActor(request), request.params.id, request.body)),
  );
  app.get(
    '/media/:id',
    {
      schema: {
        tags,
        summary: 'Get a media record with its active links',
        params: idParamsSchema,
        response: { 200: mediaWithLinksSchema, ...problemResponses },
      },
    },
    (request) => service.getMedia(db, requireActor(request), request.params.id),
  );
  app.patch(
    '/media/:id',
    {
      schema: {
        tags,
        summary: 'Update what describes a media file (not its hash, size or type); null clears a field',
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
        summary: 'Archive a media record',
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
        summary: 'Link media to the one site, item or marking it shows',
        params: idParamsSchema,
        body: createMediaLinkBodySchema,
        response: { 201: mediaLinkSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.linkMedia(db, requireActor(request), request.params.id, request.body)),
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
