import type { Kysely } from 'kysely';
import type { DB, Row } from '../../db/tables.js';
import { archiveVersioned, findForUpdate, type Tx, type VersionedTable } from '../../db/versioned.js';
import { archiveBodySchema, type ArchiveInput } from '../../http/params.js';
import type { Actor } from '../access/schema.js';
import { recordChange } from './service.js';

/** Versioned tables whose rows belong to one investigation (the audit entry names it). */
type InvestigationRecordTable = Exclude<VersionedTable, 'investigations'>;

/**
 * Archives (tombstones) one record of an investigation, audited, in one transaction: the row is locked, `authorize`
 * checks that `actor` may change it (and throws if not), the version is checked (`version_conflict`, 409) and an
 * archived row refused (`archived`, 409), the row is archived with the reason, and the change is recorded in the
 * audit chain (`action`, before and after) in the same transaction. `present` turns the archived row into the
 * response, still inside the transaction (it may read more).
 *
 * It lives beside `recordChange` because every feature already depends on the audit feature for it; the locking
 * and version rules themselves stay in `src/db/versioned.ts`.
 *
 * @example
 * export async function archiveSource(db: Kysely<DB>, actor: Actor, id: string, input: ArchiveInput) {
 *   return archiveAudited(db, actor, { table: 'sources', id, action: 'source.archive' }, input, {
 *     authorize: async (trx, before) => {
 *       requireCanEdit(await requireRole(trx, actor, before.investigation_id, 'investigator'), actor, before);
 *     },
 *     present: (_trx, after) => toSource(after),
 *   });
 * }
 */
export async function archiveAudited<T extends InvestigationRecordTable, R>(
  db: Kysely<DB>,
  actor: Actor,
  record: { table: T; id: string; action: string },
  input: ArchiveInput,
  steps: {
    authorize: (trx: Tx, before: Row<T>) => Promise<void>;
    present: (trx: Tx, after: Row<T>) => R | Promise<R>;
  },
): Promise<R> {
  const parsed = archiveBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, record.table, record.id);
    await steps.authorize(trx, before);
    // Every versioned row has these columns; Kysely cannot see it through the generic table.
    const current = before as unknown as {
      id: string;
      version: number;
      archived_at: Date | null;
      investigation_id: string;
    };
    const after = await archiveVersioned(trx, record.table, current, parsed.version, parsed.reason);
    await recordChange(trx, actor, {
      action: record.action,
      entityType: record.table,
      entityId: record.id,
      investigationId: current.investigation_id,
      before,
      after,
    });
    return steps.present(trx, after);
  });
}
