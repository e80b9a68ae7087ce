import type { EvidenceStore } from './evidence-store.js';

/** A file the records say the store keeps: its hash and who refers to it (for the messages). */
export interface ExpectedFile {
  sha256: string;
  /** What refers to the file, and the first such record (the message names all of them). */
  entity_type: 'media' | 'media_proofs';
  entity_id: string;
  /** The records in words, e.g. `media 0190…, 0191… (IMG_0412.JPG)`. */
  records: string;
  /** `original` for a media record's file, `proof` for a file of a proof. */
  role: 'original' | 'proof';
  /** The size the records give, when they give one. */
  recordedSize?: number | undefined;
}

export interface StoredFileProblem {
  kind: 'file_missing' | 'file_changed';
  entity_type: 'media' | 'media_proofs';
  entity_id: string;
  /** Where the file is kept: a path in a folder store, an `s3://bucket/key` URL in an object store. */
  path: string;
  message: string;
}

/**
 * Re-reads every expected file from the store (each once, in the order given) and compares its hash with the
 * recorded one, naming each file that is missing or whose bytes changed, with the records that point at it.
 * Which records refer to which files is the caller's business (the media feature lists them); the program
 * composes the two where it is assembled (`armtrace verify`, `GET /audit/verify`).
 *
 * @example
 * const { checked, problems } = await verifyStoredFiles(store, referencedFiles(db), (done) => bar.update(done));
 */
export async function verifyStoredFiles(
  store: EvidenceStore,
  files: AsyncIterable<ExpectedFile>,
  onProgress?: (checked: number) => void,
): Promise<{ checked: number; problems: StoredFileProblem[] }> {
  const problems: StoredFileProblem[] = [];
  let checked = 0;
  for await (const file of files) {
    checked += 1;
    const where = store.locate(file.sha256);
    const subject = file.role === 'original' ? `The original of ${file.records}` : `A file of ${file.records}`;
    const actual = await store.rehash(file.sha256);
    if (actual === undefined) {
      problems.push({
        kind: 'file_missing',
        entity_type: file.entity_type,
        entity_id: file.entity_id,
        path: where,
        message: `${subject} is missing: ${where}.`,
      });
    } else if (actual.sha256 !== file.sha256) {
      const sizes =
        file.recordedSize === undefined ? '' : ` (${actual.sizeBytes} bytes, recorded ${file.recordedSize})`;
      problems.push({
        kind: 'file_changed',
        entity_type: file.entity_type,
        entity_id: file.entity_id,
        path: where,
        message: `${subject} was changed in the store: ${where} now hashes to ${actual.sha256}${sizes}.`,
      });
    }
    onProgress?.(checked);
  }
  return { checked, problems };
}
