import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Actor } from '../access/schema.js';
import { computeAllAnalyses, readInvestigationFacts } from '../analysis/service.js';
import { profileStatement, type ProfileOptions } from '../export/profiles.js';
import { requireProfileAccess } from '../export/service.js';
import { renderReportHtml } from './html.js';
import { profiledReportData } from './profiled.js';
import type { ReportLanguage } from './i18n.js';
import { printReportPdf } from './pdf.js';
import { loadReportRecords } from './repository.js';

export interface ReportOptions {
  lang: ReportLanguage;
  /** The day ages are measured on (YYYY-MM-DD); today by default. */
  asOf?: string | undefined;
  /** The export profile (internal by default): which records the report covers and how exact its places are. */
  profile?: ProfileOptions | undefined;
  /** The time printed as "generated" (the clock by default; fixed for reproducible copies). */
  now?: Date | undefined;
}

/**
 * The investigation report as one self-contained HTML page: the figures
 * with their charts, the provenance findings, the methods, the sources with
 * their grading and the photo credits. Internal notes, user names and
 * anything that could name a person interviewed are never printed. The
 * export profile narrows the records (and, for public, the places) as in
 * every other output, and the report says which profile made it.
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
  const profile = options.profile ?? { profile: 'internal' };
  const context = await requireProfileAccess(db, user, investigationId, profile.profile);
  const now = options.now ?? new Date();
  const asOf = options.asOf ?? now.toISOString().slice(0, 10);
  // One snapshot: the figures and the listed records describe the same moment.
  const { facts, records } = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) =>
      profiledReportData(
        trx,
        investigationId,
        await readInvestigationFacts(trx, investigationId, context.clearance),
        await loadReportRecords(trx, investigationId, context.clearance),
        profile,
        context,
      ),
    );
  return renderReportHtml({
    lang: options.lang,
    generatedAt: `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    asOf,
    analyses: computeAllAnalyses(facts, { asOf, granularity: 'month' }),
    records,
    actors: new Map(facts.actors.map((actor) => [actor.id, actor])),
    profile: profileStatement(profile),
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
