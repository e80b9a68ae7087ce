import { z } from 'zod';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { requireRole } from '../access/service.js';
import { jobAcceptedSchema } from '../jobs/schema.js';
import { enqueueJob } from '../jobs/service.js';
import { REPORT_PDF_JOB } from './jobs.js';
import { idParamsSchema } from '../../http/params.js';
import { profileFileSuffix, profileHeader, profileOptionsOf, profileQuerySchema } from '../export/profiles.js';
import * as service from './service.js';

export const reportQuerySchema = profileQuerySchema.extend({
  lang: z.enum(['en', 'ar', 'fr']).default('en').describe('Language of the report’s own text; data shows as entered'),
  as_of: z.iso.date().optional().describe('The day ages are measured on (YYYY-MM-DD); today by default'),
});

export function registerReportRoutes(app: ApiApp, { db, jobs }: RouteDeps): void {
  app.get(
    '/investigations/:id/report.html',
    {
      schema: {
        tags: ['report'],
        summary: 'The investigation report as one self-contained HTML page (figures, charts, methods, sources)',
        params: idParamsSchema,
        querystring: reportQuerySchema,
        produces: ['text/html'],
        response: { 200: z.string().describe('The HTML page'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const html = await service.buildReportHtml(db, requireActor(request), request.params.id, {
        lang: request.query.lang,
        asOf: request.query.as_of,
        profile: profileOptionsOf(request.query),
      });
      return reply.type('text/html; charset=utf-8').header(profileHeader, request.query.profile).send(html);
    },
  );
  app.get(
    '/investigations/:id/report.pdf',
    {
      schema: {
        tags: ['report'],
        summary:
          'The investigation report printed to an A4 PDF by Chromium on the server (503 program_missing when it is not installed)',
        params: idParamsSchema,
        querystring: reportQuerySchema,
        produces: ['application/pdf'],
        response: { 200: z.unknown().describe('The PDF'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const pdf = await service.buildReportPdf(db, requireActor(request), request.params.id, {
        lang: request.query.lang,
        asOf: request.query.as_of,
        profile: profileOptionsOf(request.query),
      });
      return reply
        .type('application/pdf')
        .header(profileHeader, request.query.profile)
        .header(
          'content-disposition',
          `attachment; filename="report-${request.params.id}-${request.query.lang}${profileFileSuffix(request.query.profile)}.pdf"`,
        )
        .send(pdf);
    },
  );
  app.post(
    '/investigations/:id/report-jobs',
    {
      schema: {
        tags: ['report'],
        summary:
          'Print the PDF report in the background: 202 with the job to follow (GET /jobs/{id}); the PDF is its result. The same request while one runs returns that job',
        params: idParamsSchema,
        body: reportQuerySchema,
        response: { 202: jobAcceptedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const investigationId = request.params.id;
      await requireRole(db, actor, investigationId, 'viewer');
      const { lang, as_of: asOf } = request.body;
      const accepted = await enqueueJob(
        jobs,
        REPORT_PDF_JOB,
        { investigationId, lang, ...(asOf === undefined ? {} : { asOf }) },
        {
          investigationId,
          createdBy: actor.userId,
          singletonKey: `${actor.userId}:${investigationId}:${lang}:${asOf ?? ''}`,
        },
      );
      return reply.status(202).send(accepted);
    },
  );
}
