import type { Queryable } from '../../db/versioned.js';
import type { EvidenceStore } from '../../storage/evidence-store.js';
import { verifyStoredFiles, type ExpectedFile, type StoredFileProblem } from '../../storage/verify-files.js';
import { listStoredOriginals } from './repository.js';

/**
 * Every file the media records refer to (archived ones too): each original once, then each file of a recorded
 * proof (C2PA manifest stores, ProofMode proofs, signatures, keys, bundles) once, with the records that list it.
 *
 * @example
 * for await (const file of referencedFiles(db)) console.log(file.sha256, file.records);
 */
export async function* referencedFiles(db: Queryable): AsyncIterable<ExpectedFile> {
  let after: string | undefined;
  for (;;) {
    const batch = await listStoredOriginals(db, after, 500);
    if (batch.length === 0) break;
    for (const original of batch) {
      yield {
        sha256: original.sha256,
        entity_type: 'media',
        entity_id: original.media_ids[0]!,
        records: `media ${original.media_ids.join(', ')}${original.filenames.length > 0 ? ` (${original.filenames.join(', ')})` : ''}`,
        role: 'original',
        recordedSize: original.size_bytes,
      };
    }
    after = batch[batch.length - 1]!.sha256;
  }
  const owners = new Map<string, { proofIds: string[]; names: Set<string> }>();
  let afterId: string | undefined;
  for (;;) {
    let query = db.selectFrom('media_proofs').select(['id', 'files']).orderBy('id').limit(500);
    if (afterId !== undefined) query = query.where('id', '>', afterId);
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
    afterId = batch[batch.length - 1]!.id;
  }
  for (const [sha256, owner] of owners) {
    yield {
      sha256,
      entity_type: 'media_proofs',
      entity_id: owner.proofIds[0]!,
      records: `proof ${owner.proofIds.join(', ')} (${[...owner.names].join(', ')})`,
      role: 'proof',
    };
  }
}

/**
 * Re-reads every original and proof file the media records refer to and compares each hash with the recorded
 * one (the media part of `armtrace verify`; the program passes it to the audit's verify).
 *
 * @example
 * const { checked, problems } = await verifyMediaFiles(db, store);
 */
export function verifyMediaFiles(
  db: Queryable,
  store: EvidenceStore,
  onProgress?: (checked: number) => void,
): Promise<{ checked: number; problems: StoredFileProblem[] }> {
  return verifyStoredFiles(store, referencedFiles(db), onProgress);
}
