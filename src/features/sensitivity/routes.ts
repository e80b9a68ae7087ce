import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { idParamsSchema } from '../../http/params.js';
import {
  restrictedGrantParamsSchema,
  sensitivitySettingsSchema,
  updateSensitivityDefaultBodySchema,
} from './schema.js';
import * as service from './service.js';

const tags = ['sensitivity'];

export function registerSensitivityRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/investigations/:id/sensitivity',
    {
      schema: {
        tags,
        summary: 'The default sensitivity of new records, the roles that see restricted records, and your clearance',
        params: idParamsSchema,
        response: { 200: sensitivitySettingsSchema, ...problemResponses },
      },
    },
    (request) => service.getSensitivitySettings(db, requireActor(request), request.params.id),
  );
  app.put(
    '/investigations/:id/sensitivity/default',
    {
      schema: {
        tags,
        summary: 'Set the sensitivity new records take when none is given (owners; audited)',
        params: idParamsSchema,
        body: updateSensitivityDefaultBodySchema,
        response: { 200: sensitivitySettingsSchema, ...problemResponses },
      },
    },
    (request) => service.setDefaultSensitivity(db, requireActor(request), request.params.id, request.body),
  );
  app.put(
    '/investigations/:id/sensitivity/restricted-roles/:role',
    {
      schema: {
        tags,
        summary: 'Let a role see the investigation’s restricted records (owners; audited)',
        params: restrictedGrantParamsSchema,
        response: { 200: sensitivitySettingsSchema, ...problemResponses },
      },
    },
    (request) => service.setRestrictedGrant(db, requireActor(request), request.params.id, request.params.role, true),
  );
  app.delete(
    '/investigations/:id/sensitivity/restricted-roles/:role',
    {
      schema: {
        tags,
        summary: 'Withdraw a role’s sight of restricted records (owners; audited)',
        params: restrictedGrantParamsSchema,
        response: { 200: sensitivitySettingsSchema, ...problemResponses },
      },
    },
    (request) => service.setRestrictedGrant(db, requireActor(request), request.params.id, request.params.role, false),
  );
}
