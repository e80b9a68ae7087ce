import { z } from 'zod';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { idParamsSchema } from '../investigations/schema.js';
import { exportInvestigation } from './service.js';

export function registerExportRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/investigations/:id/export.json',
    {
      schema: {
        tags: ['export'],
        summary: 'Every record of the investigation, archived ones included, with the audit-chain head',
        params: idParamsSchema,
        response: { 200: z.record(z.string(), z.unknown()), ...problemResponses },
      },
    },
    async (request, reply) => {
      const document = await exportInvestigation(db, requireActor(request), request.params.id);
      void reply.header('content-disposition', `attachment; filename="investigation-${request.params.id}.json"`);
      return document as unknown as Record<string, unknown>;
    },
  );
}
