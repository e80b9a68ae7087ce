import { z } from 'zod';
import { DomainError } from '../../errors.js';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { jobListQuerySchema, jobPageSchema, jobParamsSchema, jobSchema } from './schema.js';
import * as service from './service.js';

export function registerJobRoutes(app: ApiApp, { db, store }: RouteDeps): void {
  app.get(
    '/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary:
          "The jobs you started (administrators with all_users: everyone's), newest first, page by page; optionally of one investigation. Finished jobs are removed after ARMTRACE_JOB_RESULTS_DAYS",
        querystring: jobListQuerySchema,
        response: { 200: jobPageSchema, ...problemResponses },
      },
    },
    async (request) => service.listJobs(db, requireActor(request), request.query),
  );
  app.get(
    '/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary:
          'A job (a report, a bag export, a verify run in the background): its state, progress, result link and problem; 410 job_pruned once it was removed after ARMTRACE_JOB_RESULTS_DAYS',
        params: jobParamsSchema,
        response: { 200: jobSchema, ...problemResponses },
      },
    },
    async (request) => service.jobResponse(await service.getVisibleJob(db, requireActor(request), request.params.id)),
  );
  app.get(
    '/jobs/:id/result',
    {
      schema: {
        tags: ['jobs'],
        summary: 'The file a succeeded job made (422 constraint_violated while the job has not succeeded)',
        params: jobParamsSchema,
        response: { 200: z.unknown().describe('The file'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const job = await service.getVisibleJob(db, requireActor(request), request.params.id);
      if (job.state !== 'succeeded' || job.result === null) {
        throw new DomainError(
          'constraint_violated',
          `Job ${job.id} is ${job.state}: its result can be downloaded once it has succeeded.`,
        );
      }
      // From the evidence store's job-results area: any server answers, whichever ran the job.
      const file = await store.getJobResult(job.id, job.result.file);
      return reply
        .type(job.result.media_type)
        .header('content-length', job.result.bytes)
        .header('content-disposition', `attachment; filename="${job.result.file}"`)
        .send(file);
    },
  );
}
