import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { archiveBodySchema, idParamsSchema } from '../../http/params.js';
import {
  createItemBodySchema,
  disposalBodySchema,
  hazardListSchema,
  itemDetailSchema,
  itemListQuerySchema,
  itemPageSchema,
  itemSchema,
  updateItemBodySchema,
} from './schema.js';
import * as bulk from './bulk.js';
import {
  bulkItemsBodySchema,
  bulkItemsQuerySchema,
  bulkItemsResultSchema,
  itemCountQuerySchema,
  itemCountSchema,
} from './bulk-schema.js';
import * as service from './service.js';

const tags = ['items'];

export function registerItemRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/investigations/:id/items',
    {
      schema: {
        tags,
        summary: 'List the items of an investigation',
        params: idParamsSchema,
        querystring: itemListQuerySchema,
        response: { 200: itemPageSchema, ...problemResponses },
      },
    },
    (request) => service.listItems(db, requireActor(request), request.params.id, request.query),
  );
  app.post(
    '/investigations/:id/items',
    {
      schema: {
        tags,
        summary: 'Record an item (and the markings read on it, in one transaction)',
        params: idParamsSchema,
        body: createItemBodySchema,
        response: { 201: itemDetailSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createItem(db, requireActor(request), request.params.id, request.body)),
  );
  app.get(
    '/investigations/:id/hazards',
    {
      schema: {
        tags,
        summary: 'Items that may carry a fitted fuze and are not yet rendered safe or destroyed',
        params: idParamsSchema,
        response: { 200: hazardListSchema, ...problemResponses },
      },
    },
    async (request) => ({ items: await service.listHazards(db, requireActor(request), request.params.id) }),
  );
  app.get(
    '/items/:id',
    {
      schema: {
        tags,
        summary: 'Get an item with its markings',
        params: idParamsSchema,
        response: { 200: itemDetailSchema, ...problemResponses },
      },
    },
    (request) => service.getItem(db, requireActor(request), request.params.id),
  );
  app.patch(
    '/items/:id',
    {
      schema: {
        tags,
        summary: 'Correct an item (disposal status has its own route)',
        params: idParamsSchema,
        body: updateItemBodySchema,
        response: { 200: itemSchema, ...problemResponses },
      },
    },
    (request) => service.updateItem(db, requireActor(request), request.params.id, request.body),
  );
  app.patch(
    '/items/:id/disposal',
    {
      schema: {
        tags,
        summary: 'Record where an item stands with clearance (a status, audited)',
        params: idParamsSchema,
        body: disposalBodySchema,
        response: { 200: itemSchema, ...problemResponses },
      },
    },
    (request) => service.setDisposalStatus(db, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/items/:id/archive',
    {
      schema: {
        tags,
        summary: 'Archive an item',
        params: idParamsSchema,
        body: archiveBodySchema,
        response: { 200: itemSchema, ...problemResponses },
      },
    },
    (request) => service.archiveItem(db, requireActor(request), request.params.id, request.body),
  );
  app.get(
    '/investigations/:id/items/count',
    {
      schema: {
        tags,
        summary: 'How many live items match the item list’s filter ("select all matching")',
        params: idParamsSchema,
        querystring: itemCountQuerySchema,
        response: { 200: itemCountSchema, ...problemResponses },
      },
    },
    (request) => bulk.countItems(db, requireActor(request), request.params.id, request.query),
  );
  app.post(
    '/investigations/:id/items/bulk',
    {
      schema: {
        tags,
        summary:
          'One action on many items in one transaction (hand over, disposal status, trace request, incident): all change or none',
        params: idParamsSchema,
        querystring: bulkItemsQuerySchema,
        body: bulkItemsBodySchema,
        response: { 200: bulkItemsResultSchema, ...problemResponses },
      },
    },
    (request) =>
      bulk.bulkItemAction(db, requireActor(request), request.params.id, request.body, {
        dryRun: request.query.dry_run,
      }),
  );
}
