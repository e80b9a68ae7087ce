import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { idParamsSchema } from '../../http/params.js';
import {
  syncOperationListQuerySchema,
  syncOperationPageSchema,
  syncRequestSchema,
  syncResponseSchema,
} from './schema.js';
import * as service from './service.js';
import { registerUploadRoutes } from './uploads.js';

const tags = ['sync'];

export function registerSyncRoutes(app: ApiApp, { db, config, store, jobs }: RouteDeps): void {
  registerUploadRoutes(app, db, config, store, jobs);
  app.post(
    '/sync',
    {
      // A full batch of 500 items with their markings is larger than an ordinary write.
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags,
        summary:
          'Apply a batch of operations from a device’s offline outbox: idempotent by op_id, parents first, one result per operation in request order',
        body: syncRequestSchema,
        response: { 200: syncResponseSchema, ...problemResponses },
      },
    },
    async (request) => {
      const receivedAt = new Date();
      return service.applySyncBatch(db, requireActor(request), request.body, {
        receivedAt,
        onInternalError: (error, operation) =>
          request.log.error({ err: error, op_id: operation.op_id }, 'sync operation failed'),
      });
    },
  );
  app.get(
    '/investigations/:id/sync-operations',
    {
      schema: {
        tags,
        summary:
          'Operations applied through sync: the device’s capture time beside the server’s receipt time, and clock skew',
        params: idParamsSchema,
        querystring: syncOperationListQuerySchema,
        response: { 200: syncOperationPageSchema, ...problemResponses },
      },
    },
    (request) => service.listSyncOperations(db, requireActor(request), request.params.id, request.query),
  );
}
