import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { groupScopeQuerySchema, serialRunListSchema, serialRunsQuerySchema, sharedLotListSchema } from './schema.js';
import * as groups from './service.js';

const tags = ['markings'];

/** Serial runs and shared lots across investigations. */
export function registerMarkingGroupRoutes(app: ApiApp, { db }: RouteDeps): void {
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
}
