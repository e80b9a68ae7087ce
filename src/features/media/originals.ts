import type { Queryable } from '../../db/versioned.js';
import { listStoredOriginals } from './repository.js';
import type { MediaStore } from './store.js';

export interface OriginalProblem {
  kind: 'file_missing' | 'file_changed';
  entity_type: 'media';
  /** The first media record of the file; the message names all of them. */
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
  return { checked, problems };
}
