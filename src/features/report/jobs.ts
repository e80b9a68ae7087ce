import { z } from 'zod';
import type { JobQueue } from '../../jobs/index.js';
import { jobActor } from '../jobs/service.js';
import * as service from './service.js';

export const REPORT_PDF_JOB = 'report.pdf';

export const reportPdfJobPayloadSchema = z.object({
  investigationId: z.uuid(),
  lang: z.enum(['en', 'ar', 'fr']),
  asOf: z.iso.date().optional(),
});
export type ReportPdfJobPayload = z.infer<typeof reportPdfJobPayloadSchema>;

/** The PDF report as a job: the same buildReportPdf as GET report.pdf, run as who asked, kept as the job's result. */
export function registerReportJobs(queue: JobQueue): void {
  queue.register(REPORT_PDF_JOB, async (payload, context) => {
    const { investigationId, lang, asOf } = reportPdfJobPayloadSchema.parse(payload);
    const actor = await jobActor(context.db, context.createdBy);
    await context.progress(0, 1, 'printing the report');
    const pdf = await service.buildReportPdf(context.db, actor, investigationId, { lang, asOf });
    await context.progress(1, 1, 'printed');
    return context.keepResult(pdf, `report-${investigationId}-${lang}.pdf`, 'application/pdf');
  });
}
