import { z } from 'zod';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { archiveBodySchema, idParamsSchema, itemLinkParamsSchema } from '../../http/params.js';
import {
  createIncidentBodySchema,
  incidentListQuerySchema,
  incidentPageSchema,
  incidentSchema,
  linkIncidentItemBodySchema,
  linkIncidentSiteBodySchema,
  updateIncidentBodySchema,
} from './schema.js';
import * as service from './service.js';

const tags = ['incidents'];

const siteLinkParamsSchema = z.object({ id: z.uuid(), siteId: z.uuid() });

export function registerIncidentRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/investigations/:id/incidents',
    {
      schema: {
        tags,
        summary: 'List an investigation’s incidents, optionally by type or site',
        params: idParamsSchema,
        querystring: incidentListQuerySchema,
        response: { 200: incidentPageSchema, ...problemResponses },
      },
    },
    (request) => service.listIncidents(db, requireActor(request), request.params.id, request.query),
  );
  app.post(
    '/investigations/:id/incidents',
    {
      schema: {
        tags,
        summary: 'Record an incident (investigator)',
        params: idParamsSchema,
        body: createIncidentBodySchema,
        response: { 201: incidentSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createIncident(db, requireActor(request), request.params.id, request.body)),
  );
  app.get(
    '/incidents/:id',
    {
      schema: {
        tags,
        summary: 'Get an incident with the ids of its linked items',
        params: idParamsSchema,
        response: { 200: incidentSchema, ...problemResponses },
      },
    },
    (request) => service.getIncident(db, requireActor(request), request.params.id),
  );
  app.patch(
    '/incidents/:id',
    {
      schema: {
        tags,
        summary: 'Update an incident; null clears an optional field',
        params: idParamsSchema,
        body: updateIncidentBodySchema,
        response: { 200: incidentSchema, ...problemResponses },
      },
    },
    (request) => service.updateIncident(db, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/incidents/:id/archive',
    {
      schema: {
        tags,
        summary: 'Archive an incident',
        params: idParamsSchema,
        body: archiveBodySchema,
        response: { 200: incidentSchema, ...problemResponses },
      },
    },
    (request) => service.archiveIncident(db, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/incidents/:id/items',
    {
      schema: {
        tags,
        summary: 'Link an item of the same investigation to an incident',
        params: idParamsSchema,
        body: linkIncidentItemBodySchema,
        response: { 201: incidentSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.linkIncidentItem(db, requireActor(request), request.params.id, request.body)),
  );

  app.delete(
    '/incidents/:id/items/:itemId',
    {
      schema: {
        tags,
        summary: 'Remove an item linked to an incident in error (the audit log keeps the link and its removal)',
        params: itemLinkParamsSchema,
        response: { 200: incidentSchema, ...problemResponses },
      },
    },
    async (request) => service.unlinkIncidentItem(db, requireActor(request), request.params.id, request.params.itemId),
  );

  app.post(
    '/incidents/:id/sites',
    {
      schema: {
        tags,
        summary: 'Link a site of the same investigation to an incident (an incident may involve several sites)',
        params: idParamsSchema,
        body: linkIncidentSiteBodySchema,
        response: { 201: incidentSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.linkIncidentSite(db, requireActor(request), request.params.id, request.body)),
  );

  app.delete(
    '/incidents/:id/sites/:siteId',
    {
      schema: {
        tags,
        summary: 'Remove a site linked to an incident in error (the audit log keeps the link and its removal)',
        params: siteLinkParamsSchema,
        response: { 200: incidentSchema, ...problemResponses },
      },
    },
    async (request) => service.unlinkIncidentSite(db, requireActor(request), request.params.id, request.params.siteId),
  );
}
