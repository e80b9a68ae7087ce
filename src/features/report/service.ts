import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Actor } from '../access/schema.js';
import { computeAllAnalyses, readInvestigationFacts } from '../analysis/service.js';
import { renderReportHtml } from './html.js';
import type { ReportLanguage } from './i18n.js';
import { printReportPdf } from './pdf.js';
import { loadReportRecords } from './repository.js';
import { requireReader } from '../sensitivity/service.js';

export interface ReportOptions {
  lang: ReportLanguage;
  /** The day ages are measured on (YYYY-MM-DD); today by default. */
  asOf?: string | undefined;
}

/**
 * The investigation report as one self-contained HTML page: the figures
 * with their charts, the provenance findings, the methods, the sources with
 * their grading and the photo credits. Internal notes, user names and
 * anything that could name a person interviewed are never read.
 *
 * @example
 * const html = await buildReportHtml(db, user, investigationId, { lang: 'ar' });
 */
export async function buildReportHtml(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
  options: ReportOptions,
): Promise<string> {
  const { clearance } = await requireReader(db, user, investigationId);
  const now = new Date();
  const asOf = options.asOf ?? now.toISOString().slice(0, 10);
  // One snapshot: the figures and the listed records describe the same moment.
  const { facts, records } = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => ({
      facts: await readInvestigationFacts(trx, investigationId, clearance),
      records: await loadReportRecords(trx, investigationId, clearance),
    }));
  return renderReportHtml({
    lang: options.lang,
    generatedAt: `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    asOf,
    analyses: computeAllAnalyses(facts, { asOf, granularity: 'month' }),
    records,
    actors: new Map(facts.actors.map((actor) => [actor.id, actor])),
  });
}

/** The same report printed to an A4 PDF with Chromium. */
export async function buildReportPdf(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
  options: ReportOptions,
): Promise<Buffer> {
  return printReportPdf(await buildReportHtml(db, user, investigationId, options), options.lang);
}
