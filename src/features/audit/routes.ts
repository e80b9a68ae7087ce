import { z } from 'zod';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { idParamsSchema } from '../../http/params.js';
import { requireAdmin } from '../access/service.js';
import { instanceSigner } from '../signing/instance-key.js';
import { createCheckpointBodySchema } from './checkpoint.js';
import {
  createTimestampedCheckpoint,
  listTimestampedCheckpoints,
  timestampedCheckpointSchema,
  timestampMissingCheckpoints,
} from './checkpoint-timestamps.js';
import { jobAcceptedSchema } from '../jobs/schema.js';
import { enqueueJob } from '../jobs/service.js';
import { AUDIT_VERIFY_JOB } from './jobs.js';
import { auditListQuerySchema, auditPageSchema, verifyResultSchema } from './schema.js';
import { listInvestigationAuditPage, verifyAudit, type StoredFilesCheck } from './service.js';

/** What the audit routes need from the rest of the program: the check of the evidence store's files. */
export interface AuditRouteChecks {
  checkStoredFiles: StoredFilesCheck;
}

export function registerAuditRoutes(app: ApiApp, { db, config, jobs }: RouteDeps, checks: AuditRouteChecks): void {
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
      return verifyAudit(db, undefined, {
        checkStoredFiles: checks.checkStoredFiles,
        ownFingerprint: instanceSigner(config).fingerprint,
        timestamping: config.timestamping,
      });
    },
  );
  app.post(
    '/audit/verify-jobs',
    {
      schema: {
        tags: ['audit'],
        summary:
          'Run GET /audit/verify in the background (administrators): 202 with the job to follow (GET /jobs/{id}, with progress); its result is the verify report as JSON. While one waits or runs, the same job is returned',
        response: { 202: jobAcceptedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      requireAdmin(actor);
      const accepted = await enqueueJob(jobs, AUDIT_VERIFY_JOB, {}, { createdBy: actor.userId, singletonKey: 'all' });
      return reply.status(202).send(accepted);
    },
  );
  app.post(
    '/audit/checkpoints',
    {
      schema: {
        tags: ['audit'],
        summary:
          'Record the head of the audit chain, signed with the instance key, to publish outside armtrace, and ask the configured time-stamping authority for an RFC 3161 token over its line SEQ:HASH (administrators). The checkpoint is recorded even when the TSA fails: then timestamp.problem_code is timestamp_failed',
        body: createCheckpointBodySchema.optional(),
        response: { 201: timestampedCheckpointSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createTimestampedCheckpoint(
            db,
            requireActor(request),
            request.body ?? {},
            config.timestamping,
            instanceSigner(config),
          ),
        ),
  );
  app.post(
    '/audit/checkpoints/timestamps',
    {
      schema: {
        tags: ['audit'],
        summary:
          'Ask the time-stamping authority again for every checkpoint without a token (administrators); 502 timestamp_failed names the first that failed, 409 timestamp_not_configured when no TSA is set',
        response: { 200: z.object({ items: z.array(timestampedCheckpointSchema) }), ...problemResponses },
      },
    },
    async (request) => ({
      items: await timestampMissingCheckpoints(db, requireActor(request), config.timestamping),
    }),
  );
  app.get(
    '/audit/checkpoints',
    {
      schema: {
        tags: ['audit'],
        summary:
          'Every recorded checkpoint of the audit chain, oldest first, with its trusted timestamp (time, TSA, verified) (administrators)',
        response: { 200: z.object({ items: z.array(timestampedCheckpointSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ items: await listTimestampedCheckpoints(db, requireActor(request), config.timestamping) }),
  );
}

/**
 * An investigation's audit history, newest first. Its tag stays `investigations` (the web app shows it there);
 * mounted right after the investigations' routes (`features/routes.ts`), where the OpenAPI document lists it.
 */
export function registerInvestigationAuditRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/investigations/:id/audit',
    {
      schema: {
        tags: ['investigations'],
        summary: 'Audit history, newest first',
        params: idParamsSchema,
        querystring: auditListQuerySchema,
        response: { 200: auditPageSchema, ...problemResponses },
      },
    },
    (request) =>
      listInvestigationAuditPage(db, requireActor(request), request.params.id, {
        beforeSeq: request.query.before_seq,
        afterSeq: request.query.after_seq,
        sort: request.query.sort,
        order: request.query.order,
        limit: request.query.limit,
        entityId: request.query.entity_id,
        userId: request.query.user_id,
        action: request.query.action,
        from: request.query.from,
        to: request.query.to,
      }),
  );
}
