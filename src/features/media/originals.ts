import type { Queryable } from '../../db/versioned.js';
import { listStoredOriginals } from './repository.js';
import type { MediaStore } from './store.js';

export interface OriginalProblem {
  kind: 'file_missing' | 'file_changed';
  entity_type: 'media' | 'media_proofs';
  /** The first media record (or proof) of the file; the message names all of them. */
  entity_id: string;
  path: string;
  message: string;
}

/**
 * Re-reads every original a media record refers to (archived ones too) and
 * compares its hash with the recorded one. Names each file that is missing or
 * whose bytes changed, with the records that point at it.
 *
 * @example
 * const { checked, problems } = await verifyStoredOriginals(db, createMediaStore(config));
 */
export async function verifyStoredOriginals(
  db: Queryable,
  store: MediaStore,
  onProgress?: (checked: number) => void,
): Promise<{ checked: number; problems: OriginalProblem[] }> {
  const problems: OriginalProblem[] = [];
  let checked = 0;
  let after: string | undefined;
  for (;;) {
    const batch = await listStoredOriginals(db, after, 500);
    if (batch.length === 0) break;
    for (const original of batch) {
      checked += 1;
      const file = store.path(original.sha256);
      const records = `media ${original.media_ids.join(', ')}${original.filenames.length > 0 ? ` (${original.filenames.join(', ')})` : ''}`;
      const actual = await store.rehash(original.sha256);
      if (actual === undefined) {
        problems.push({
          kind: 'file_missing',
          entity_type: 'media',
          entity_id: original.media_ids[0]!,
          path: file,
          message: `The original of ${records} is missing: ${file}.`,
        });
      } else if (actual.sha256 !== original.sha256) {
        problems.push({
          kind: 'file_changed',
          entity_type: 'media',
          entity_id: original.media_ids[0]!,
          path: file,
          message: `The original of ${records} was changed on disk: ${file} now hashes to ${actual.sha256} (${actual.sizeBytes} bytes, recorded ${original.size_bytes}).`,
        });
      }
      onProgress?.(checked);
    }
    after = batch[batch.length - 1]!.sha256;
  }
  const originalsChecked = checked;
  checked += await verifyProofFiles(db, store, problems, (proofFiles) => onProgress?.(originalsChecked + proofFiles));
  return { checked, problems };
}

/**
 * Re-reads the files of every recorded proof (C2PA manifest stores, ProofMode proofs, signatures, keys, bundles),
 * each once, naming each one missing or changed with the proofs that list it. Returns how many were read.
 */
async function verifyProofFiles(
  db: Queryable,
  store: MediaStore,
  problems: OriginalProblem[],
  onFile: (checked: number) => void,
): Promise<number> {
  const owners = new Map<string, { proofIds: string[]; names: Set<string> }>();
  let after: string | undefined;
  for (;;) {
    let query = db.selectFrom('media_proofs').select(['id', 'files']).orderBy('id').limit(500);
    if (after !== undefined) query = query.where('id', '>', after);
    const batch = await query.execute();
    if (batch.length === 0) break;
    for (const proof of batch) {
      for (const file of proof.files as { sha256?: unknown; name?: unknown }[]) {
        if (typeof file.sha256 !== 'string') continue;
        const owner = owners.get(file.sha256) ?? { proofIds: [], names: new Set<string>() };
        owner.proofIds.push(proof.id);
        if (typeof file.name === 'string') owner.names.add(file.name);
        owners.set(file.sha256, owner);
      }
    }
    after = batch[batch.length - 1]!.id;
  }
  let checked = 0;
  for (const [sha256, owner] of owners) {
    checked += 1;
    const file = store.path(sha256);
    const records = `proof ${owner.proofIds.join(', ')} (${[...owner.names].join(', ')})`;
    const actual = await store.rehash(sha256);
    if (actual === undefined) {
      problems.push({
        kind: 'file_missing',
        entity_type: 'media_proofs',
        entity_id: owner.proofIds[0]!,
        path: file,
        message: `A file of ${records} is missing: ${file}.`,
      });
    } else if (actual.sha256 !== sha256) {
      problems.push({
        kind: 'file_changed',
        entity_type: 'media_proofs',
        entity_id: owner.proofIds[0]!,
        path: file,
        message: `A file of ${records} was changed on disk: ${file} now hashes to ${actual.sha256}.`,
      });
    }
    onFile(checked);
  }
  return checked;
}
