import type { Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { findInvestigationHead } from '../audit/repository.js';
import { whereRecordAndItemAtMost, whereSensitivityAtMost } from '../sensitivity/repository.js';
import { levelsAtMost, type SensitivityLevel } from '../sensitivity/schema.js';

export type ReportSource = Pick<
  Row<'sources'>,
  | 'id'
  | 'kind'
  | 'title'
  | 'publisher'
  | 'url'
  | 'language'
  | 'published_on'
  | 'credit_line'
  | 'reliability'
  | 'credibility'
>;

export interface PhotoCredit {
  credit: string | null;
  licence: string | null;
  source_id: string | null;
  files: number;
}

/**
 * What the report prints beyond the figures. Only public-facing columns are
 * read: no notes, no user names, no photographer names (`captured_by`).
 */
export interface ReportRecords {
  investigation: Pick<Row<'investigations'>, 'id' | 'title' | 'summary'>;
  siteCount: number;
  items: Pick<Row<'items'>, 'id' | 'external_ref' | 'category' | 'model'>[];
  claims: Omit<
    Row<'provenance_claims'>,
    | 'notes'
    | 'created_by'
    | 'review_state'
    | 'verified_version'
    | 'verified_by'
    | 'verified_at'
    | 'published_by'
    | 'published_at'
    | 'sensitivity'
    | 'sensitivity_reason'
    | 'unpublished_by'
    | 'unpublished_at'
    | 'unpublish_reason'
  >[];
  sources: ReportSource[];
  photoCredits: PhotoCredit[];
  traceRequests: Pick<Row<'trace_requests'>, 'id' | 'subject' | 'status'>[];
  /** How many live items carry each lot (by normalized marking). */
  lotItemCounts: { normalized: string; items: number }[];
  auditHead: { position: number; hash: string } | undefined;
}

export async function loadReportRecords(
  db: Queryable,
  investigationId: string,
  clearance: SensitivityLevel,
): Promise<ReportRecords> {
  const investigation = await db
    .selectFrom('investigations')
    .select(['id', 'title', 'summary'])
    .where('id', '=', investigationId)
    .executeTakeFirstOrThrow();
  // Records above the reader's clearance are neither listed nor counted (export profiles refine this further).
  const siteCount = await whereSensitivityAtMost(db.selectFrom('sites'), 'sites', clearance)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('investigation_id', '=', investigationId)
    .where('archived_at', 'is', null)
    .executeTakeFirstOrThrow();
  const items = await whereSensitivityAtMost(db.selectFrom('items'), 'items', clearance)
    .select(['id', 'external_ref', 'category', 'model'])
    .where('investigation_id', '=', investigationId)
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
  const claims = await whereRecordAndItemAtMost(db.selectFrom('provenance_claims'), 'provenance_claims', clearance)
    .select([
      'id',
      'investigation_id',
      'item_id',
      'lot_marking',
      'lot_normalized',
      'event_type',
      'actor_id',
      'counterpart_id',
      'occurred_from',
      'occurred_to',
      'place',
      'source_id',
      'trace_request_id',
      'confidence',
      'created_at',
      'updated_at',
      'version',
      'archived_at',
      'archive_reason',
    ])
    .where('investigation_id', '=', investigationId)
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
  const sources = await db
    .selectFrom('sources')
    .select([
      'id',
      'kind',
      'title',
      'publisher',
      'url',
      'language',
      'published_on',
      'credit_line',
      'reliability',
      'credibility',
    ])
    .where('investigation_id', '=', investigationId)
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
  const photoCredits = await whereSensitivityAtMost(db.selectFrom('media'), 'media', clearance)
    .select(['credit', 'licence', 'source_id', (eb) => eb.fn.countAll<string>().as('files')])
    .where('investigation_id', '=', investigationId)
    .where('archived_at', 'is', null)
    .groupBy(['credit', 'licence', 'source_id'])
    .orderBy('credit')
    .orderBy('licence')
    .execute();
  const traceRequests = await db
    .selectFrom('trace_requests')
    .select(['id', 'subject', 'status'])
    .where('investigation_id', '=', investigationId)
    .where('archived_at', 'is', null)
    .execute();
  const lotItemCounts = await db
    .selectFrom('markings')
    .innerJoin('items', 'items.id', 'markings.item_id')
    .select(['markings.normalized', (eb) => eb.fn.count<string>('markings.item_id').distinct().as('items')])
    .where('markings.investigation_id', '=', investigationId)
    .where('markings.kind', '=', 'lot')
    .where('markings.sensitivity', 'in', levelsAtMost(clearance))
    .where('items.sensitivity', 'in', levelsAtMost(clearance))
    .where('markings.archived_at', 'is', null)
    .where('items.archived_at', 'is', null)
    .groupBy('markings.normalized')
    .execute();
  const auditHead = await findInvestigationHead(db, investigationId);
  return {
    investigation,
    siteCount: Number(siteCount.count),
    items,
    claims,
    sources,
    photoCredits: photoCredits.map((row) => ({ ...row, files: Number(row.files) })),
    traceRequests,
    lotItemCounts: lotItemCounts.map((row) => ({ normalized: row.normalized, items: Number(row.items) })),
    auditHead,
  };
}
