import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { requireAdmin } from '../access/service.js';
import { verifyResultSchema } from './schema.js';
import { verifyAudit } from './service.js';

export function registerAuditRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Walk the audit chain and compare every record with its audited state (administrators)',
        response: { 200: verifyResultSchema, ...problemResponses },
      },
    },
    async (request) => {
      requireAdmin(requireActor(request));
      return verifyAudit(db);
    },
  );
}
