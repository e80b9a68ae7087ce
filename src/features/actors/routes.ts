import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { archiveBodySchema, idParamsSchema } from '../../http/params.js';
import {
  actorListQuerySchema,
  actorPageSchema,
  actorSchema,
  createActorBodySchema,
  mergeActorBodySchema,
  mergeActorResultSchema,
  mergePreviewQuerySchema,
  mergePreviewSchema,
  updateActorBodySchema,
} from './schema.js';
import * as service from './service.js';

const tags = ['actors'];

export function registerActorRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/investigations/:id/actors',
    {
      schema: {
        tags,
        summary: 'List the actors of an investigation',
        params: idParamsSchema,
        querystring: actorListQuerySchema,
        response: { 200: actorPageSchema, ...problemResponses },
      },
    },
    (request) => service.listActors(db, requireActor(request), request.params.id, request.query),
  );
  app.post(
    '/investigations/:id/actors',
    {
      schema: {
        tags,
        summary: 'Record an actor: manufacturer, state, company, armed group or unit',
        params: idParamsSchema,
        body: createActorBodySchema,
        response: { 201: actorSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createActor(db, requireActor(request), request.params.id, request.body)),
  );
  app.get(
    '/actors/:id',
    {
      schema: {
        tags,
        summary: 'Get an actor',
        params: idParamsSchema,
        response: { 200: actorSchema, ...problemResponses },
      },
    },
    (request) => service.getActor(db, requireActor(request), request.params.id),
  );
  app.patch(
    '/actors/:id',
    {
      schema: {
        tags,
        summary: 'Update an actor',
        params: idParamsSchema,
        body: updateActorBodySchema,
        response: { 200: actorSchema, ...problemResponses },
      },
    },
    (request) => service.updateActor(db, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/actors/:id/archive',
    {
      schema: {
        tags,
        summary: 'Archive an actor',
        params: idParamsSchema,
        body: archiveBodySchema,
        response: { 200: actorSchema, ...problemResponses },
      },
    },
    (request) => service.archiveActor(db, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/actors/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge a duplicate actor into another: names kept as aliases, references moved, duplicate archived',
        params: idParamsSchema,
        body: mergeActorBodySchema,
        response: { 200: mergeActorResultSchema, ...problemResponses },
      },
    },
    (request) => service.mergeActor(db, requireActor(request), request.params.id, request.body),
  );
  app.get(
    '/actors/:id/merge-preview',
    {
      schema: {
        tags,
        summary: 'What merging this actor into another would change (aliases, trace requests, claims); changes nothing',
        params: idParamsSchema,
        querystring: mergePreviewQuerySchema,
        response: { 200: mergePreviewSchema, ...problemResponses },
      },
    },
    (request) => service.previewMerge(db, requireActor(request), request.params.id, request.query),
  );
}
