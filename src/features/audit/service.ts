import { createHash, hash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { TimestampingConfig } from '../../config/config.js';
import type { SortOrder } from '../../db/pagination.js';
import { canonicalJson, toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import type { Queryable, Tx } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { clearanceOfRole } from '../sensitivity/repository.js';
import { verifyCheckpoints } from './checkpoint.js';
import { verifyCheckpointTimestamps } from './checkpoint-timestamps.js';
import { collectImportedDigests, snapshotDigest, type ImportedDigests } from './import-batches.js';
import * as auditRepository from './repository.js';
import type { AuditEntry, AuditProblem, AuditSortKey, VerifyResult } from './schema.js';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Tables whose current rows must equal their last audited state. Columns that
 * hold secrets, or search forms derived from other columns (recomputed when
 * the derivation improves), are left out of snapshots and so out of the
 * comparison.
 */
const stateCheckedTables: Record<string, readonly string[]> = {
  users: ['password_hash'],
  investigations: [],
  memberships: [],
  sources: [],
  sites: [],
  zones: [],
  items: [],
  markings: ['skeleton', 'confusion_key'],
  media: [],
  media_links: [],
  custody_events: [],
  incidents: [],
  actors: [],
  trace_requests: [],
  provenance_claims: [],
  trace_request_documents: [],
  // Which device sent each offline write, when it was captured and when it arrived (src/features/sync).
  sync_operations: [],
  // Which ODK / Kobo submission made each imported item, who sent it and the device's times (src/features/forms).
  form_submissions: [],
  // Partner keys trusted to sign bags, and the signed bags imported with each record's id in the bag (src/features/signing, bags).
  trusted_signing_keys: [],
  bag_imports: [],
  bag_import_records: [],
  // C2PA manifests and ProofMode proofs that came with media files, and whether their signatures held (media).
  media_proofs: [],
};

/** The column that names a row in its audit entries, where it is not `id`. */
const auditKeyColumns: Record<string, string> = { sync_operations: 'op_id' };

/** The JSON form of a row as the audit log records it. */
export function auditSnapshot(table: string, row: object): Record<string, unknown> {
  const snapshot = toJsonRecord(row) as Record<string, unknown>;
  for (const secret of stateCheckedTables[table] ?? []) delete snapshot[secret];
  return snapshot;
}

/** The columns of a table's rows that its audit snapshot keeps, in canonical (sorted) order. */
export function auditedColumns(table: string, columns: readonly string[]): string[] {
  const left = stateCheckedTables[table] ?? [];
  return columns.filter((column) => !left.includes(column)).sort();
}

/**
 * The SHA-256 of an audit snapshot in canonical JSON, given its columns in
 * canonical order and their values in the same order (undefined is left
 * out, a Date is written as its ISO string, as in the snapshot): the same
 * value as `snapshotDigest(auditSnapshot(table, row))` (import-batches.ts),
 * without building the snapshot. Bulk imports digest every row they create.
 */
export function digestColumns(columns: readonly string[], values: readonly unknown[]): string {
  let json = '{';
  for (let index = 0; index < columns.length; index += 1) {
    const value = values[index];
    if (value === undefined) continue;
    if (json.length > 1) json += ',';
    json += columnKey(columns[index]!);
    json += valueJson(value);
  }
  return hash('sha256', `${json}}`, 'hex');
}

/** A column value in the snapshot's canonical JSON (a Date as its ISO string). */
function valueJson(value: unknown): string {
  return value instanceof Date
    ? isoJson(value)
    : value === null || typeof value !== 'object'
      ? JSON.stringify(value)
      : canonicalJson(value);
}

/**
 * {@link digestColumns} for many rows that share most of their values: the
 * columns named in `constants` hold the same value in every row and are
 * written out once; the others are read from each row by name. Gives the
 * same digest as `digestColumns(columns, columns.map((c) => c in constants ? constants[c] : row[c]))`.
 *
 * @example
 * const digest = rowDigester(['created_by', 'id', 'text'], { created_by: userId });
 * const digests = rows.map((row) => digest(row));
 */
export function rowDigester(
  columns: readonly string[],
  constants: Record<string, unknown>,
): (row: Record<string, unknown>) => string {
  // The canonical JSON is fixed text with a hole for each varying column.
  const fixed: string[] = [];
  const varying: string[] = [];
  let text = '';
  for (const column of columns) {
    if (column in constants) {
      const value = constants[column];
      if (value !== undefined) text += `${text === '' ? '' : ','}${columnKey(column)}${valueJson(value)}`;
    } else {
      fixed.push(text);
      varying.push(column);
      text = '';
    }
  }
  fixed.push(text);
  const general = (row: Record<string, unknown>) =>
    digestColumns(
      columns,
      columns.map((column) => (column in constants ? constants[column] : row[column])),
    );
  return (row) => {
    let json = `{${fixed[0]!}`;
    for (let index = 0; index < varying.length; index += 1) {
      const value = row[varying[index]!];
      // Rare shapes (a missing value, where a comma depends on what is left out) take the general path.
      if (value === undefined) return general(row);
      if (json.length > 1) json += ',';
      json += columnKey(varying[index]!);
      json += valueJson(value);
      const next = fixed[index + 1]!;
      if (next !== '') json += `,${next}`;
    }
    return hash('sha256', `${json}}`, 'hex');
  };
}

const columnKeys = new Map<string, string>();
function columnKey(column: string): string {
  let key = columnKeys.get(column);
  if (key === undefined) {
    key = `${JSON.stringify(column)}:`;
    columnKeys.set(column, key);
  }
  return key;
}

// Rows written together share their timestamps: format each instant once.
let lastInstant = Number.NaN;
let lastInstantJson = '';
function isoJson(date: Date): string {
  const time = date.getTime();
  if (time !== lastInstant) {
    lastInstant = time;
    lastInstantJson = `"${date.toISOString()}"`;
  }
  return lastInstantJson;
}

const rowColumns = new Map<string, { all: number; audited: readonly string[] }>();

/** {@link digestColumns} of a row as read from the database. */
export function auditRowDigest(table: string, row: Record<string, unknown>): string {
  const all = Object.keys(row);
  let columns = rowColumns.get(table);
  if (columns?.all !== all.length) {
    columns = { all: all.length, audited: auditedColumns(table, all) };
    rowColumns.set(table, columns);
  }
  return digestColumns(
    columns.audited,
    columns.audited.map((column) => row[column]),
  );
}

export interface ChangeEvent {
  action: string;
  entityType: string;
  entityId: string;
  investigationId: string | null;
  before?: object | null;
  after?: object | null;
}

type HashedFields = Omit<Row<'audit_log'>, 'hash' | 'at' | 'before' | 'after'> & {
  at: string;
  before: unknown;
  after: unknown;
};

function hashEntry(fields: HashedFields): string {
  return createHash('sha256').update(fields.prev_hash).update('\n').update(canonicalJson(fields)).digest('hex');
}

/**
 * Appends one event to the hash chain, inside the caller's transaction, so the
 * change and its record commit or fail together.
 *
 * @example
 * await recordChange(trx, actor, { action: 'site.create', entityType: 'sites', entityId: row.id,
 *   investigationId: row.investigation_id, after: row });
 */
export async function recordChange(trx: Tx, actor: Actor, event: ChangeEvent): Promise<void> {
  await auditRepository.lockChain(trx);
  const head = await auditRepository.findHead(trx);
  const fields: HashedFields = {
    seq: (head?.seq ?? 0) + 1,
    at: new Date().toISOString(),
    actor_id: actor.via === 'system' ? null : actor.userId,
    actor_label: actor.username,
    via: actor.via,
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId,
    investigation_id: event.investigationId,
    before: event.before ? auditSnapshot(event.entityType, event.before) : null,
    after: event.after ? auditSnapshot(event.entityType, event.after) : null,
    prev_hash: head?.hash ?? GENESIS_HASH,
  };
  await auditRepository.insertEntry(trx, {
    ...fields,
    at: new Date(fields.at),
    before: fields.before === null ? null : JSON.stringify(fields.before),
    after: fields.after === null ? null : JSON.stringify(fields.after),
    hash: hashEntry(fields),
  });
}

function toEntry(row: Row<'audit_log'>): AuditEntry {
  return toJsonRecord(row);
}

/** The day after a YYYY-MM-DD day, at midnight UTC: the end of an inclusive `to`. */
function dayAfter(day: string): Date {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

/**
 * The audit history of one investigation, newest first, optionally only about one record, by one user, of one
 * action (or kind of action) and between two days (inclusive, UTC); sorted by position (the default, newest
 * first), action, user or kind of record, a page following the entry at `afterSeq` in that order.
 *
 * @example
 * const page = await listInvestigationAuditPage(db, actor, id, { limit: 50, action: 'item', from: '2026-01-01' });
 * // page.next_before_seq: send as beforeSeq for the next, older page
 */
export async function listInvestigationAuditPage(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  options: {
    beforeSeq?: number | undefined;
    afterSeq?: number | undefined;
    sort?: AuditSortKey | undefined;
    order?: SortOrder | undefined;
    limit: number;
    entityId?: string | undefined;
    userId?: string | undefined;
    action?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  },
): Promise<{ items: AuditEntry[]; next_before_seq: number | null; next_after_seq: number | null }> {
  const access = await requireRole(db, actor, investigationId, 'viewer');
  if (options.from !== undefined && options.to !== undefined && options.from > options.to) {
    throw new DomainError('validation_failed', 'The period ends before it starts.', [
      {
        field: 'to',
        message: `must be on or after ${options.from}`,
        code: 'too_small',
        params: { minimum: options.from },
      },
    ]);
  }
  const rows = await auditRepository.listInvestigationEntries(db, investigationId, {
    beforePosition: options.beforeSeq,
    afterPosition: options.afterSeq,
    sort: options.sort,
    order: options.order,
    limit: options.limit + 1,
    entityId: options.entityId,
    userId: options.userId,
    action: options.action,
    from: options.from === undefined ? undefined : new Date(`${options.from}T00:00:00Z`),
    until: options.to === undefined ? undefined : dayAfter(options.to),
    clearance: await clearanceOfRole(db, access.role, investigationId),
  });
  const page = rows.slice(0, options.limit);
  const next = rows.length > options.limit ? page[page.length - 1]!.position : null;
  const newestFirst = (options.sort ?? 'seq') === 'seq' && (options.order ?? 'desc') === 'desc';
  return {
    // `seq` is the entry's position in this investigation's history, never the global one.
    items: page.map(({ position, ...row }) => ({ ...toEntry(row), seq: position })),
    next_before_seq: newestFirst ? next : null,
    next_after_seq: next,
  };
}

/** The audit history of one investigation, newest first (one page). */
export async function listInvestigationAudit(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  options: { beforeSeq?: number | undefined; limit: number; entityId?: string | undefined },
): Promise<AuditEntry[]> {
  return (await listInvestigationAuditPage(db, actor, investigationId, options)).items;
}

/**
 * A row matches its audited state when every column the audit recorded still
 * holds the recorded value. Columns added by a later migration are absent from
 * older snapshots; they are compared from the row's next audited change on,
 * so adding a column never makes existing evidence look tampered with.
 */
function matchesRecordedState(recorded: Record<string, unknown>, current: Record<string, unknown>): boolean {
  return Object.keys(recorded).every((key) => canonicalJson(recorded[key]) === canonicalJson(current[key]));
}

function describeDifference(recorded: Record<string, unknown>, current: Record<string, unknown>): string {
  const changed = Object.keys(recorded).filter((key) => canonicalJson(recorded[key]) !== canonicalJson(current[key]));
  return changed.join(', ');
}

/**
 * Re-hashes the files the records refer to in the evidence store. The audit feature does not know the media
 * records or the store: the program composes the check where it is assembled (src/features/routes.ts,
 * src/features/cli.ts) from the media feature's `verifyMediaFiles`.
 */
export type StoredFilesCheck = (
  onProgress?: (checked: number) => void,
) => Promise<{ checked: number; problems: AuditProblem[] }>;

export interface VerifyOptions {
  /** Re-hashes every stored original and proof file a record refers to (see {@link StoredFilesCheck}). */
  checkStoredFiles?: StoredFilesCheck | undefined;
  /** Checkpoints published outside armtrace, checked like the recorded ones. */
  checkpoints?: readonly { seq: number; hash: string }[] | undefined;
  onFileProgress?: ((checked: number) => void) | undefined;
  /** This instance's signing key fingerprint: a checkpoint signed by any other (untrusted) key is a problem. */
  ownFingerprint?: string | undefined;
  /** The TSA CA certificates that checkpoint timestamp tokens must chain to (none: tokens cannot verify). */
  timestamping?: TimestampingConfig | undefined;
}

/**
 * Walks the whole chain (each hash recomputed, each link followed), checks it
 * still passes through every checkpoint, compares every audited row with its
 * last recorded state and, given the files check, re-hashes every stored original.
 * Names the first broken link, every checkpoint missed, every row changed or
 * added behind the application's back and every original changed or missing.
 */
export async function verifyAudit(
  db: Queryable,
  onProgress?: (checked: number) => void,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const problems: AuditProblem[] = [];
  // Rows created by bulk imports are covered by their batch entries (import-batches.ts).
  const imported: ImportedDigests = new Map();
  let previousHash = GENESIS_HASH;
  let previousSeq = 0;
  let entries = 0;
  let head: VerifyResult['head'] = null;
  let chainBroken = false;
  for (;;) {
    const batch = await auditRepository.listEntriesAfter(db, previousSeq, 2000);
    if (batch.length === 0) break;
    for (const row of batch) {
      entries += 1;
      collectImportedDigests(row, imported);
      if (!chainBroken) {
        const recomputed = hashEntry({
          seq: row.seq,
          at: row.at.toISOString(),
          actor_id: row.actor_id,
          actor_label: row.actor_label,
          via: row.via,
          action: row.action,
          entity_type: row.entity_type,
          entity_id: row.entity_id,
          investigation_id: row.investigation_id,
          before: row.before,
          after: row.after,
          prev_hash: row.prev_hash,
        });
        if (row.seq !== previousSeq + 1) {
          problems.push({
            kind: 'gap',
            seq: row.seq,
            message: `Entries ${previousSeq + 1}..${row.seq - 1} are missing.`,
          });
          chainBroken = true;
        } else if (row.prev_hash !== previousHash) {
          problems.push({
            kind: 'broken_link',
            seq: row.seq,
            message: `Entry ${row.seq} does not point to entry ${previousSeq}: the chain was altered at or before ${previousSeq}.`,
          });
          chainBroken = true;
        } else if (recomputed !== row.hash) {
          problems.push({
            kind: 'broken_link',
            seq: row.seq,
            entity_type: row.entity_type,
            entity_id: row.entity_id,
            message: `Entry ${row.seq} (${row.action} on ${row.entity_type} ${row.entity_id}) was altered after it was written.`,
          });
          chainBroken = true;
        }
      }
      previousHash = row.hash;
      previousSeq = row.seq;
      head = { seq: row.seq, hash: row.hash };
    }
    onProgress?.(entries);
  }

  let rowsChecked = 0;
  for (const table of Object.keys(stateCheckedTables)) {
    const keyColumn = auditKeyColumns[table] ?? 'id';
    let afterId: string | undefined;
    for (;;) {
      const rows = await auditRepository.listRowsAfter(db, table, afterId, 1000, keyColumn);
      if (rows.length === 0) break;
      const ids = rows.map((row) => row[keyColumn] as string);
      const recorded = await auditRepository.findLatestStates(db, table, ids);
      for (const row of rows) {
        rowsChecked += 1;
        const id = row[keyColumn] as string;
        const state = recorded.get(id);
        const current = auditSnapshot(table, row);
        const importedDigest = state === undefined || state === null ? imported.get(table)?.get(id) : undefined;
        if (importedDigest !== undefined) {
          if (snapshotDigest(current) !== importedDigest) {
            problems.push({
              kind: 'row_changed',
              entity_type: table,
              entity_id: id,
              message: `${table} ${id} differs from the state its bulk import recorded.`,
            });
          }
        } else if (state === undefined || state === null) {
          problems.push({
            kind: 'row_unaudited',
            entity_type: table,
            entity_id: id,
            message: `${table} ${id} has no audited creation: it was written behind the application's back.`,
          });
        } else if (!matchesRecordedState(state as Record<string, unknown>, current)) {
          problems.push({
            kind: 'row_changed',
            entity_type: table,
            entity_id: id,
            message: `${table} ${id} differs from its last audited state (${describeDifference(state as Record<string, unknown>, current)}).`,
          });
        }
      }
      afterId = ids[ids.length - 1];
    }
  }
  const checkpoints = await verifyCheckpoints(db, options.checkpoints, options.ownFingerprint);
  problems.push(...checkpoints.problems);
  const timestamps = await verifyCheckpointTimestamps(db, options.timestamping);
  problems.push(...timestamps.problems);
  let filesChecked = 0;
  if (options.checkStoredFiles !== undefined) {
    const originals = await options.checkStoredFiles(options.onFileProgress);
    filesChecked = originals.checked;
    problems.push(...originals.problems);
  }
  return {
    ok: problems.length === 0,
    entries,
    head,
    rows_checked: rowsChecked,
    checkpoints_checked: checkpoints.checked,
    files_checked: filesChecked,
    timestamps_checked: timestamps.checked,
    problems,
  };
}
