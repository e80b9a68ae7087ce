import type { SyncOperation } from './contract';

// Records saved on this device and not yet on the server, shaped as the API returns them, so the pages can show
// and build on them at once (an item at a site created offline). They are marked `offline: true` and carry
// version 0 (no server version yet).

type Json = Record<string, unknown>;

const unknownUser = '00000000-0000-0000-0000-000000000000';

function common(operation: SyncOperation): Json {
  return {
    id: operation.record_id,
    investigation_id: operation.investigation_id,
    created_by: unknownUser,
    created_at: operation.captured_at,
    updated_at: operation.captured_at,
    version: 0,
    archived_at: null,
    archive_reason: null,
    offline: true,
  };
}

/** A site as GET /api/v1/sites/{id} returns it, from its queued site.create. */
export function siteOf(operation: SyncOperation): Json {
  const body = operation.body;
  return {
    ...common(operation),
    external_ref: body.external_ref ?? null,
    site_type: body.site_type ?? 'other',
    name: body.name ?? '',
    names: body.names ?? {},
    latitude: body.latitude ?? null,
    longitude: body.longitude ?? null,
    precision_m: body.precision_m ?? null,
    area: body.area ?? null,
    recovered_by: body.recovered_by ?? null,
    recovered_on: body.recovered_on ?? null,
    context: body.context ?? '',
    ...(body.sensitivity === undefined
      ? {}
      : { sensitivity: body.sensitivity, sensitivity_reason: body.sensitivity_reason ?? null }),
  };
}

/** A zone as the zone list returns it. */
export function zoneOf(operation: SyncOperation): Json {
  const body = operation.body;
  return { ...common(operation), site_id: body.site_id, name: body.name ?? '', description: body.description ?? '' };
}

function markingOf(operation: SyncOperation, itemId: string, marking: Json, index: number): Json {
  return {
    ...common(operation),
    id: marking.id ?? `${itemId}-marking-${index}`,
    item_id: itemId,
    text: marking.text ?? '',
    normalized: '',
    kind: marking.kind ?? 'other',
    position: marking.position ?? null,
    script: marking.script ?? null,
    legibility: marking.legibility ?? 'legible',
  };
}

/** An item with its markings as GET /api/v1/items/{id} returns it. */
export function itemOf(operation: SyncOperation): Json {
  const body = operation.body;
  const markings = Array.isArray(body.markings) ? (body.markings as Json[]) : [];
  return {
    ...common(operation),
    site_id: body.site_id,
    zone_id: body.zone_id ?? null,
    external_ref: body.external_ref ?? null,
    category: body.category,
    model: body.model ?? null,
    quantity: body.quantity ?? 1,
    assembly_state: body.assembly_state ?? null,
    condition: body.condition ?? null,
    production_type: body.production_type ?? 'unknown',
    observations: body.observations ?? '',
    tags: body.tags ?? [],
    fuze_fitted: body.fuze_fitted ?? null,
    safety_device_fitted: body.safety_device_fitted ?? null,
    disposal_status: body.disposal_status ?? 'in_place',
    disposal_note: null,
    // Chosen on the device, or the investigation's default the server fills in (not known here).
    ...(body.sensitivity === undefined
      ? {}
      : { sensitivity: body.sensitivity, sensitivity_reason: body.sensitivity_reason ?? null }),
    markings: markings.map((marking, index) => markingOf(operation, operation.record_id, marking, index)),
  };
}

/** A site as a feature of sites.geojson (only sites with a point are on the map). */
export function siteFeatureOf(operation: SyncOperation): Json | undefined {
  const site = siteOf(operation);
  if (typeof site.latitude !== 'number' || typeof site.longitude !== 'number') return undefined;
  return {
    type: 'Feature',
    id: site.id,
    geometry: { type: 'Point', coordinates: [site.longitude, site.latitude] },
    properties: {
      name: site.name,
      names: site.names,
      site_type: site.site_type,
      external_ref: site.external_ref,
      precision_m: site.precision_m,
      recovered_on: site.recovered_on,
    },
  };
}

/** The record a queued create will make, as the REST call would have returned it. */
export function recordOf(operation: SyncOperation): Json {
  switch (operation.type) {
    case 'site.create':
      return siteOf(operation);
    case 'zone.create':
      return zoneOf(operation);
    case 'item.create':
      return itemOf(operation);
    default:
      return { ...common(operation), ...operation.body };
  }
}

const patterns: [RegExp, string][] = [
  [/^\/api\/v1\/sites\/([^/]+)$/, 'site'],
  [/^\/api\/v1\/sites\/([^/]+)\/zones$/, 'zones'],
  [/^\/api\/v1\/items\/([^/]+)$/, 'item'],
  [/^\/api\/v1\/investigations\/([^/]+)\/sites\.geojson$/, 'sites.geojson'],
];

/**
 * The answer to a GET made from what the device knows: `base` (the server's answer, or the one kept from the
 * last time) with the queued records it should show added. Undefined when neither knows anything.
 *
 * @example
 * overlay('/api/v1/sites/0191…/zones', cachedZones, queuedOperations)
 */
export function overlay(address: string, base: unknown, operations: readonly SyncOperation[]): unknown {
  const path = address.split('?')[0]!;
  for (const [pattern, kind] of patterns) {
    const match = pattern.exec(path);
    if (match === null) continue;
    const id = decodeURIComponent(match[1]!);
    const creates = (type: SyncOperation['type']) => operations.filter((operation) => operation.type === type);
    if (kind === 'site') {
      const queued = creates('site.create').find((operation) => operation.record_id === id);
      return queued === undefined ? base : siteOf(queued);
    }
    if (kind === 'item') {
      const queued = creates('item.create').find((operation) => operation.record_id === id);
      const item = queued === undefined ? base : itemOf(queued);
      // A disposal change still on the device shows as the item's status (the server has the last word on sync).
      const disposal = operations
        .filter((operation) => operation.type === 'item.disposal' && operation.record_id === id)
        .at(-1);
      if (disposal === undefined || item === undefined || item === null) return item;
      return {
        ...(item as Json),
        disposal_status: disposal.body.disposal_status,
        disposal_note: disposal.body.note ?? null,
      };
    }
    if (kind === 'zones') {
      const queued = creates('zone.create').filter((operation) => operation.body.site_id === id);
      if (queued.length === 0) return base;
      const page = (base ?? { items: [], next_after: null }) as { items: Json[]; next_after: string | null };
      const known = new Set(page.items.map((zone) => zone.id));
      return { ...page, items: [...page.items, ...queued.map(zoneOf).filter((zone) => !known.has(zone.id))] };
    }
    // sites.geojson
    const queued = creates('site.create').filter((operation) => operation.investigation_id === id);
    if (queued.length === 0) return base;
    const collection = (base ?? { type: 'FeatureCollection', features: [] }) as { features: Json[] };
    const known = new Set(collection.features.map((feature) => feature.id));
    const added = queued
      .flatMap((operation): Json[] => {
        const feature = siteFeatureOf(operation);
        return feature === undefined ? [] : [feature];
      })
      .filter((feature) => !known.has(feature.id));
    return { ...collection, features: [...collection.features, ...added] };
  }
  return base;
}
