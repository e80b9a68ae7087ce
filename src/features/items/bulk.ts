import type { Kysely } from 'kysely';
import type { DB, Row } from '../../db/tables.js';
import type { Tx } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { recordChange } from '../audit/service.js';
import { addCustodyEvent } from '../custody/service.js';
import * as incidentsRepository from '../incidents/repository.js';
import { findEditableIncident } from '../incidents/service.js';
import * as tracingRepository from '../trace-requests/repository.js';
import { findEditableRequest, linkItem } from '../trace-requests/service.js';
import * as bulkRepository from './bulk-repository.js';
import {
  BULK_ITEM_LIMIT,
  bulkItemFilterSchema,
  bulkItemsBodySchema,
  type BulkItemFilter,
  type BulkItemsBody,
  type BulkItemsInput,
  type BulkItemsResult,
} from './bulk-schema.js';
import { setDisposalStatus } from './service.js';

/** How an item is named to the user: their own reference when it has one, and always its id. */
function itemLabel(item: Row<'items'>): string {
  return item.external_ref === null ? item.id : `${item.external_ref} (${item.id})`;
}

/**
 * A problem with one item stops the whole action; it is re-raised naming that item, in the detail and as a field
 * problem `items` whose params carry the item's id and reference, so the user sees which item blocks it.
 */
function blockedBy(item: Row<'items'>, error: unknown): never {
  if (!(error instanceof DomainError)) throw error;
  throw new DomainError(error.code, `Item ${itemLabel(item)} blocks this action: ${error.message}`, [
    ...error.fields,
    {
      field: 'items',
      message: `item ${itemLabel(item)} cannot be changed: ${error.message}`,
      code: 'not_allowed',
      params: { item_id: item.id, external_ref: item.external_ref ?? '', reason: error.code },
    },
  ]);
}

/** The items a bulk action names, locked; every id must be a live item of the investigation. */
async function lockSelection(trx: Tx, investigationId: string, body: BulkItemsBody): Promise<Row<'items'>[]> {
  if (body.item_ids !== undefined) {
    const ids = [...new Set(body.item_ids)];
    const rows = await bulkRepository.lockItemsByIds(trx, investigationId, ids);
    const found = new Set(rows.map((row) => row.id));
    const missing = body.item_ids.findIndex((id) => !found.has(id));
    if (missing >= 0) {
      throw new DomainError(
        'reference_invalid',
        `Item ${body.item_ids[missing]} is not an item of this investigation; nothing was changed.`,
        [{ field: `item_ids.${missing}`, message: 'no such item here', code: 'unknown_reference' }],
      );
    }
    for (const row of rows) if (row.archived_at !== null) blockedBy(row, archivedError(row));
    return rows;
  }
  const filter = body.filter!;
  const excluded = [...new Set(body.excluded_item_ids ?? [])];
  const rows = await bulkRepository.lockMatchingItems(trx, investigationId, filter, excluded, BULK_ITEM_LIMIT + 1);
  if (rows.length > BULK_ITEM_LIMIT) {
    throw new DomainError(
      'validation_failed',
      `More than ${BULK_ITEM_LIMIT} items match; narrow the filter or act in several steps.`,
      [
        {
          field: 'filter',
          message: `matches more than ${BULK_ITEM_LIMIT} items`,
          code: 'too_many',
          params: { maximum: BULK_ITEM_LIMIT },
        },
      ],
    );
  }
  if (rows.length !== body.expected_count) {
    throw new DomainError(
      'version_conflict',
      `The selection now stands for ${rows.length} items, not the ${body.expected_count} you saw; review it again. Nothing was changed.`,
      [{ field: 'expected_count', message: `now ${rows.length}`, code: 'not_allowed', params: { count: rows.length } }],
    );
  }
  return rows;
}

function archivedError(item: Row<'items'>): DomainError {
  return new DomainError('archived', `Item ${item.id} is archived; it can no longer be changed.`);
}

/** Thrown to roll back a dry run once everything was checked; carries what would have changed. */
class DryRunDone extends Error {
  constructor(readonly result: BulkItemsResult) {
    super('dry run');
  }
}

