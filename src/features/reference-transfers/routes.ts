import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { idParamsSchema } from '../../http/params.js';
import { importListSchema, transferLeadsSchema, transferSearchQuerySchema, transferSearchSchema } from './schema.js';
import * as service from './service.js';

const tags = ['reference'];

export function registerReferenceTransferRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/items/:id/transfer-leads',
    {
      schema: {
        tags,
        summary: 'Recorded arms transfers (SIPRI) of the designation an item carries: leads for a trace request',
        params: idParamsSchema,
        response: { 200: transferLeadsSchema, ...problemResponses },
      },
    },
    (request) => service.getTransferLeads(db, requireActor(request), request.params.id),
  );
  app.get(
    '/reference/transfers',
    {
      schema: {
        tags,
        summary: 'Recorded arms transfers of a designation, matched ignoring case, spaces and dashes',
        querystring: transferSearchQuerySchema,
        response: { 200: transferSearchSchema, ...problemResponses },
      },
    },
    (request) => service.searchReferenceTransfers(db, requireActor(request), request.query),
  );
  app.get(
    '/reference/imports',
    {
      schema: {
        tags,
        summary: 'The reference files imported, newest first (lookups use the newest)',
        response: { 200: importListSchema, ...problemResponses },
      },
    },
    (request) => {
      requireActor(request);
      return service.listReferenceImports(db);
    },
  );
}
