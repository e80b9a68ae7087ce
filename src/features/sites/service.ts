import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Page, PageQuery } from '../../db/pagination.js';
import { toPage } from '../../db/pagination.js';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row, RowUpdate } from '../../db/tables.js';
import { requireUnusedRecordId } from '../../db/record-ids.js';
import { findById, findForUpdate, inTransaction, updateVersioned, type Queryable } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireCanEdit, requireRole } from '../access/service.js';
import { archiveAudited } from '../audit/archive.js';
import { recordChange } from '../audit/service.js';
import type { ArchiveInput } from '../../http/params.js';
import * as repository from './repository.js';
import {
  createSiteBodySchema,
  createZoneBodySchema,
  updateSiteBodySchema,
  updateZoneBodySchema,
  type CreateSiteInput,
  type CreateZoneInput,
  type Site,
  type SiteArea,
  type SiteFeatureCollection,
  type SiteListQuery,
  type SiteNames,
  type SiteType,
  type UpdateSiteInput,
  type UpdateZoneInput,
  type Zone,
} from './schema.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';
import {
  clearanceForRole,
  requireReader,
  requireVisible,
  sensitivityForInsert,
  sensitivityPatch,
} from '../sensitivity/service.js';

function toSite(row: Row<'sites'>): Site {
  return {
    ...toJsonRecord(row),
    site_type: row.site_type as SiteType,
    names: row.names as SiteNames,
    area: row.area as SiteArea | null,
    sensitivity: row.sensitivity as SensitivityLevel,
  };
}

