import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { archiveBodySchema, idParamsSchema } from '../../http/params.js';
import {
  createSourceBodySchema,
  sourceListQuerySchema,
  sourcePageSchema,
  sourceSchema,
  updateSourceBodySchema,
} from './schema.js';
import * as service from './service.js';

const tags = ['sources'];

export function registerSourceRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/investigations/:id/sources',
    {
      schema: {
        tags,
        summary: 'List an investigation’s sources, optionally by kind or reliability',
        params: idParamsSchema,
        querystring: sourceListQuerySchema,
        response: { 200: sourcePageSchema, ...problemResponses },
      },
    },
    (request) => service.listSources(db, requireActor(request), request.params.id, request.query),
  );
  app.post(
    '/investigations/:id/sources',
    {
      schema: {
        tags,
        summary: 'Record a source (investigator)',
        params: idParamsSchema,
        body: createSourceBodySchema,
        response: { 201: sourceSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createSource(db, requireActor(request), request.params.id, request.body)),
  );
  app.get(
    '/sources/:id',
    {
      schema: {
        tags,
        summary: 'Get a source',
        params: idParamsSchema,
        response: { 200: sourceSchema, ...problemResponses },
      },
    },
    (request) => service.getSource(db, requireActor(request), request.params.id),
  );
  app.patch(
    '/sources/:id',
    {
      schema: {
        tags,
        summary: 'Update a source; null clears an optional field',
        params: idParamsSchema,
        body: updateSourceBodySchema,
        response: { 200: sourceSchema, ...problemResponses },
      },
    },
    (request) => service.updateSource(db, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/sources/:id/archive',
    {
      schema: {
        tags,
        summary: 'Archive a source',
        params: idParamsSchema,
        body: archiveBodySchema,
        response: { 200: sourceSchema, ...problemResponses },
      },
    },
    (request) => service.archiveSource(db, requireActor(request), request.params.id, request.body),
  );
}
