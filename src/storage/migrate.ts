import type { EvidenceStore } from './evidence-store.js';

export interface StoreCopyFailure {
  sha256: string;
  /** `source_changed`: the source file no longer hashes to its name (nothing was copied); `target_mismatch`: the
   *  copy read back from the target does not hash to its name; `error`: the copy failed (the message says why). */
  kind: 'source_changed' | 'target_mismatch' | 'error';
  message: string;
}

export interface StoreCopySummary {
  /** Originals (and proof files) found in the source. */
  objects: number;
  bytes: number;
  /** Copied now, each read back from the target and re-hashed. */
  copied: number;
  /** Already in the target and re-hashed there to the same hash (a resumed copy skips them). */
  already_present: number;
  failures: StoreCopyFailure[];
  ok: boolean;
}

/**
 * Copies every original of `source` into `target` and verifies each one there: a file already in the target is
 * re-hashed from the target and skipped when it matches (so an interrupted copy resumes where it stopped); any
 * other is staged by the target, committed only when the staged bytes hash to its name, then read back from
 * the target and re-hashed. Derivatives are not copied (they are made again on first request). Nothing is ever
 * deleted or overwritten in either store.
 *
 * @example
 * const summary = await copyStore(new FolderEvidenceStore('/srv/armtrace/media'), s3Store, (done) => bar.update(done));
 */
export async function copyStore(
  source: EvidenceStore,
  target: EvidenceStore,
  onProgress?: (done: number, total: number) => void,
): Promise<StoreCopySummary> {
  const objects: { sha256: string; sizeBytes: number }[] = [];
  for await (const object of source.list()) objects.push(object);
  const summary: StoreCopySummary = {
    objects: objects.length,
    bytes: objects.reduce((sum, object) => sum + object.sizeBytes, 0),
    copied: 0,
    already_present: 0,
    failures: [],
    ok: true,
  };
  let done = 0;
  for (const { sha256, sizeBytes } of objects) {
    try {
      const present = await target.stat(sha256);
      if (present === undefined) {
        // Staged by the target (hashed on the way), committed under its name only when the hash is that name.
        const staged = await target.stage(await source.get(sha256), { maxBytes: sizeBytes });
        if (staged.sha256 !== sha256) {
          await staged.discard();
          summary.failures.push({
            kind: 'source_changed',
            sha256,
            message: `${source.locate(sha256)} now hashes to ${staged.sha256}: not copied; run \`armtrace verify\` and restore it from a backup.`,
          });
          continue;
        }
        await staged.commit();
      }
      const copy = await target.rehash(sha256);
      if (copy?.sha256 !== sha256) {
        summary.failures.push({
          kind: 'target_mismatch',
          sha256,
          message: `${target.locate(sha256)} ${copy === undefined ? 'is missing after the copy' : `hashes to ${copy.sha256}`}.`,
        });
        continue;
      }
      if (present === undefined) summary.copied += 1;
      else summary.already_present += 1;
    } catch (error) {
      summary.failures.push({ kind: 'error', sha256, message: error instanceof Error ? error.message : String(error) });
    } finally {
      done += 1;
      onProgress?.(done, objects.length);
    }
  }
  summary.ok = summary.failures.length === 0;
  return summary;
}
