import { sql } from 'kysely';
import { copyRows } from '../../db/copy.js';
import type { Row } from '../../db/tables.js';
import type { Queryable, Tx } from '../../db/versioned.js';

/** Whether any site (or item) of the investigation has an external reference. */
export async function hasExternalRefs(
  db: Queryable,
  table: 'sites' | 'items',
  investigationId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom(table)
    .select('id')
    .where('investigation_id', '=', investigationId)
    .where('external_ref', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

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

// A batch goes in as one JSON document, unpacked by the database: one
// statement per batch whatever its size, no limit on parameters, and
// JSON.stringify is far cheaper than quoting every value into array literals.
function asJson(rows: readonly object[]): string {
  return JSON.stringify(rows);
}

/**
 * Inserts new sites; with `returning`, reads them back as stored (the import
 * does so until it has checked that it can build them itself).
 */
export async function insertSites(
  trx: Tx,
  stamp: Stamp,
  rows: readonly NewSite[],
  returning: boolean,
): Promise<Row<'sites'>[]> {
  if (rows.length === 0) return [];
  const result = await sql<Row<'sites'>>`
    INSERT INTO sites (id, investigation_id, external_ref, site_type, name, latitude, longitude, recovered_on,
      created_by, created_at, updated_at)
    SELECT id, ${stamp.investigationId}::uuid, external_ref, site_type, name, latitude, longitude, recovered_on,
      ${stamp.userId}::uuid, ${stamp.at}::timestamptz, ${stamp.at}::timestamptz
    FROM json_to_recordset(${asJson(rows)}::json)
      AS site (id uuid, external_ref text, site_type text, name text, latitude float8, longitude float8,
        recovered_on date)
    ${returning ? sql`RETURNING *` : sql``}`.execute(trx);
  return result.rows;
}

export async function insertItems(
  trx: Tx,
  stamp: Stamp,
  rows: readonly NewItem[],
  returning: boolean,
): Promise<Row<'items'>[]> {
  if (rows.length === 0) return [];
  const result = await sql<Row<'items'>>`
    INSERT INTO items (id, investigation_id, site_id, external_ref, category, model, quantity, fuze_fitted,
      created_by, created_at, updated_at)
    SELECT id, ${stamp.investigationId}::uuid, site_id, external_ref, category, model, quantity, fuze_fitted,
      ${stamp.userId}::uuid, ${stamp.at}::timestamptz, ${stamp.at}::timestamptz
    FROM json_to_recordset(${asJson(rows)}::json)
      AS item (id uuid, site_id uuid, external_ref text, category text, model text, quantity int, fuze_fitted text)
    ${returning ? sql`RETURNING *` : sql``}`.execute(trx);
  return result.rows;
}

export async function insertMarkings(
  trx: Tx,
  stamp: Stamp,
  rows: readonly NewMarking[],
  returning: boolean,
): Promise<Row<'markings'>[]> {
  if (rows.length === 0) return [];
  const result = await sql<Row<'markings'>>`
    INSERT INTO markings (id, investigation_id, item_id, text, normalized, kind, position, script, legibility,
      skeleton, confusion_key, created_by, created_at, updated_at)
    SELECT id, ${stamp.investigationId}::uuid, item_id, text, normalized, kind, position, script, legibility,
      skeleton, confusion_key, ${stamp.userId}::uuid, ${stamp.at}::timestamptz, ${stamp.at}::timestamptz
    FROM json_to_recordset(${asJson(rows)}::json)
      AS marking (id uuid, item_id uuid, text text, normalized text, kind text, position text, script text,
        legibility text, skeleton text, confusion_key text)
    ${returning ? sql`RETURNING *` : sql``}`.execute(trx);
  return result.rows;
}

/**
 * The same rows as the insert functions above, through `COPY … FROM STDIN` (src/db/copy.ts): no JSON to
 * write and unpack, no rows read back. For batches whose stored form the import already knows.
 */
export async function copySites(trx: Tx, stamp: Stamp, rows: readonly NewSite[]): Promise<void> {
  const { investigationId, userId, at } = stamp;
  await copyRows(
    trx,
    'sites',
    ['id', 'investigation_id', 'external_ref', 'site_type', 'name', 'latitude', 'longitude', 'recovered_on'].concat([
      'created_by',
      'created_at',
      'updated_at',
    ]),
    rows.map((site) => [
      site.id,
      investigationId,
      site.external_ref,
      site.site_type,
      site.name,
      site.latitude,
      site.longitude,
      site.recovered_on,
      userId,
      at,
      at,
    ]),
  );
}

export async function copyItems(trx: Tx, stamp: Stamp, rows: readonly NewItem[]): Promise<void> {
  const { investigationId, userId, at } = stamp;
  await copyRows(
    trx,
    'items',
    ['id', 'investigation_id', 'site_id', 'external_ref', 'category', 'model', 'quantity', 'fuze_fitted'].concat([
      'created_by',
      'created_at',
      'updated_at',
    ]),
    rows.map((item) => [
      item.id,
      investigationId,
      item.site_id,
      item.external_ref,
      item.category,
      item.model,
      item.quantity,
      item.fuze_fitted,
      userId,
      at,
      at,
    ]),
  );
}

export async function copyMarkings(trx: Tx, stamp: Stamp, rows: readonly NewMarking[]): Promise<void> {
  const { investigationId, userId, at } = stamp;
  await copyRows(
    trx,
    'markings',
    ['id', 'investigation_id', 'item_id', 'text', 'normalized', 'kind', 'position', 'script', 'legibility'].concat([
      'skeleton',
      'confusion_key',
      'created_by',
      'created_at',
      'updated_at',
    ]),
    rows.map((marking) => [
      marking.id,
      investigationId,
      marking.item_id,
      marking.text,
      marking.normalized,
      marking.kind,
      marking.position,
      marking.script,
      marking.legibility,
      marking.skeleton,
      marking.confusion_key,
      userId,
      at,
      at,
    ]),
  );
}

/**
 * Moves what a bulk load left in the pending lists of the GIN indexes of
 * these tables into the indexes proper. A GIN index takes new entries into an
 * unsorted pending list (up to `gin_pending_list_limit`, 4 MB) that every
 * query using the index reads in full; only VACUUM and autovacuum's analyses
 * empty it, a plain ANALYZE does not, and the embedded database has no
 * autovacuum. Measured right after importing 100,000 markings: marking search
 * p50 about 300 ms with the lists (407 pages on the segment pairs, 81 on the
 * trigrams), 21 ms once they were flushed. Only indexes the connection's role
 * owns (PostgreSQL requires it); others are left to autovacuum.
 */
export async function flushGinPendingLists(db: Queryable, tables: readonly string[]): Promise<void> {
  await sql`
    SELECT gin_clean_pending_list(i.indexrelid)
    FROM pg_index i
      JOIN pg_class c ON c.oid = i.indexrelid
      JOIN pg_am a ON a.oid = c.relam
    WHERE a.amname = 'gin'
      AND i.indrelid IN (SELECT to_regclass(name) FROM unnest(${tables}::text[]) AS name)
      AND pg_has_role(c.relowner, 'USAGE')`.execute(db);
}

/** Secondary indexes and foreign keys set aside for a bulk load, to be built again at its end. */
export interface SetAside {
  indexes: { table: string; name: string; definition: string }[];
  foreignKeys: { table: string; name: string; referenced: string; definition: string }[];
}

/** Rows in a table, counted up to `atMost` (so the count stays cheap on a large table). */
export async function countRowsUpTo(db: Queryable, table: ImportedTable, atMost: number): Promise<number> {
  const result = await sql<{ rows: string | number }>`
    SELECT count(*) AS rows FROM (SELECT 1 FROM ${sql.table(table)} LIMIT ${atMost}) AS head`.execute(db);
  return Number(result.rows[0]!.rows);
}

export type ImportedTable = 'sites' | 'items' | 'markings';

/**
 * Drops the secondary indexes of `tables` (not those behind a primary key, a
 * unique constraint or an exclusion constraint) and their foreign keys to the
 * tables in `foreignKeysTo`, inside the caller's transaction, and returns
 * their definitions for {@link restoreSetAside}. Transactional DDL: a rollback
 * brings them back as they were. Locks: DROP INDEX and DROP CONSTRAINT take an
 * ACCESS EXCLUSIVE lock on each of `tables` (and dropping a foreign key one on
 * the table it references), held until the transaction ends. Nothing is done
 * unless the connection's role owns every table involved.
 */
export async function setAsideForBulkLoad(
  trx: Tx,
  tables: readonly ImportedTable[],
  foreignKeysTo: readonly string[] | 'all',
): Promise<SetAside | undefined> {
  if (tables.length === 0) return { indexes: [], foreignKeys: [] };
  const owned = await sql<{ owned: boolean }>`
    SELECT bool_and(pg_has_role(c.relowner, 'USAGE')) AS owned
    FROM pg_class c
    WHERE c.oid IN (SELECT to_regclass(name) FROM unnest(${tables}::text[]) AS name)
      OR c.oid IN (SELECT k.confrelid FROM pg_constraint k
                   WHERE k.contype = 'f' AND k.conrelid IN (SELECT to_regclass(name) FROM unnest(${tables}::text[]) AS name))`.execute(
    trx,
  );
  if (owned.rows[0]?.owned !== true) return undefined;
  const referencedFilter =
    foreignKeysTo === 'all'
      ? sql`TRUE`
      : sql`k.confrelid IN (SELECT to_regclass(name) FROM unnest(${foreignKeysTo}::text[]) AS name)`;
  const indexes = await sql<SetAside['indexes'][number]>`
    SELECT t.relname AS "table", i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
    FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_class t ON t.oid = x.indrelid
    WHERE x.indrelid IN (SELECT to_regclass(name) FROM unnest(${tables}::text[]) AS name)
      AND NOT x.indisunique AND NOT x.indisprimary AND NOT x.indisexclusion
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
    ORDER BY t.relname, i.relname`.execute(trx);
  const foreignKeys = await sql<SetAside['foreignKeys'][number]>`
    SELECT t.relname AS "table", k.conname AS name, r.relname AS referenced, pg_get_constraintdef(k.oid) AS definition
    FROM pg_constraint k
      JOIN pg_class t ON t.oid = k.conrelid
      JOIN pg_class r ON r.oid = k.confrelid
    WHERE k.contype = 'f'
      AND k.conrelid IN (SELECT to_regclass(name) FROM unnest(${tables}::text[]) AS name)
      AND ${referencedFilter}
    ORDER BY t.relname, k.conname`.execute(trx);
  for (const key of foreignKeys.rows) {
    await sql`ALTER TABLE ${sql.table(key.table)} DROP CONSTRAINT ${sql.id(key.name)}`.execute(trx);
  }
  for (const index of indexes.rows) await sql`DROP INDEX ${sql.id(index.name)}`.execute(trx);
  return { indexes: indexes.rows, foreignKeys: foreignKeys.rows };
}

/** Whether the database is the embedded one (PGlite: one connection, so nobody else waits on its locks). */
export async function isEmbeddedDatabase(db: Queryable): Promise<boolean> {
  const result = await sql<{ embedded: boolean }>`SELECT version() LIKE '%PGlite%' AS embedded`.execute(db);
  return result.rows[0]!.embedded;
}

/**
 * Builds again what {@link setAsideForBulkLoad} dropped, from the same
 * definitions: each index in one sorted pass, each foreign key checked in one
 * join over the whole table (ALTER TABLE … ADD CONSTRAINT validates it),
 * instead of an entry and a lookup per row. A foreign key the new rows break
 * fails here with PostgreSQL's foreign_key_violation (23503); the caller
 * names the lines.
 */
export async function restoreSetAside(trx: Tx, setAside: SetAside): Promise<void> {
  for (const index of setAside.indexes) await sql.raw(index.definition).execute(trx);
  for (const key of setAside.foreignKeys) {
    await sql`ALTER TABLE ${sql.table(key.table)} ADD CONSTRAINT ${sql.id(key.name)} ${sql.raw(key.definition)}`.execute(
      trx,
    );
  }
}

/**
 * The rows of one import (its stamp) whose reference through a foreign key
 * set aside finds nothing: their ids, for the error that names their lines.
 */
export async function findDanglingReferences(
  trx: Tx,
  stamp: Stamp,
  key: SetAside['foreignKeys'][number],
): Promise<string[]> {
  // The definition reads `FOREIGN KEY (a, b) REFERENCES t(x, y)`.
  const match = /^FOREIGN KEY \(([^)]+)\) REFERENCES ([^(]+)\(([^)]+)\)/.exec(key.definition);
  if (match === null) return [];
  const columns = match[1]!.split(',').map((column) => column.trim());
  const referenced = match[3]!.split(',').map((column) => column.trim());
  const joins = columns.map((column, index) => `r.${referenced[index]} = w.${column}`).join(' AND ');
  const present = columns.map((column) => `w.${column} IS NOT NULL`).join(' AND ');
  const result = await sql<{ id: string }>`
    SELECT w.id FROM ${sql.table(key.table)} w
    WHERE w.investigation_id = ${stamp.investigationId}::uuid AND w.created_at = ${stamp.at}::timestamptz
      AND ${sql.raw(present)}
      AND NOT EXISTS (SELECT 1 FROM ${sql.raw(match[2]!.trim())} r WHERE ${sql.raw(joins)})
    LIMIT 100`.execute(trx);
  return result.rows.map((row) => row.id);
}

/** Whose a kept upload is. */
export interface UploadOwner {
  userId: string;
  investigationId: string;
}

/**
 * Records a staged upload, or, when the same user already keeps the same bytes for the investigation, starts that
 * one's hour again. Returns the id of the kept upload (the given one when it is new) and when it expires.
 */
export async function keepImportUpload(
  db: Queryable,
  upload: { id: string; sha256: string; sizeBytes: number; ttlMs: number } & UploadOwner,
): Promise<{ id: string; expires_at: Date }> {
  const expires = sql<Date>`now() + make_interval(secs => ${upload.ttlMs / 1000})`;
  return db
    .insertInto('import_uploads')
    .values({
      id: upload.id,
      user_id: upload.userId,
      investigation_id: upload.investigationId,
      sha256: upload.sha256,
      size_bytes: upload.sizeBytes,
      expires_at: expires,
    })
    .onConflict((conflict) =>
      conflict.columns(['user_id', 'investigation_id', 'sha256']).doUpdateSet({ expires_at: expires }),
    )
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
}

/** The kept upload of these bytes for this user and investigation, unless it has expired. */
export async function findImportUpload(
  db: Queryable,
  owner: UploadOwner,
  sha256: string,
): Promise<Row<'import_uploads'> | undefined> {
  return db
    .selectFrom('import_uploads')
    .selectAll()
    .where('user_id', '=', owner.userId)
    .where('investigation_id', '=', owner.investigationId)
    .where('sha256', '=', sha256)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

/** Forgets one kept upload; returns whether this call removed it (so one caller removes its file). */
export async function deleteImportUpload(db: Queryable, id: string): Promise<boolean> {
  const deleted = await db.deleteFrom('import_uploads').where('id', '=', id).returning('id').execute();
  return deleted.length === 1;
}

/**
 * Forgets the expired uploads and, past `kept` uploads in all, the oldest; returns their ids, each to exactly one
 * caller (DELETE … RETURNING), so servers sweeping at once never both own a file.
 */
export async function deleteStaleImportUploads(db: Queryable, kept: number): Promise<string[]> {
  const deleted = await sql<{ id: string }>`
    DELETE FROM import_uploads
    WHERE expires_at <= now()
       OR id IN (SELECT id FROM import_uploads ORDER BY expires_at DESC, id DESC OFFSET ${kept})
    RETURNING id`.execute(db);
  return deleted.rows.map((row) => row.id);
}