async function apply(trx: Tx, actor: Actor, body: BulkItemsBody, items: Row<'items'>[]): Promise<BulkItemsResult> {
  const result: BulkItemsResult = {
    action: body.action,
    changed_item_ids: [],
    unchanged_item_ids: [],
    custody_event_ids: [],
  };
  switch (body.action) {
    case 'hand_over':
      for (const item of items) {
        const event = await addCustodyEvent(trx, actor, item.id, {
          from_party: body.from_party,
          to_party: body.to_party,
          ...(body.occurred_at === undefined ? {} : { occurred_at: body.occurred_at }),
          place: body.place ?? null,
          note: body.note,
        }).catch((error: unknown) => blockedBy(item, error));
        result.changed_item_ids.push(item.id);
        result.custody_event_ids.push(event.id);
      }
      return result;
    case 'set_disposal':
      for (const item of items) {
        await setDisposalStatus(trx, actor, item.id, {
          version: item.version,
          disposal_status: body.disposal_status,
          ...(body.note === undefined ? {} : { note: body.note }),
        }).catch((error: unknown) => blockedBy(item, error));
        result.changed_item_ids.push(item.id);
      }
      return result;
    case 'add_to_trace_request': {
      const request = await findEditableRequest(trx, actor, body.trace_request_id);
      if (request.investigation_id !== items[0]?.investigation_id || request.status === 'closed') {
        throw new DomainError('constraint_violated', `Trace request ${request.id} is closed or belongs elsewhere.`, [
          {
            field: 'trace_request_id',
            message: 'choose an open trace request of this investigation',
            code: 'not_allowed',
          },
        ]);
      }
      for (const item of items) {
        if ((await tracingRepository.findTraceRequestItem(trx, request.id, item.id)) !== undefined) {
          result.unchanged_item_ids.push(item.id);
          continue;
        }
        await linkItem(trx, actor, request, item.id).catch((error: unknown) => blockedBy(item, error));
        result.changed_item_ids.push(item.id);
      }
      return result;
    }
    case 'link_incident': {
      const incident = await findEditableIncident(trx, actor, body.incident_id);
      if (incident.investigation_id !== items[0]?.investigation_id) {
        throw new DomainError('reference_invalid', `Incident ${incident.id} belongs to another investigation.`, [
          { field: 'incident_id', message: 'choose an incident of this investigation', code: 'unknown_reference' },
        ]);
      }
      for (const item of items) {
        if ((await incidentsRepository.findIncidentItem(trx, incident.id, item.id)) !== undefined) {
          result.unchanged_item_ids.push(item.id);
          continue;
        }
        await incidentsRepository.insertIncidentItem(trx, {
          incident_id: incident.id,
          item_id: item.id,
          investigation_id: incident.investigation_id,
        });
        await recordChange(trx, actor, {
          action: 'incident.link_item',
          entityType: 'incident_items',
          entityId: incident.id,
          investigationId: incident.investigation_id,
          after: { incident_id: incident.id, item_id: item.id },
        });
        result.changed_item_ids.push(item.id);
      }
      return result;
    }
  }
}

/**
 * One action on many items of an investigation, in one transaction: hand them over (a custody event each), set
 * their disposal status, cover them by a trace request, or link them to an incident. Every item's change is
 * audited on its own, by the same rules as the single-item routes; if any item cannot be changed nothing is, and
 * the problem names that item. The items are given by id, or as the item list's filter less the items left out
 * (`excluded_item_ids`) with the count the user saw selected (a different count now is refused). `dryRun` checks everything and reports what would change, writing
 * nothing.
 *
 * @example
 * await bulkItemAction(db, actor, investigationId, {
 *   action: 'hand_over', item_ids, from_party: 'Site team', to_party: 'Clearance team',
 * });
 */
export async function bulkItemAction(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  input: BulkItemsInput,
  options: { dryRun?: boolean } = {},
): Promise<BulkItemsResult> {
  const body = bulkItemsBodySchema.parse(input);
  try {
    return await db.transaction().execute(async (trx) => {
      await requireRole(trx, actor, investigationId, 'investigator');
      const items = await lockSelection(trx, investigationId, body);
      const result = await apply(trx, actor, body, items);
      if (options.dryRun === true) throw new DryRunDone(result);
      return result;
    });
  } catch (error) {
    if (error instanceof DryRunDone) return error.result;
    throw error;
  }
}

/**
 * How many live items match the item list's filter: the "select all N matching" of the inventory.
 *
 * @example
 * const { count } = await countItems(db, actor, investigationId, { category: 'fuze' });
 */
export async function countItems(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  filter: BulkItemFilter,
): Promise<{ count: number }> {
  await requireRole(db, actor, investigationId, 'viewer');
  return { count: await bulkRepository.countMatchingItems(db, investigationId, bulkItemFilterSchema.parse(filter)) };
}
