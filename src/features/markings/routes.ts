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
import * as groups from './groups.js';
import * as search from './search.js';
import {
  groupScopeQuerySchema,
  markingHitListSchema,
  rankedSearchQuerySchema,
  seenElsewhereQuerySchema,
  serialRunListSchema,
  serialRunsQuerySchema,
  sharedLotListSchema,
} from './search-schema.js';
import * as service from './service.js';

const tags = ['markings'];

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
  app.get(
    '/markings/search',
    {
      schema: {
        tags,
        summary: 'Find markings across every investigation you can read, closest first',
        description:
          'Plain text matches fuzzily; `?` is one unreadable character, `*` any run, `[AB]` A or B. Each result ' +
          'has a score and the differences that explain it. See docs/markings.md.',
        querystring: rankedSearchQuerySchema,
        response: { 200: markingHitListSchema, ...problemResponses },
      },
    },
    (request) => search.searchAllMarkings(db, requireActor(request), request.query),
  );
  app.get(
    '/markings/seen-elsewhere',
    {
      schema: {
        tags,
        summary: 'Markings at other items that match a marking as it is typed',
        description: 'For the capture form: call on every keystroke. Empty until the text has three characters.',
        querystring: seenElsewhereQuerySchema,
        response: { 200: markingHitListSchema, ...problemResponses },
      },
    },
    (request) => search.seenElsewhere(db, requireActor(request), request.query),
  );
  app.get(
    '/markings/runs',
    {
      schema: {
        tags,
        summary: 'Serial runs: close serials of one model and producer, probably one shipment',
        querystring: serialRunsQuerySchema,
        response: { 200: serialRunListSchema, ...problemResponses },
      },
    },
    (request) => groups.listSerialRuns(db, requireActor(request), request.query),
  );
  app.get(
    '/markings/lots',
    {
      schema: {
        tags,
        summary: 'Lot markings read at several sites, widest spread first',
        querystring: groupScopeQuerySchema,
        response: { 200: sharedLotListSchema, ...problemResponses },
      },
    },
    (request) => groups.listSharedLots(db, requireActor(request), request.query),
  );
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
