/**
 * Serial runs and shared lots: the patterns in markings that point to one
 * shipment spread over several places.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import type { Actor } from '../access/schema.js';
import { requireRole, visibleInvestigationIds } from '../access/service.js';
import * as repository from './repository.js';
import { type SerialRun, type SerialRunsInput, type SharedLot, type SharedLotsInput } from './schema.js';
import { ensureSearchKeys } from '../marking-search/service.js';
import { restrictedClearedIn } from '../sensitivity/service.js';

const MEMBERS_SHOWN = 50;
const EARTH_RADIUS_KM = 6371;

/** Great-circle distance between two points, in km. */
function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = radians(lat2 - lat1);
  const dLon = radians(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(radians(lat1)) * Math.cos(radians(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

type SpreadRow = repository.SharedLotRow | repository.SerialRunRow;
type Spread<R extends SpreadRow> = Omit<
  R,
  'min_latitude' | 'max_latitude' | 'min_longitude' | 'max_longitude' | 'group_key'
> & { extent_km: number | null };

function spread<R extends SpreadRow>(row: R): Spread<R> {
  const { min_latitude, max_latitude, min_longitude, max_longitude, group_key: _key, members, ...rest } = row;
  const extent =
    min_latitude === null || max_latitude === null || min_longitude === null || max_longitude === null
      ? null
      : Math.round(haversineKm(min_latitude, min_longitude, max_latitude, max_longitude) * 10) / 10;
  return { ...rest, extent_km: extent, members: members.slice(0, MEMBERS_SHOWN) } as unknown as Spread<R>;
}

async function scopeFor(
  db: Queryable,
  actor: Actor,
  investigationId: string | undefined,
): Promise<readonly string[] | undefined> {
  if (investigationId !== undefined) {
    await requireRole(db, actor, investigationId, 'viewer');
    return [investigationId];
  }
  return visibleInvestigationIds(db, actor);
}

/**
 * The same lot marking at several sites, across every investigation the
 * actor can read (or one): widest spread first, then most items.
 *
 * @example
 * const { items } = await listSharedLots(db, actor, { limit: 10 });
 */
export async function listSharedLots(
  db: Kysely<DB>,
  actor: Actor,
  parsed: SharedLotsInput,
): Promise<{ items: SharedLot[] }> {
  const investigationIds = await scopeFor(db, actor, parsed.investigation_id);
  const restrictedIn = await restrictedClearedIn(db, actor, investigationIds);
  await ensureSearchKeys(db);
  const rows = await repository.listSharedLots(db, { investigationIds, restrictedIn, limit: parsed.limit });
  return { items: rows.map(spread) };
}

/**
 * Serial runs (close serials sharing a prefix, on items of one model and
 * producer): probable single shipments. Widest spread first, then largest.
 *
 * @example
 * const { items } = await listSerialRuns(db, actor, { max_gap: 20, min_items: 3 });
 */
export async function listSerialRuns(
  db: Kysely<DB>,
  actor: Actor,
  parsed: SerialRunsInput,
): Promise<{ items: SerialRun[] }> {
  const investigationIds = await scopeFor(db, actor, parsed.investigation_id);
  const restrictedIn = await restrictedClearedIn(db, actor, investigationIds);
  await ensureSearchKeys(db);
  const rows = await repository.listSerialRuns(
    db,
    { investigationIds, restrictedIn, limit: parsed.limit },
    { maxGap: parsed.max_gap, minItems: parsed.min_items },
  );
  return { items: rows.map(spread) };
}
