import { z } from 'zod';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { requireAdmin } from '../access/service.js';
import { createMediaStore } from '../media/store.js';
import { instanceSigner } from '../signing/instance-key.js';
import { checkpointSchema, createCheckpoint, createCheckpointBodySchema, listCheckpoints } from './checkpoint.js';
import { verifyResultSchema } from './schema.js';
import { verifyAudit } from './service.js';

export function registerAuditRoutes(app: ApiApp, { db, config }: RouteDeps): void {
  const store = createMediaStore(config);
  app.get(
    '/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary:
          'Walk the audit chain, check it against every checkpoint, compare every record with its audited state and re-hash every stored original (administrators)',
        response: { 200: verifyResultSchema, ...problemResponses },
      },
    },
    async (request) => {
      requireAdmin(requireActor(request));
      return verifyAudit(db, undefined, { store, ownFingerprint: instanceSigner(config).fingerprint });
    },
  );
  app.post(
    '/audit/checkpoints',
    {
      schema: {
        tags: ['audit'],
        summary:
          'Record the head of the audit chain, signed with the instance key, to publish outside armtrace (administrators)',
        body: createCheckpointBodySchema.optional(),
        response: { 201: checkpointSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createCheckpoint(db, requireActor(request), request.body ?? {}, instanceSigner(config))),
  );
  app.get(
    '/audit/checkpoints',
    {
      schema: {
        tags: ['audit'],
        summary: 'Every recorded checkpoint of the audit chain, oldest first (administrators)',
        response: { 200: z.object({ items: z.array(checkpointSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ items: await listCheckpoints(db, requireActor(request)) }),
  );
}
