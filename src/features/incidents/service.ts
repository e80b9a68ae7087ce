import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Page } from '../../db/pagination.js';
import { toPage } from '../../db/pagination.js';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import { findById, findForUpdate, updateVersioned, type Queryable, type Tx } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireCanEdit, requireRole } from '../access/service.js';
import { archiveAudited } from '../audit/archive.js';
import { recordChange } from '../audit/service.js';
import type { ArchiveInput } from '../../http/params.js';
import { clearanceFor } from '../sensitivity/service.js';
import * as repository from './repository.js';
import {
  createIncidentBodySchema,
  linkIncidentItemBodySchema,
  linkIncidentSiteBodySchema,
  updateIncidentBodySchema,
  type CreateIncidentInput,
  type Incident,
  type IncidentListQuery,
  type LinkIncidentItemInput,
  type LinkIncidentSiteInput,
  type UpdateIncidentInput,
} from './schema.js';

/** `siteIds` are the linked sites the reader may see; the incident's own site is shown only when it is one of them. */
function toIncident(row: Row<'incidents'>, itemIds: string[], siteIds: string[]): Incident {
  return {
    ...toJsonRecord(row),
    site_id: row.site_id !== null && siteIds.includes(row.site_id) ? row.site_id : null,
    incident_type: row.incident_type as Incident['incident_type'],
    item_ids: itemIds,
    site_ids: siteIds,
  };
}

/** The incident with the linked items and sites `actor` may see (a link must not reveal a restricted record). */
async function withItemIds(db: Queryable, row: Row<'incidents'>, actor: Actor): Promise<Incident> {
  const clearance = await clearanceFor(db, actor, row.investigation_id);
  const itemIds = await repository.listItemIds(db, [row.id], clearance);
  const siteIds = await repository.listSiteIds(db, [row.id], clearance);
  return toIncident(row, itemIds.get(row.id) ?? [], siteIds.get(row.id) ?? []);
}

/**
 * Links a site to an incident inside the caller's transaction, audited; a site already linked is left as it is
 * (false), a site of another investigation is refused naming `site_id`.
 */
async function addSiteLink(trx: Tx, actor: Actor, incident: Row<'incidents'>, siteId: string): Promise<boolean> {
  const site = await repository.findSite(trx, incident.investigation_id, siteId);
  if (site === undefined) {
    throw new DomainError('reference_invalid', `Site ${siteId} is not a site of this investigation.`, [
      { field: 'site_id', message: 'not a site of this investigation' },
    ]);
  }
  if ((await repository.findIncidentSite(trx, incident.id, siteId)) !== undefined) return false;
  if (site.archived_at !== null) {
    throw new DomainError('archived', `Site ${siteId} is archived; link a site in use.`, [
      { field: 'site_id', message: 'archived' },
    ]);
  }
  const link = await repository.insertIncidentSite(trx, {
    incident_id: incident.id,
    site_id: siteId,
    investigation_id: incident.investigation_id,
    created_by: actor.userId,
  });
  await recordChange(trx, actor, {
    action: 'incident.link_site',
    entityType: 'incident_sites',
    entityId: incident.id,
    investigationId: incident.investigation_id,
    after: link,
  });
  return true;
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
    if (row.site_id !== null) await addSiteLink(trx, actor, row, row.site_id);
    return withItemIds(trx, row, actor);
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
  const clearance = await clearanceFor(db, actor, investigationId);
  const itemIds = await repository.listItemIds(
    db,
    rows.slice(0, query.limit).map((row) => row.id),
    clearance,
  );
  const siteIds = await repository.listSiteIds(
    db,
    rows.slice(0, query.limit).map((row) => row.id),
    clearance,
  );
  return toPage(rows, query.limit, (row) => toIncident(row, itemIds.get(row.id) ?? [], siteIds.get(row.id) ?? []));
}

/** One incident with the ids of its linked items. */
export async function getIncident(db: Kysely<DB>, actor: Actor, id: string): Promise<Incident> {
  const row = await findById(db, 'incidents', id);
  await requireRole(db, actor, row.investigation_id, 'viewer');
  return withItemIds(db, row, actor);
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
    // The site given is also linked; sites linked before stay linked (unlink them one by one).
    if (after.site_id !== null) await addSiteLink(trx, actor, after, after.site_id);
    return withItemIds(trx, after, actor);
  });
}

export async function archiveIncident(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  input: ArchiveInput,
): Promise<Incident> {
  return archiveAudited(db, actor, { table: 'incidents', id, action: 'incident.archive' }, input, {
    authorize: async (trx, before) => {
      const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
      requireCanEdit(access, actor, before);
    },
    present: (trx, after) => withItemIds(trx, after, actor),
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
    return withItemIds(trx, incident, actor);
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
    return withItemIds(trx, incident, actor);
  });
}

/**
 * Links a site of the same investigation to an incident (one of several places it involves). Changing the sites
 * of an incident is an edit of the incident, so the same rights apply.
 *
 * @example
 * await linkIncidentSite(db, actor, incident.id, { site_id: secondCache.id });
 */
export async function linkIncidentSite(
  db: Kysely<DB>,
  actor: Actor,
  incidentId: string,
  input: LinkIncidentSiteInput,
): Promise<Incident> {
  const parsed = linkIncidentSiteBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const incident = await findEditableIncident(trx, actor, incidentId);
    if (!(await addSiteLink(trx, actor, incident, parsed.site_id))) {
      throw new DomainError('already_exists', `Site ${parsed.site_id} is already linked to incident ${incidentId}.`, [
        { field: 'site_id', message: 'already linked' },
      ]);
    }
    return withItemIds(trx, incident, actor);
  });
}

/**
 * Removes a site from those an incident involves (a link made in error); the audit log keeps the link and its
 * removal. When it was the incident's `site_id`, that becomes the earliest site still linked (or none), recorded
 * as an edit of the incident in the same transaction.
 *
 * @example
 * await unlinkIncidentSite(db, actor, incident.id, wrongSite.id);
 */
export async function unlinkIncidentSite(
  db: Kysely<DB>,
  actor: Actor,
  incidentId: string,
  siteId: string,
): Promise<Incident> {
  return db.transaction().execute(async (trx) => {
    const incident = await findEditableIncident(trx, actor, incidentId);
    const link = await repository.findIncidentSite(trx, incidentId, siteId);
    if (link === undefined || !(await repository.deleteIncidentSite(trx, incidentId, siteId))) {
      throw new DomainError('not_found', `Site ${siteId} is not linked to incident ${incidentId}.`);
    }
    await recordChange(trx, actor, {
      action: 'incident.unlink_site',
      entityType: 'incident_sites',
      entityId: incidentId,
      investigationId: incident.investigation_id,
      before: link,
    });
    if (incident.site_id !== siteId) return withItemIds(trx, incident, actor);
    const remaining = (await repository.listSiteIds(trx, [incidentId], 'restricted')).get(incidentId) ?? [];
    const after = await updateVersioned(trx, 'incidents', incident, incident.version, {
      site_id: remaining[0] ?? null,
    });
    await recordChange(trx, actor, {
      action: 'incident.update',
      entityType: 'incidents',
      entityId: incidentId,
      investigationId: incident.investigation_id,
      before: incident,
      after,
    });
    return withItemIds(trx, after, actor);
  });
}
