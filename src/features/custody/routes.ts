import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { idParamsSchema } from '../../http/params.js';
import { createCustodyEventBodySchema, custodyEventListSchema, custodyEventSchema } from './schema.js';
import * as service from './service.js';

const tags = ['custody'];

// Custody events are append-only: there is deliberately no update or archive route.
export function registerCustodyRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/items/:id/custody',
    {
      schema: {
        tags,
        summary: 'The chain of custody of an item, oldest first',
        params: idParamsSchema,
        response: { 200: custodyEventListSchema, ...problemResponses },
      },
    },
    async (request) => ({ items: await service.listCustodyEvents(db, requireActor(request), request.params.id) }),
  );
  app.post(
    '/items/:id/custody',
    {
      schema: {
        tags,
        summary: 'Record a hand-over of an item (cannot be changed afterwards)',
        params: idParamsSchema,
        body: createCustodyEventBodySchema,
        response: { 201: custodyEventSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.addCustodyEvent(db, requireActor(request), request.params.id, request.body)),
  );
}