function toZone(row: Row<'zones'>): Zone {
  return toJsonRecord(row);
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/**
 * Records a site (cache, workshop, depot…) in an investigation. Needs the
 * investigator role.
 *
 * @example
 * const site = await createSite(db, actor, investigationId, {
 *   site_type: 'cache', name: 'Farmhouse cellar', names: { ar: '…' },
 *   latitude: 36.34, longitude: 43.13, precision_m: 25, recovered_on: '2017-03-02',
 * });
 */
export async function createSite(
  db: Queryable,
  actor: Actor,
  investigationId: string,
  input: CreateSiteInput,
): Promise<Site> {
  const parsed = createSiteBodySchema.parse(input);
  return inTransaction(db, async (trx) => {
    const access = await requireRole(trx, actor, investigationId, 'investigator');
    const sensitivity = sensitivityForInsert(parsed, await clearanceForRole(trx, access.role, investigationId));
    if (parsed.id !== undefined) await requireUnusedRecordId(trx, parsed.id);
    const now = new Date();
    const row = await repository.insertSite(trx, {
      ...sensitivity,
      id: parsed.id ?? uuidv7(),
      investigation_id: investigationId,
      external_ref: parsed.external_ref ?? null,
      site_type: parsed.site_type,
      name: parsed.name,
      names: JSON.stringify(parsed.names),
      latitude: parsed.latitude ?? null,
      longitude: parsed.longitude ?? null,
      precision_m: parsed.precision_m ?? null,
      area: jsonOrNull(parsed.area),
      recovered_by: parsed.recovered_by ?? null,
      recovered_on: parsed.recovered_on ?? null,
      context: parsed.context,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await recordChange(trx, actor, {
      action: 'site.create',
      entityType: 'sites',
      entityId: row.id,
      investigationId,
      after: row,
    });
    return toSite(row);
  });
}

/**
 * The sites of an investigation, filtered by type, by part of a name (in any
 * language) and by a bounding box.
 *
 * @example
 * const query = siteListQuerySchema.parse({ site_type: 'cache', bbox: '43.0,36.2,43.3,36.5' });
 * const page = await listSites(db, actor, investigationId, query);
 */
export async function listSites(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  query: SiteListQuery,
): Promise<Page<Site>> {
  const { clearance } = await requireReader(db, actor, investigationId);
  const rows = await repository.listSites(
    db,
    investigationId,
    {
      siteType: query.site_type,
      nameContains: query.q,
      bbox: query.bbox,
      includeArchived: query.include_archived,
    },
    { after: query.after, limit: query.limit },
    clearance,
  );
  return toPage(rows, query.limit, toSite);
}

export async function getSite(db: Kysely<DB>, actor: Actor, id: string): Promise<Site> {
  const row = await findById(db, 'sites', id);
  const { clearance } = await requireReader(db, actor, row.investigation_id);
  requireVisible(clearance, row, 'Site');
  return toSite(row);
}

/** Located, live sites as GeoJSON points (RFC 7946: [longitude, latitude]) for a map. */
export async function getSitesGeoJson(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  siteType?: SiteType,
): Promise<SiteFeatureCollection> {
  const { clearance } = await requireReader(db, actor, investigationId);
  const rows = await repository.listLocatedSites(db, investigationId, siteType, clearance);
  return {
    type: 'FeatureCollection',
    features: rows.map((row) => ({
      type: 'Feature',
      id: row.id,
      geometry: { type: 'Point', coordinates: [row.longitude!, row.latitude!] },
      properties: {
        name: row.name,
        names: row.names as SiteNames,
        site_type: row.site_type as SiteType,
        external_ref: row.external_ref,
        precision_m: row.precision_m,
        recovered_on: row.recovered_on,
      },
    })),
  };
}

export async function updateSite(db: Queryable, actor: Actor, id: string, input: UpdateSiteInput): Promise<Site> {
  const parsed = updateSiteBodySchema.parse(input);
  return inTransaction(db, async (trx) => {
    const before = await findForUpdate(trx, 'sites', id);
    const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
    const clearance = await clearanceForRole(trx, access.role, before.investigation_id);
    requireVisible(clearance, before, 'Site');
    requireCanEdit(access, actor, before);
    const latitude = parsed.latitude === undefined ? before.latitude : parsed.latitude;
    const longitude = parsed.longitude === undefined ? before.longitude : parsed.longitude;
    if ((latitude === null) !== (longitude === null)) {
      const field = latitude === null ? 'latitude' : 'longitude';
      throw new DomainError('validation_failed', `Give latitude and longitude together, or clear both.`, [
        {
          field,
          message: 'latitude and longitude go together',
          code: 'coordinate_pair_incomplete',
          params: { axis: field },
        },
      ]);
    }
    const precision = parsed.precision_m === undefined ? before.precision_m : parsed.precision_m;
    if (latitude === null && precision !== null) {
      // Clearing the point while keeping its precision would leave a precision of nothing.
      throw new DomainError('validation_failed', 'A precision needs a location: clear precision_m with it.', [
        {
          field: 'precision_m',
          message: 'a precision needs a location: give latitude and longitude too, or clear precision_m',
          code: 'precision_without_location',
        },
      ]);
    }
    const patch: RowUpdate<'sites'> = sensitivityPatch(parsed, before, clearance);
    if (parsed.site_type !== undefined) patch.site_type = parsed.site_type;
    if (parsed.name !== undefined) patch.name = parsed.name;
    if (parsed.names !== undefined) patch.names = JSON.stringify(parsed.names);
    if (parsed.latitude !== undefined) patch.latitude = parsed.latitude;
    if (parsed.longitude !== undefined) patch.longitude = parsed.longitude;
    if (parsed.precision_m !== undefined) patch.precision_m = parsed.precision_m;
    if (parsed.area !== undefined) patch.area = jsonOrNull(parsed.area);
    if (parsed.external_ref !== undefined) patch.external_ref = parsed.external_ref;
    if (parsed.recovered_by !== undefined) patch.recovered_by = parsed.recovered_by;
    if (parsed.recovered_on !== undefined) patch.recovered_on = parsed.recovered_on;
    if (parsed.context !== undefined) patch.context = parsed.context;
    const after = await updateVersioned(trx, 'sites', before, parsed.version, patch);
    await recordChange(trx, actor, {
      action: 'site.update',
      entityType: 'sites',
      entityId: id,
      investigationId: before.investigation_id,
      before,
      after,
    });
    return toSite(after);
  });
}

/** Archives a site; its zones and items stay as they are. */
export async function archiveSite(db: Kysely<DB>, actor: Actor, id: string, input: ArchiveInput): Promise<Site> {
  return archiveAudited(db, actor, { table: 'sites', id, action: 'site.archive' }, input, {
    authorize: async (trx, before) => {
      const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
      requireVisible(await clearanceForRole(trx, access.role, before.investigation_id), before, 'Site');
      requireCanEdit(access, actor, before);
    },
    present: (_trx, after) => toSite(after),
  });
}

/**
 * Adds a zone (an area inside a site, e.g. "rocket area") that items can be
 * placed in. The zone belongs to the site's investigation.
 *
 * @example
 * const zone = await createZone(db, actor, site.id, { name: 'Rocket area' });
 */
export async function createZone(db: Queryable, actor: Actor, siteId: string, input: CreateZoneInput): Promise<Zone> {
  const parsed = createZoneBodySchema.parse(input);
  return inTransaction(db, async (trx) => {
    const site = await findById(trx, 'sites', siteId);
    const access = await requireRole(trx, actor, site.investigation_id, 'investigator');
    requireVisible(await clearanceForRole(trx, access.role, site.investigation_id), site, 'Site');
    if (site.archived_at !== null) {
      throw new DomainError('archived', `Site ${siteId} is archived: zones can no longer be added to it.`);
    }
    if (parsed.id !== undefined) await requireUnusedRecordId(trx, parsed.id);
    const now = new Date();
    const row = await repository.insertZone(trx, {
      id: parsed.id ?? uuidv7(),
      investigation_id: site.investigation_id,
      site_id: siteId,
      name: parsed.name,
      description: parsed.description,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await recordChange(trx, actor, {
      action: 'zone.create',
      entityType: 'zones',
      entityId: row.id,
      investigationId: row.investigation_id,
      after: row,
    });
    return toZone(row);
  });
}

export async function listZones(db: Kysely<DB>, actor: Actor, siteId: string, page: PageQuery): Promise<Page<Zone>> {
  const site = await findById(db, 'sites', siteId);
  const { clearance } = await requireReader(db, actor, site.investigation_id);
  requireVisible(clearance, site, 'Site');
  const rows = await repository.listZones(db, siteId, {
    after: page.after,
    limit: page.limit,
    includeArchived: page.include_archived,
  });
  return toPage(rows, page.limit, toZone);
}

/**
 * One zone, archived or not (a stale edit shows the zone as it is now).
 *
 * @example const zone = await getZone(db, actor, zoneId);
 */
export async function getZone(db: Kysely<DB>, actor: Actor, id: string): Promise<Zone> {
  const row = await findById(db, 'zones', id);
  const { clearance } = await requireReader(db, actor, row.investigation_id);
  // A zone of a site the reader may not see is not confirmed either.
  const site = await findById(db, 'sites', row.site_id);
  requireVisible(clearance, { id: row.id, sensitivity: site.sensitivity }, 'Zone');
  return toZone(row);
}

export async function updateZone(db: Kysely<DB>, actor: Actor, id: string, input: UpdateZoneInput): Promise<Zone> {
  const parsed = updateZoneBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, 'zones', id);
    const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
    requireCanEdit(access, actor, before);
    const after = await updateVersioned(trx, 'zones', before, parsed.version, {
      ...(parsed.name === undefined ? {} : { name: parsed.name }),
      ...(parsed.description === undefined ? {} : { description: parsed.description }),
    });
    await recordChange(trx, actor, {
      action: 'zone.update',
      entityType: 'zones',
      entityId: id,
      investigationId: before.investigation_id,
      before,
      after,
    });
    return toZone(after);
  });
}

export async function archiveZone(db: Kysely<DB>, actor: Actor, id: string, input: ArchiveInput): Promise<Zone> {
  return archiveAudited(db, actor, { table: 'zones', id, action: 'zone.archive' }, input, {
    authorize: async (trx, before) => {
      const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
      requireCanEdit(access, actor, before);
    },
    present: (_trx, after) => toZone(after),
  });
}
