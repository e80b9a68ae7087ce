import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Page } from '../../db/pagination.js';
import { toPage } from '../../db/pagination.js';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import {
  archiveVersioned,
  findById,
  findForUpdate,
  updateVersioned,
  type Queryable,
  type Tx,
} from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireCanEdit, requireRole } from '../access/service.js';
import { recordChange } from '../audit/service.js';
import { archiveBodySchema, type ArchiveInput } from '../investigations/schema.js';
import * as repository from './repository.js';
import {
  createIncidentBodySchema,
  linkIncidentItemBodySchema,
  updateIncidentBodySchema,
  type CreateIncidentInput,
  type Incident,
  type IncidentListQuery,
  type LinkIncidentItemInput,
  type UpdateIncidentInput,
} from './schema.js';

function toIncident(row: Row<'incidents'>, itemIds: string[]): Incident {
  return { ...toJsonRecord(row), incident_type: row.incident_type as Incident['incident_type'], item_ids: itemIds };
}

async function withItemIds(db: Queryable, row: Row<'incidents'>): Promise<Incident> {
  const itemIds = await repository.listItemIds(db, [row.id]);
  return toIncident(row, itemIds.get(row.id) ?? []);
}

/** A position is a pair; half of one is refused here rather than by the table's unnamed check. */
function requireWholePosition(position: { latitude: number | null; longitude: number | null }): void {
  if ((position.latitude === null) === (position.longitude === null)) return;
  const missing = position.latitude === null ? 'latitude' : 'longitude';
  throw new DomainError('validation_failed', 'Give latitude and longitude together, or neither.', [
    { field: missing, message: 'required with the other coordinate' },
  ]);
}

/**
 * Records an incident (a malfunction, accident, seizure or attack) that
 * recovered items can be tied to. Casualties are counts only.
 *
 * @example
 * const incident = await createIncident(db, actor, investigationId, {
 *   incident_type: 'seizure', title: 'Checkpoint seizure', occurred_on: '2017-03-02', site_id: site.id,
 * });
 * await linkIncidentItem(db, actor, incident.id, { item_id: item.id });
 */
export async function createIncident(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  input: CreateIncidentInput,
): Promise<Incident> {
  const parsed = createIncidentBodySchema.parse(input);
  requireWholePosition(parsed);
  return db.transaction().execute(async (trx) => {
    await requireRole(trx, actor, investigationId, 'investigator');
    const now = new Date();
    const row = await repository.insertIncident(trx, {
      ...parsed,
      id: uuidv7(),
      investigation_id: investigationId,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await recordChange(trx, actor, {
      action: 'incident.create',
      entityType: 'incidents',
      entityId: row.id,
      investigationId,
      after: row,
    });
    return toIncident(row, []);
  });
}

export async function listIncidents(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  query: IncidentListQuery,
): Promise<Page<Incident>> {
  await requireRole(db, actor, investigationId, 'viewer');
  const rows = await repository.listIncidents(db, investigationId, {
    after: query.after,
    limit: query.limit,
    sort: query.sort,
    order: query.order,
    includeArchived: query.include_archived,
    incidentType: query.incident_type,
    siteId: query.site_id,
    text: query.q,
  });
  const itemIds = await repository.listItemIds(
    db,
    rows.slice(0, query.limit).map((row) => row.id),
  );
  return toPage(rows, query.limit, (row) => toIncident(row, itemIds.get(row.id) ?? []));
}

/** One incident with the ids of its linked items. */
export async function getIncident(db: Kysely<DB>, actor: Actor, id: string): Promise<Incident> {
  const row = await findById(db, 'incidents', id);
  await requireRole(db, actor, row.investigation_id, 'viewer');
  return withItemIds(db, row);
}

export async function updateIncident(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  input: UpdateIncidentInput,
): Promise<Incident> {
  const { version, ...changes } = updateIncidentBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, 'incidents', id);
    const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
    requireCanEdit(access, actor, before);
    requireWholePosition({
      latitude: changes.latitude === undefined ? before.latitude : changes.latitude,
      longitude: changes.longitude === undefined ? before.longitude : changes.longitude,
    });
    const after = await updateVersioned(trx, 'incidents', before, version, changes);
    await recordChange(trx, actor, {
      action: 'incident.update',
      entityType: 'incidents',
      entityId: id,
      investigationId: before.investigation_id,
      before,
      after,
    });
    return withItemIds(trx, after);
  });
}

export async function archiveIncident(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  input: ArchiveInput,
): Promise<Incident> {
  const parsed = archiveBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, 'incidents', id);
    const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
    requireCanEdit(access, actor, before);
    const after = await archiveVersioned(trx, 'incidents', before, parsed.version, parsed.reason);
    await recordChange(trx, actor, {
      action: 'incident.archive',
      entityType: 'incidents',
      entityId: id,
      investigationId: before.investigation_id,
      before,
      after,
    });
    return withItemIds(trx, after);
  });
}

/** The incident, locked for this transaction, once `actor` may change it and it is not archived. */
export async function findEditableIncident(trx: Tx, actor: Actor, id: string): Promise<Row<'incidents'>> {
  const incident = await findForUpdate(trx, 'incidents', id);
  const access = await requireRole(trx, actor, incident.investigation_id, 'investigator');
  requireCanEdit(access, actor, incident);
  if (incident.archived_at !== null) {
    throw new DomainError('archived', `Incident ${id} is archived; the items it involves can no longer be changed.`);
  }
  return incident;
}

/**
 * Ties an item of the same investigation to an incident. Changing what an
 * incident involves is an edit of the incident, so the same rights apply.
 */
export async function linkIncidentItem(
  db: Kysely<DB>,
  actor: Actor,
  incidentId: string,
  input: LinkIncidentItemInput,
): Promise<Incident> {
  const parsed = linkIncidentItemBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const incident = await findEditableIncident(trx, actor, incidentId);
    if ((await repository.findIncidentItem(trx, incidentId, parsed.item_id)) !== undefined) {
      throw new DomainError('already_exists', `Item ${parsed.item_id} is already linked to incident ${incidentId}.`, [
        { field: 'item_id', message: 'already linked' },
      ]);
    }
    await repository.insertIncidentItem(trx, {
      incident_id: incidentId,
      item_id: parsed.item_id,
      investigation_id: incident.investigation_id,
    });
    await recordChange(trx, actor, {
      action: 'incident.link_item',
      entityType: 'incident_items',
      entityId: incidentId,
      investigationId: incident.investigation_id,
      after: { incident_id: incidentId, item_id: parsed.item_id },
    });
    return withItemIds(trx, incident);
  });
}

/**
 * Removes an item from those an incident involves (a link made in error).
 * The audit log keeps both the link and its removal, with who and when.
 *
 * @example
 * await unlinkIncidentItem(db, actor, incident.id, wronglyLinkedItemId);
 */
export async function unlinkIncidentItem(
  db: Kysely<DB>,
  actor: Actor,
  incidentId: string,
  itemId: string,
): Promise<Incident> {
  return db.transaction().execute(async (trx) => {
    const incident = await findEditableIncident(trx, actor, incidentId);
    if (!(await repository.deleteIncidentItem(trx, incidentId, itemId))) {
      throw new DomainError('not_found', `Item ${itemId} is not linked to incident ${incidentId}.`);
    }
    await recordChange(trx, actor, {
      action: 'incident.unlink_item',
      entityType: 'incident_items',
      entityId: incidentId,
      investigationId: incident.investigation_id,
      before: { incident_id: incidentId, item_id: itemId },
    });
    return withItemIds(trx, incident);
  });
}
