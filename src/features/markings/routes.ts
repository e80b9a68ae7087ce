import { pageQuerySchema } from '../../db/pagination.js';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { archiveBodySchema, idParamsSchema } from '../../http/params.js';
import {
  createMarkingBodySchema,
  markingPageSchema,
  markingSchema,
  markingSearchPageSchema,
  markingSearchQuerySchema,
  updateMarkingBodySchema,
} from './schema.js';
import * as service from './service.js';

const tags = ['markings'];

/** The markings of an item and of an investigation: list, record, search within one investigation. */
export function registerMarkingRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/items/:id/markings',
    {
      schema: {
        tags,
        summary: 'List the markings of an item',
        params: idParamsSchema,
        querystring: pageQuerySchema,
        response: { 200: markingPageSchema, ...problemResponses },
      },
    },
    (request) => service.listItemMarkings(db, requireActor(request), request.params.id, request.query),
  );
  app.post(
    '/items/:id/markings',
    {
      schema: {
        tags,
        summary: 'Record a marking read on an item',
        params: idParamsSchema,
        body: createMarkingBodySchema,
        response: { 201: markingSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createMarking(db, requireActor(request), request.params.id, request.body)),
  );
  app.get(
    '/investigations/:id/markings',
    {
      schema: {
        tags,
        summary: 'Search the markings of an investigation (with q: closest first, one page)',
        params: idParamsSchema,
        querystring: markingSearchQuerySchema,
        response: { 200: markingSearchPageSchema, ...problemResponses },
      },
    },
    (request) => service.searchMarkings(db, requireActor(request), request.params.id, request.query),
  );
}

/** One marking: read, correct, archive. Mounted after search and the groups (`features/routes.ts`). */
export function registerMarkingRecordRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/markings/:id',
    {
      schema: {
        tags,
        summary: 'Get a marking',
        params: idParamsSchema,
        response: { 200: markingSchema, ...problemResponses },
      },
    },
    (request) => service.getMarking(db, requireActor(request), request.params.id),
  );
  app.patch(
    '/markings/:id',
    {
      schema: {
        tags,
        summary: 'Correct a marking',
        params: idParamsSchema,
        body: updateMarkingBodySchema,
        response: { 200: markingSchema, ...problemResponses },
      },
    },
    (request) => service.updateMarking(db, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/markings/:id/archive',
    {
      schema: {
        tags,
        summary: 'Archive a marking',
        params: idParamsSchema,
        body: archiveBodySchema,
        response: { 200: markingSchema, ...problemResponses },
      },
    },
    (request) => service.archiveMarking(db, requireActor(request), request.params.id, request.body),
  );
}
