import { sql } from 'kysely';
import type { Row } from '../../db/tables.js';
import type { Queryable, Tx } from '../../db/versioned.js';

/** The sites of an investigation with one of these external references. */
export async function findSitesByRef(
  db: Queryable,
  investigationId: string,
  refs: readonly string[],
): Promise<Pick<Row<'sites'>, 'id' | 'external_ref' | 'archived_at'>[]> {
  if (refs.length === 0) return [];
  return db
    .selectFrom('sites')
    .select(['id', 'external_ref', 'archived_at'])
    .where('investigation_id', '=', investigationId)
    .where(sql<boolean>`external_ref = ANY(${refs}::text[])`)
    .execute();
}

/** The items of an investigation with one of these external references. */
export async function findItemsByRef(
  db: Queryable,
  investigationId: string,
  refs: readonly string[],
): Promise<Pick<Row<'items'>, 'id' | 'external_ref'>[]> {
  if (refs.length === 0) return [];
  return db
    .selectFrom('items')
    .select(['id', 'external_ref'])
    .where('investigation_id', '=', investigationId)
    .where(sql<boolean>`external_ref = ANY(${refs}::text[])`)
    .execute();
}

export interface NewSite {
  id: string;
  external_ref: string;
  site_type: string;
  name: string;
  latitude: number | null;
  longitude: number | null;
  recovered_on: string | null;
}

export interface NewItem {
  id: string;
  site_id: string;
  external_ref: string;
  category: string;
  model: string | null;
  quantity: number;
  fuze_fitted: string | null;
}

export interface NewMarking {
  id: string;
  item_id: string;
  text: string;
  normalized: string;
  kind: string;
  position: string | null;
  script: string | null;
  legibility: string;
  skeleton: string;
  confusion_key: string;
}

/** Who and when, the same for every row of one import batch. */
export interface Stamp {
  investigationId: string;
  userId: string;
  at: string;
}

// Rows go in as one array per column (unnest): one statement per batch
// whatever its size, and no limit on the number of parameters.
function column<T, V>(rows: readonly T[], pick: (row: T) => V): V[] {
  return rows.map(pick);
}

export async function insertSites(trx: Tx, stamp: Stamp, rows: readonly NewSite[]): Promise<Row<'sites'>[]> {
  if (rows.length === 0) return [];
  const result = await sql<Row<'sites'>>`
    INSERT INTO sites (id, investigation_id, external_ref, site_type, name, latitude, longitude, recovered_on,
      created_by, created_at, updated_at)
    SELECT id, ${stamp.investigationId}::uuid, external_ref, site_type, name, latitude, longitude, recovered_on,
      ${stamp.userId}::uuid, ${stamp.at}::timestamptz, ${stamp.at}::timestamptz
    FROM unnest(${column(rows, (row) => row.id)}::uuid[], ${column(rows, (row) => row.external_ref)}::text[],
      ${column(rows, (row) => row.site_type)}::text[], ${column(rows, (row) => row.name)}::text[],
      ${column(rows, (row) => row.latitude)}::float8[], ${column(rows, (row) => row.longitude)}::float8[],
      ${column(rows, (row) => row.recovered_on)}::date[])
      AS site (id, external_ref, site_type, name, latitude, longitude, recovered_on)
    RETURNING *`.execute(trx);
  return result.rows;
}

export async function insertItems(trx: Tx, stamp: Stamp, rows: readonly NewItem[]): Promise<Row<'items'>[]> {
  if (rows.length === 0) return [];
  const result = await sql<Row<'items'>>`
    INSERT INTO items (id, investigation_id, site_id, external_ref, category, model, quantity, fuze_fitted,
      created_by, created_at, updated_at)
    SELECT id, ${stamp.investigationId}::uuid, site_id, external_ref, category, model, quantity, fuze_fitted,
      ${stamp.userId}::uuid, ${stamp.at}::timestamptz, ${stamp.at}::timestamptz
    FROM unnest(${column(rows, (row) => row.id)}::uuid[], ${column(rows, (row) => row.site_id)}::uuid[],
      ${column(rows, (row) => row.external_ref)}::text[], ${column(rows, (row) => row.category)}::text[],
      ${column(rows, (row) => row.model)}::text[], ${column(rows, (row) => row.quantity)}::int[],
      ${column(rows, (row) => row.fuze_fitted)}::text[])
      AS item (id, site_id, external_ref, category, model, quantity, fuze_fitted)
    RETURNING *`.execute(trx);
  return result.rows;
}

export async function insertMarkings(
  trx: Tx,
  stamp: Stamp,
  rows: readonly NewMarking[],
): Promise<Row<'markings'>[]> {
  if (rows.length === 0) return [];
  const result = await sql<Row<'markings'>>`
    INSERT INTO markings (id, investigation_id, item_id, text, normalized, kind, position, script, legibility,
      skeleton, confusion_key, created_by, created_at, updated_at)
    SELECT id, ${stamp.investigationId}::uuid, item_id, text, normalized, kind, position, script, legibility,
      skeleton, confusion_key, ${stamp.userId}::uuid, ${stamp.at}::timestamptz, ${stamp.at}::timestamptz
    FROM unnest(${column(rows, (row) => row.id)}::uuid[], ${column(rows, (row) => row.item_id)}::uuid[],
      ${column(rows, (row) => row.text)}::text[], ${column(rows, (row) => row.normalized)}::text[],
      ${column(rows, (row) => row.kind)}::text[], ${column(rows, (row) => row.position)}::text[],
      ${column(rows, (row) => row.script)}::text[], ${column(rows, (row) => row.legibility)}::text[],
      ${column(rows, (row) => row.skeleton)}::text[], ${column(rows, (row) => row.confusion_key)}::text[])
      AS marking (id, item_id, text, normalized, kind, position, script, legibility, skeleton, confusion_key)
    RETURNING *`.execute(trx);
  return result.rows;
}
