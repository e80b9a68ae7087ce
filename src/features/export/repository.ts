import type { DB } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';

/** Tables holding an investigation's records, in an order where parents come before children. */
export const exportedTables = [
  'sources',
  'sites',
  'zones',
  'items',
  'markings',
  'media',
  'media_links',
  'custody_events',
  'incidents',
  'incident_items',
  'incident_sites',
  'actors',
  'trace_requests',
  'trace_request_items',
  'provenance_claims',
  'trace_request_documents',
  // Last: for each write that came through offline sync, the device, its capture time and the receipt time.
  'sync_operations',
  // And for each item that came from an ODK or Kobo submission: its instance ID, submitter and device times.
  'form_submissions',
  // And for each media file that came with a proof (C2PA, ProofMode): its claims, signature state and files.
  'media_proofs',
] as const satisfies readonly (keyof DB)[];
export type ExportedTable = (typeof exportedTables)[number];

export async function listInvestigationRows(
  db: Queryable,
  table: ExportedTable,
  investigationId: string,
): Promise<Record<string, unknown>[]> {
  // Every exported table has investigation_id; Kysely cannot type a table chosen at run time.
  return db
    .selectFrom(table as 'items')
    .selectAll()
    .where('investigation_id', '=', investigationId)
    .execute();
}
