import type { Kysely } from 'kysely';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { clearanceFor, isVisibleAt } from '../sensitivity/service.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';
import { getInvestigation, listMembers } from '../investigations/service.js';
import { findInvestigationHead } from '../audit/repository.js';
import type { PublicationRule } from '../review/schema.js';
import {
  applyProfile,
  profileDefinitions,
  profileStatement,
  type ProfileContext,
  type ProfileOptions,
  type ProfileStatement,
} from './profiles.js';
import { exportedTables, listInvestigationRows, type ExportedTable } from './repository.js';

export interface InvestigationExport {
  format: 'armtrace-investigation';
  format_version: 1;
  /** The profile that made this export: which records and columns it carries, and how exact its points are. */
  profile: ProfileStatement;
  exported_at: string;
  /** The exporting user's name; null in partner and public exports (no usernames leave the organisation). */
  exported_by: string | null;
  /** The investigation's own audit position and the hash of its last entry: nothing about other investigations. */
  audit_head: { position: number; hash: string } | null;
  investigation: Awaited<ReturnType<typeof getInvestigation>> | PublishedInvestigation;
  /** The members and their roles; empty in partner and public exports. */
  members: { username: string; role: string }[];
  records: Record<ExportedTable, Record<string, unknown>[]>;
}

/** What a partner or public export says about the investigation itself. */
export interface PublishedInvestigation {
  id: string;
  title: string;
  summary: string;
}

/**
 * Checks the caller may produce the profile (internal: any member; partner and public: owners and editors) and
 * returns what the profile's record rules need: the publication rule and the caller's clearance.
 *
 * @example
 * const context = await requireProfileAccess(db, actor, investigationId, 'public');
 */
export async function requireProfileAccess(
  db: Queryable,
  actor: Actor,
  investigationId: string,
  profile: ProfileOptions['profile'],
): Promise<ProfileContext> {
  await requireRole(db, actor, investigationId, profileDefinitions[profile].minimumRole);
  const investigation = await db
    .selectFrom('investigations')
    .select('publication_rule')
    .where('id', '=', investigationId)
    .executeTakeFirstOrThrow();
  return {
    publicationRule: investigation.publication_rule as PublicationRule,
    clearance: await clearanceFor(db, actor, investigationId),
  };
}

/**
 * Everything recorded in one investigation that the profile lets out (`internal`, the default: every record,
 * archived ones included), as one JSON document. It carries the profile's statement (`profile`) and the
 * investigation's audit head at the time of export (its own entry count and the chain hash of its last entry,
 * never the global sequence number) so a reader can later check it against the chain.
 *
 * @example
 * const document = await exportInvestigation(db, actor, investigationId, { profile: 'public', gridKm: 10 });
 * fs.writeFileSync('mosul.json', JSON.stringify(document));
 */
export async function exportInvestigation(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  options: ProfileOptions = { profile: 'internal' },
): Promise<InvestigationExport> {
  const context = await requireProfileAccess(db, actor, investigationId, options.profile);
  // One read-only snapshot: every table is read as of the same moment.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const read = {} as Record<ExportedTable, Record<string, unknown>[]>;
      for (const table of exportedTables) {
        read[table] = (await listInvestigationRows(trx, table, investigationId)).map((row) => toJsonRecord(row));
      }
      const records = applyProfile(read, options, context);
      // The hidden ids come from what was read, not from what the profile kept: the profile has already dropped the
      // restricted rows themselves, but not the rows that name them (a zone of a restricted site, a media link…).
      withoutRecordsAbove(read, records, context.clearance);
      const investigation = await getInvestigation(trx, actor, investigationId);
      const internal = options.profile === 'internal';
      const members = internal ? await listMembers(trx, actor, investigationId) : [];
      return {
        format: 'armtrace-investigation',
        format_version: 1,
        profile: profileStatement(options),
        exported_at: new Date().toISOString(),
        exported_by: internal ? actor.username : null,
        audit_head: (await findInvestigationHead(trx, investigationId)) ?? null,
        investigation: internal
          ? investigation
          : { id: investigation.id, title: investigation.title, summary: investigation.summary },
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
function withoutRecordsAbove(
  read: Record<string, Record<string, unknown>[]>,
  records: Record<string, Record<string, unknown>[]>,
  clearance: SensitivityLevel,
): void {
  const hidden = new Set<string>();
  for (const rows of Object.values(read)) {
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
