import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB } from '../../db/tables.js';
import { requireUnusedRecordId } from '../../db/record-ids.js';
import { findById, inTransaction, type Queryable } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { clearanceForRole, requireReader, requireVisible } from '../sensitivity/service.js';
import { recordChange } from '../audit/service.js';
import * as repository from './repository.js';
import { createCustodyEventBodySchema, type CreateCustodyEventInput, type CustodyEvent } from './schema.js';

/**
 * Appends a hand-over to an item's chain of custody. Events are never changed
 * or removed (the database refuses it); a mistake is corrected by a further
 * event whose note says so.
 *
 * @example
 * await addCustodyEvent(db, actor, itemId, { from_party: 'Site team', to_party: 'Evidence store', place: 'Erbil' });
 */
export async function addCustodyEvent(
  db: Queryable,
  actor: Actor,
  itemId: string,
  input: CreateCustodyEventInput,
): Promise<CustodyEvent> {
  const parsed = createCustodyEventBodySchema.parse(input);
  return inTransaction(db, async (trx) => {
    const item = await findById(trx, 'items', itemId);
    const access = await requireRole(trx, actor, item.investigation_id, 'investigator');
    requireVisible(await clearanceForRole(trx, access.role, item.investigation_id), item, 'Item');
    if (item.archived_at !== null) {
      throw new DomainError('archived', `Item ${itemId} is archived; its chain of custody is closed.`);
    }
    if (parsed.id !== undefined) await requireUnusedRecordId(trx, parsed.id);
    const now = new Date();
    const row = await repository.insertCustodyEvent(trx, {
      id: parsed.id ?? uuidv7(),
      investigation_id: item.investigation_id,
      item_id: itemId,
      from_party: parsed.from_party,
      to_party: parsed.to_party,
      occurred_at: parsed.occurred_at === undefined ? now : new Date(parsed.occurred_at),
      place: parsed.place ?? null,
      note: parsed.note,
      created_by: actor.userId,
      created_at: now,
    });
    await recordChange(trx, actor, {
      action: 'custody.create',
      entityType: 'custody_events',
      entityId: row.id,
      investigationId: row.investigation_id,
      after: row,
    });
    return toJsonRecord(row);
  });
}

/** The chain of custody of an item, oldest hand-over first. */
export async function listCustodyEvents(db: Kysely<DB>, actor: Actor, itemId: string): Promise<CustodyEvent[]> {
  const item = await findById(db, 'items', itemId);
  requireVisible((await requireReader(db, actor, item.investigation_id)).clearance, item, 'Item');
  const rows = await repository.listCustodyEvents(db, itemId);
  return rows.map((row) => toJsonRecord(row));
}
