import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { idParamsSchema } from '../../http/params.js';
import {
  analysisQuerySchema,
  categoriesSchema,
  craftClustersSchema,
  exportToRecoverySchema,
  openTraceRequestsSchema,
  productionCountriesSchema,
  productionSitesOverTimeSchema,
  timelineQuerySchema,
} from './schema.js';
import * as service from './service.js';

const tags = ['analysis'];
const base = '/investigations/:id/analysis';

export function registerAnalysisRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    `${base}/production-countries`,
    {
      schema: {
        tags,
        summary: 'Items by country of production (from produced claims, direct or by lot), counts and shares',
        params: idParamsSchema,
        response: { 200: productionCountriesSchema, ...problemResponses },
      },
    },
    (request) => service.getProductionCountries(db, requireActor(request), request.params.id),
  );
  app.get(
    `${base}/categories`,
    {
      schema: {
        tags,
        summary: 'Items by category, counts and shares, split by production type',
        params: idParamsSchema,
        response: { 200: categoriesSchema, ...problemResponses },
      },
    },
    (request) => service.getCategories(db, requireActor(request), request.params.id),
  );
  app.get(
    `${base}/export-to-recovery`,
    {
      schema: {
        tags,
        summary: 'Years from lawful export (or production) to recovery, by category and by producer',
        params: idParamsSchema,
        response: { 200: exportToRecoverySchema, ...problemResponses },
      },
    },
    (request) => service.getExportToRecovery(db, requireActor(request), request.params.id),
  );
  app.get(
    `${base}/craft-clusters`,
    {
      schema: {
        tags,
        summary: 'Sites and zones ranked by craft-produced items, with coordinates',
        params: idParamsSchema,
        response: { 200: craftClustersSchema, ...problemResponses },
      },
    },
    (request) => service.getCraftClusters(db, requireActor(request), request.params.id),
  );
  app.get(
    `${base}/production-sites-over-time`,
    {
      schema: {
        tags,
        summary: 'Production workshops by the month (or year) they were recovered in',
        params: idParamsSchema,
        querystring: timelineQuerySchema,
        response: { 200: productionSitesOverTimeSchema, ...problemResponses },
      },
    },
    (request) => service.getProductionSitesOverTime(db, requireActor(request), request.params.id, request.query),
  );
  app.get(
    `${base}/open-trace-requests`,
    {
      schema: {
        tags,
        summary: 'Open trace requests by addressee and age',
        params: idParamsSchema,
        querystring: analysisQuerySchema,
        response: { 200: openTraceRequestsSchema, ...problemResponses },
      },
    },
    (request) => service.getOpenTraceRequests(db, requireActor(request), request.params.id, request.query),
  );
}
