import { pageQuerySchema } from '../../db/pagination.js';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { archiveBodySchema, idParamsSchema } from '../../http/params.js';
import {
  createSiteBodySchema,
  createZoneBodySchema,
  siteFeatureCollectionSchema,
  siteGeoJsonQuerySchema,
  siteListQuerySchema,
  sitePageSchema,
  siteSchema,
  updateSiteBodySchema,
  updateZoneBodySchema,
  zonePageSchema,
  zoneSchema,
} from './schema.js';
import * as service from './service.js';

const tags = ['sites'];

export function registerSiteRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/investigations/:id/sites',
    {
      schema: {
        tags,
        summary: 'List the sites of an investigation',
        params: idParamsSchema,
        querystring: siteListQuerySchema,
        response: { 200: sitePageSchema, ...problemResponses },
      },
    },
    (request) => service.listSites(db, requireActor(request), request.params.id, request.query),
  );
  app.post(
    '/investigations/:id/sites',
    {
      schema: {
        tags,
        summary: 'Record a site (cache, workshop, depot…)',
        params: idParamsSchema,
        body: createSiteBodySchema,
        response: { 201: siteSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createSite(db, requireActor(request), request.params.id, request.body)),
  );
  app.get(
    '/investigations/:id/sites.geojson',
    {
      schema: {
        tags,
        summary: 'Located sites as a GeoJSON FeatureCollection of points, for a map',
        params: idParamsSchema,
        querystring: siteGeoJsonQuerySchema,
        response: { 200: siteFeatureCollectionSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .type('application/geo+json')
        .send(await service.getSitesGeoJson(db, requireActor(request), request.params.id, request.query.site_type)),
  );
  app.get(
    '/sites/:id',
    {
      schema: {
        tags,
        summary: 'Get a site',
        params: idParamsSchema,
        response: { 200: siteSchema, ...problemResponses },
      },
    },
    (request) => service.getSite(db, requireActor(request), request.params.id),
  );
  app.patch(
    '/sites/:id',
    {
      schema: {
        tags,
        summary: 'Update a site; `null` clears an optional field',
        params: idParamsSchema,
        body: updateSiteBodySchema,
        response: { 200: siteSchema, ...problemResponses },
      },
    },
    (request) => service.updateSite(db, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/sites/:id/archive',
    {
      schema: {
        tags,
        summary: 'Archive a site',
        params: idParamsSchema,
        body: archiveBodySchema,
        response: { 200: siteSchema, ...problemResponses },
      },
    },
    (request) => service.archiveSite(db, requireActor(request), request.params.id, request.body),
  );
  app.get(
    '/sites/:id/zones',
    {
      schema: {
        tags,
        summary: 'List the zones of a site',
        params: idParamsSchema,
        querystring: pageQuerySchema,
        response: { 200: zonePageSchema, ...problemResponses },
      },
    },
    (request) => service.listZones(db, requireActor(request), request.params.id, request.query),
  );
  app.post(
    '/sites/:id/zones',
    {
      schema: {
        tags,
        summary: 'Add a zone (an area inside the site, e.g. "rocket area")',
        params: idParamsSchema,
        body: createZoneBodySchema,
        response: { 201: zoneSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createZone(db, requireActor(request), request.params.id, request.body)),
  );
  app.get(
    '/zones/:id',
    {
      schema: {
        tags,
        summary: 'Get a zone',
        params: idParamsSchema,
        response: { 200: zoneSchema, ...problemResponses },
      },
    },
    (request) => service.getZone(db, requireActor(request), request.params.id),
  );
  app.patch(
    '/zones/:id',
    {
      schema: {
        tags,
        summary: 'Update a zone',
        params: idParamsSchema,
        body: updateZoneBodySchema,
        response: { 200: zoneSchema, ...problemResponses },
      },
    },
    (request) => service.updateZone(db, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/zones/:id/archive',
    {
      schema: {
        tags,
        summary: 'Archive a zone',
        params: idParamsSchema,
        body: archiveBodySchema,
        response: { 200: zoneSchema, ...problemResponses },
      },
    },
    (request) => service.archiveZone(db, requireActor(request), request.params.id, request.body),
  );
}
