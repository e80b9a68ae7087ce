/**
 * The report under an export profile (profiles.ts): the figures and the listed records are narrowed to what the
 * profile keeps, with the same rules as every other output, and site points moved to their grid cell for
 * `public`. `internal` changes nothing but the caller's clearance.
 */
import { toJsonRecord } from '../../db/serialize.js';
import type { Queryable } from '../../db/versioned.js';
import type { InvestigationFacts } from '../analysis/repository.js';
import { applyProfile, type ProfileContext, type ProfileOptions } from '../export/profiles.js';
import { exportedTables, listInvestigationRows, type ExportedTable } from '../export/repository.js';
import type { ReportRecords } from './repository.js';

type RecordRow = Record<string, unknown>;

function ids(rows: RecordRow[]): Set<string> {
  return new Set(rows.map((row) => String(row.id)));
}

/**
 * Facts and report records narrowed to what the profile keeps (read in the caller's snapshot).
 *
 * @example
 * const narrowed = await profiledReportData(trx, investigationId, facts, records, { profile: 'public' }, context);
 */
export async function profiledReportData(
  db: Queryable,
  investigationId: string,
  facts: InvestigationFacts,
  records: ReportRecords,
  options: ProfileOptions,
  context: ProfileContext,
): Promise<{ facts: InvestigationFacts; records: ReportRecords }> {
  const read = {} as Record<ExportedTable, RecordRow[]>;
  for (const table of exportedTables) {
    read[table] = (await listInvestigationRows(db, table, investigationId)).map((row) => toJsonRecord(row));
  }
  const kept = applyProfile(read, options, context);
  const sites = new Map(kept.sites.map((site) => [String(site.id), site]));
  const items = ids(kept.items);
  const zones = ids(kept.zones);
  const claims = ids(kept.provenance_claims);
  const actors = ids(kept.actors);
  const requests = ids(kept.trace_requests);
  const sources = ids(kept.sources);
  const keptLots = new Set(
    kept.markings
      .filter((marking) => marking.kind === 'lot' && marking.archived_at === null)
      .map((marking) => `${String(marking.item_id)}\u0000${String(marking.text)}`),
  );
  const point = (value: unknown) => (typeof value === 'number' ? value : null);
  const narrowedFacts: InvestigationFacts = {
    items: facts.items.filter((item) => items.has(item.id)),
    sites: facts.sites
      .filter((site) => sites.has(site.id))
      .map((site) => ({
        ...site,
        latitude: point(sites.get(site.id)?.latitude),
        longitude: point(sites.get(site.id)?.longitude),
      })),
    zones: facts.zones.filter((zone) => zones.has(zone.id)),
    lotMarkings: facts.lotMarkings.filter((marking) => keptLots.has(`${marking.item_id}\u0000${marking.text}`)),
    claims: facts.claims
      .filter((claim) => claims.has(claim.id))
      .map((claim) => ({
        ...claim,
        notes: '',
        source_id: sources.has(claim.source_id ?? '') ? claim.source_id : null,
      })),
    actors: facts.actors.filter((actor) => actors.has(actor.id)),
    traceRequests: facts.traceRequests.filter((request) => requests.has(request.id)),
  };
  const credits = new Map<
    string,
    { credit: string | null; licence: string | null; source_id: string | null; files: number }
  >();
  for (const media of kept.media.filter((row) => row.archived_at === null)) {
    const credit = typeof media.credit === 'string' ? media.credit : null;
    const licence = typeof media.licence === 'string' ? media.licence : null;
    const sourceId = typeof media.source_id === 'string' && sources.has(media.source_id) ? media.source_id : null;
    const key = JSON.stringify([credit, licence, sourceId]);
    const entry = credits.get(key) ?? { credit, licence, source_id: sourceId, files: 0 };
    entry.files += 1;
    credits.set(key, entry);
  }
  const lotItems = new Map<string, Set<string>>();
  for (const marking of kept.markings) {
    if (marking.kind !== 'lot' || marking.archived_at !== null || !items.has(String(marking.item_id))) continue;
    const set = lotItems.get(String(marking.normalized)) ?? new Set<string>();
    set.add(String(marking.item_id));
    lotItems.set(String(marking.normalized), set);
  }
  const narrowedRecords: ReportRecords = {
    ...records,
    siteCount: kept.sites.filter((site) => site.archived_at === null).length,
    items: records.items.filter((item) => items.has(item.id)),
    claims: records.claims
      .filter((claim) => claims.has(claim.id))
      .map((claim) => ({ ...claim, source_id: sources.has(claim.source_id ?? '') ? claim.source_id : null })),
    sources: records.sources.filter((source) => sources.has(source.id)),
    photoCredits: [...credits.values()].sort(
      (a, b) => (a.credit ?? '').localeCompare(b.credit ?? '') || (a.licence ?? '').localeCompare(b.licence ?? ''),
    ),
    traceRequests: records.traceRequests.filter((request) => requests.has(request.id)),
    lotItemCounts: records.lotItemCounts
      .filter((lot) => lotItems.has(lot.normalized))
      .map((lot) => ({ normalized: lot.normalized, items: lotItems.get(lot.normalized)!.size })),
  };
  return { facts: narrowedFacts, records: narrowedRecords };
}
