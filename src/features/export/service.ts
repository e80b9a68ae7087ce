import type { Kysely } from 'kysely';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB } from '../../db/tables.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { clearanceFor, isVisibleAt } from '../sensitivity/service.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';
import { getInvestigation, listMembers } from '../investigations/service.js';
import { findInvestigationHead } from '../audit/repository.js';
import { exportedTables, listInvestigationRows, type ExportedTable } from './repository.js';

export interface InvestigationExport {
  format: 'armtrace-investigation';
  format_version: 1;
  exported_at: string;
  exported_by: string;
  /** The investigation's own audit position and the hash of its last entry: nothing about other investigations. */
  audit_head: { position: number; hash: string } | null;
  investigation: Awaited<ReturnType<typeof getInvestigation>>;
  members: { username: string; role: string }[];
  records: Record<ExportedTable, Record<string, unknown>[]>;
}

/**
 * Everything recorded in one investigation, archived records included, as
 * one JSON document. It carries the investigation's audit head at the time of
 * export (its own entry count and the chain hash of its last entry, never the
 * global sequence number) so a reader can later check it against the chain.
 *
 * @example
 * const document = await exportInvestigation(db, actor, investigationId);
 * fs.writeFileSync('mosul.json', JSON.stringify(document));
 */
export async function exportInvestigation(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
): Promise<InvestigationExport> {
  await requireRole(db, actor, investigationId, 'viewer');
  const clearance = await clearanceFor(db, actor, investigationId);
  // One read-only snapshot: every table is read as of the same moment.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const records = {} as Record<ExportedTable, Record<string, unknown>[]>;
      for (const table of exportedTables) {
        records[table] = (await listInvestigationRows(trx, table, investigationId)).map((row) => toJsonRecord(row));
      }
      withoutRecordsAbove(records, clearance);
      const members = await listMembers(trx, actor, investigationId);
      return {
        format: 'armtrace-investigation',
        format_version: 1,
        exported_at: new Date().toISOString(),
        exported_by: actor.username,
        audit_head: (await findInvestigationHead(trx, investigationId)) ?? null,
        investigation: await getInvestigation(trx, actor, investigationId),
        members: members.map((member) => ({ username: member.username, role: member.role })),
        records,
      };
    });
}

/**
 * Leaves out the records above the reader's clearance and every row that names one (a link to a restricted photo,
 * the custody of a restricted item, a sync receipt carrying its values…). The minimal filter until export profiles
 * (issue 13, item 3) take over.
 */
function withoutRecordsAbove(records: Record<string, Record<string, unknown>[]>, clearance: SensitivityLevel): void {
  const hidden = new Set<string>();
  for (const rows of Object.values(records)) {
    for (const row of rows) {
      if (typeof row.sensitivity === 'string' && !isVisibleAt(clearance, row.sensitivity)) hidden.add(String(row.id));
    }
  }
  if (hidden.size === 0) return;
  for (const [table, rows] of Object.entries(records)) {
    records[table] = rows.filter((row) => {
      const text = JSON.stringify(row);
      return ![...hidden].some((id) => text.includes(id));
    });
  }
}
