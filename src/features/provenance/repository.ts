import { keysetPage } from '../../db/pagination.js';
import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';

// ---------------------------------------------------------------- provenance claims

import { whereRecordAndItemAtMost, whereSensitivityAtMost } from '../sensitivity/repository.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';
export async function insertProvenanceClaim(
  db: Queryable,
  row: NewRow<'provenance_claims'>,
): Promise<Row<'provenance_claims'>> {
  return db.insertInto('provenance_claims').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listProvenanceClaims(
  db: Queryable,
  options: {
    investigationId: string;
    after: string | undefined;
    limit: number;
    includeArchived: boolean;
    itemId: string | undefined;
    lotNormalized: string | undefined;
    eventType: string | undefined;
    clearance: SensitivityLevel;
  },
): Promise<Row<'provenance_claims'>[]> {
  let query = keysetPage(
    db.selectFrom('provenance_claims').selectAll().where('investigation_id', '=', options.investigationId),
    { id: 'provenance_claims.id', after: options.after, limit: options.limit },
  );
  query = whereRecordAndItemAtMost(query, 'provenance_claims', options.clearance);
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  if (options.itemId !== undefined) query = query.where('item_id', '=', options.itemId);
  if (options.lotNormalized !== undefined) query = query.where('lot_normalized', '=', options.lotNormalized);
  if (options.eventType !== undefined) query = query.where('event_type', '=', options.eventType);
  return query.execute();
}

/** The live lot markings an item carries that the reader may see (`clearance`), with their comparable form. */
export async function listLotMarkings(
  db: Queryable,
  itemId: string,
  clearance: SensitivityLevel,
): Promise<Pick<Row<'markings'>, 'id' | 'text' | 'normalized' | 'sensitivity'>[]> {
  return whereSensitivityAtMost(db.selectFrom('markings'), 'markings', clearance)
    .select(['id', 'text', 'normalized', 'sensitivity'])
    .where('item_id', '=', itemId)
    .where('kind', '=', 'lot')
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
}

/**
 * Live claims about the item itself or about any of the given (normalized) lots that the reader may see: filtered
 * here, not after the query, so that contradictions are only looked for among claims the reader may see (a
 * hidden claim's id in `conflicts_with` would reveal it).
 */
export async function listClaimsForItemOrLots(
  db: Queryable,
  options: { investigationId: string; itemId: string; lotsNormalized: string[]; clearance: SensitivityLevel },
): Promise<Row<'provenance_claims'>[]> {
  return whereRecordAndItemAtMost(db.selectFrom('provenance_claims'), 'provenance_claims', options.clearance)
    .selectAll()
    .where('investigation_id', '=', options.investigationId)
    .where('archived_at', 'is', null)
    .where((eb) =>
      options.lotsNormalized.length === 0
        ? eb('item_id', '=', options.itemId)
        : eb.or([eb('item_id', '=', options.itemId), eb('lot_normalized', 'in', options.lotsNormalized)]),
    )
    .orderBy('id')
    .execute();
}

// ---------------------------------------------------------------- lots and PROV export

export interface LotItemRow {
  item_id: string;
  external_ref: string | null;
  category: string;
  site_id: string;
  site_name: string;
  marking_text: string;
}

/** Live items of an investigation carrying a live lot marking of the given normalized form. */
export async function listItemsCarryingLot(
  db: Queryable,
  investigationId: string,
  lotNormalized: string,
  clearance: SensitivityLevel,
): Promise<LotItemRow[]> {
  const joined = db
    .selectFrom('markings')
    .innerJoin('items', 'items.id', 'markings.item_id')
    .innerJoin('sites', 'sites.id', 'items.site_id');
  // Each row names the item, its site and the marking: all three must be within the reader's clearance.
  const visible = whereSensitivityAtMost(
    whereSensitivityAtMost(whereSensitivityAtMost(joined, 'markings', clearance), 'items', clearance),
    'sites',
    clearance,
  );
  return visible
    .select([
      'items.id as item_id',
      'items.external_ref',
      'items.category',
      'sites.id as site_id',
      'sites.name as site_name',
      'markings.text as marking_text',
    ])
    .where('markings.investigation_id', '=', investigationId)
    .where('markings.kind', '=', 'lot')
    .where('markings.normalized', '=', lotNormalized)
    .where('markings.archived_at', 'is', null)
    .where('items.archived_at', 'is', null)
    .orderBy('items.id')
    .orderBy('markings.id')
    .execute();
}

/** Live claims about a lot that the reader may see (in SQL, as {@link listClaimsForItemOrLots}). */
export async function listClaimsForLot(
  db: Queryable,
  investigationId: string,
  lotNormalized: string,
  clearance: SensitivityLevel,
): Promise<Row<'provenance_claims'>[]> {
  return whereRecordAndItemAtMost(db.selectFrom('provenance_claims'), 'provenance_claims', clearance)
    .selectAll()
    .where('investigation_id', '=', investigationId)
    .where('lot_normalized', '=', lotNormalized)
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
}

export async function findActors(
  db: Queryable,
  ids: string[],
): Promise<Pick<Row<'actors'>, 'id' | 'name' | 'actor_type' | 'country_code'>[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('actors').select(['id', 'name', 'actor_type', 'country_code']).where('id', 'in', ids).execute();
}

export async function findSources(
  db: Queryable,
  ids: string[],
): Promise<Pick<Row<'sources'>, 'id' | 'kind' | 'title' | 'reliability' | 'credibility' | 'url' | 'published_on'>[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('sources')
    .select(['id', 'kind', 'title', 'reliability', 'credibility', 'url', 'published_on'])
    .where('id', 'in', ids)
    .execute();
}

export async function findTraceRequests(
  db: Queryable,
  ids: string[],
): Promise<Pick<Row<'trace_requests'>, 'id' | 'subject' | 'status' | 'sent_on'>[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('trace_requests')
    .select(['id', 'subject', 'status', 'sent_on'])
    .where('id', 'in', ids)
    .execute();
}
