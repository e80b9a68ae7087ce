/**
 * Audit entries for bulk imports. One entry per import batch (thousands of
 * rows) instead of one per row: the entry's `after` lists every row the batch
 * created, each with the SHA-256 of its audit snapshot. The entry is in the
 * hash chain like any other, so a row covered by it cannot be changed, nor a
 * row added to it, without verify noticing: verify compares a row that has no
 * entry of its own with the digest its import recorded. Later changes to an
 * imported row are audited one by one as usual, with the full `before`.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../db/serialize.js';

export const IMPORT_BATCH_ACTION = 'import.batch';
export const IMPORT_ENTITY_TYPE = 'imports';

/** What an import batch entry records (its `after`). */
export interface ImportBatchRecord {
  import_id: string;
  batch: number;
  /** Table → [row id, {@link snapshotDigest} of the row as created] for each row. */
  created: Record<string, [id: string, digest: string][]>;
}

/** The SHA-256 of an audit snapshot in its canonical JSON form. */
export function snapshotDigest(snapshot: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(snapshot)).digest('hex');
}

/** Table → row id → digest, for every row created by an import, gathered while the chain is walked. */
export type ImportedDigests = Map<string, Map<string, string>>;

/** Adds the rows an audit entry created by import (if it is an import batch entry) to `into`. */
export function collectImportedDigests(entry: { action: string; after: unknown }, into: ImportedDigests): void {
  if (entry.action !== IMPORT_BATCH_ACTION || entry.after === null || typeof entry.after !== 'object') return;
  const created = (entry.after as { created?: unknown }).created;
  if (created === undefined || created === null || typeof created !== 'object') return;
  for (const [table, rows] of Object.entries(created)) {
    if (!Array.isArray(rows)) continue;
    let digests = into.get(table);
    if (digests === undefined) {
      digests = new Map();
      into.set(table, digests);
    }
    for (const pair of rows as unknown[]) {
      if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string') {
        digests.set(pair[0], pair[1]);
      }
    }
  }
}
