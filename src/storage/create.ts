import path from 'node:path';
import type { Config } from '../config/config.js';
import type { EvidenceStore } from './evidence-store.js';
import { FolderEvidenceStore } from './folder-store.js';
import { createS3Client, S3EvidenceStore } from './s3-store.js';

/** The local folder where an object store stages received files (hashed here before anything is uploaded). */
export function stagingDirOf(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'media', 'tmp');
}

/**
 * The evidence store of this installation, built once where the program is assembled (`buildApp`, the CLI
 * session) and passed to what needs it: a folder under the data directory (the default, with the embedded
 * database or PostgreSQL alike), or the configured S3-compatible bucket.
 *
 * @example
 * const store = createEvidenceStore(loadConfig());
 */
export function createEvidenceStore(config: Pick<Config, 'dataDir' | 'store'>): EvidenceStore {
  if (config.store.kind === 's3') {
    return new S3EvidenceStore(createS3Client(config.store), config.store, stagingDirOf(config));
  }
  return new FolderEvidenceStore(path.join(config.dataDir, 'media'));
}
