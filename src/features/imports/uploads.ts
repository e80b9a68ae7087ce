/**
 * Files uploaded for an import, kept between the preview and the confirmation, where every server finds them:
 * the bytes in the evidence store's staging area (`staging/<random id>`, not evidence, never named by a hash),
 * the row saying whose they are, which bytes and until when in `import_uploads`. So the preview may reach one
 * server and the confirmation another. The confirmation names the file by its SHA-256 (and the user and
 * investigation it was uploaded for), so it names exactly the bytes that were previewed; a file is kept for an
 * hour at most, a bounded number are kept at once, and a file is removed once imported.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import { DomainError } from '../../errors.js';
import { sniffType } from '../../storage/sniff.js';
import { SNIFF_BYTES, type EvidenceStore } from '../../storage/evidence-store.js';
import * as repository from './repository.js';
import { startsLikeZip } from './xlsx.js';

/** How long an uploaded file waits for its confirmation. */
export const IMPORT_UPLOAD_TTL_MS = 60 * 60 * 1000;
/** The largest item CSV taken through the web (the CLI has no limit). */
export const IMPORT_UPLOAD_MAX_BYTES = 64 * 1024 * 1024;
/** Uploads kept at once on the whole instance; the oldest go first. */
const KEPT_UPLOADS = 50;

/** Where kept uploads live: the database (whose, which bytes, until when) and the evidence store (the bytes). */
export interface ImportUploadDeps {
  db: Kysely<DB>;
  store: EvidenceStore;
}

export type UploadOwner = repository.UploadOwner;

/** A kept upload, with a local file holding its bytes for the time of one call. */
export interface StagedImportUpload {
  /** The kept upload's id (its staging object's name). */
  id: string;
  sha256: string;
  size_bytes: number;
  expires_at: string;
  /** A local file with the bytes, readable while the call that was given it runs. */
  path: string;
}

function fileProblem(code: string, message: string, params: Record<string, number> = {}): DomainError {
  return new DomainError('validation_failed', `file: ${message}`, [{ field: 'file', message, code, params }]);
}

function notKept(): DomainError {
  return new DomainError(
    'not_found',
    'This file is no longer kept (uploads wait one hour, and go once imported): upload it again.',
    [
      {
        field: 'sha256',
        message: 'no upload with this SHA-256 is kept for you in this investigation',
        code: 'upload_not_kept',
      },
    ],
  );
}

/**
 * Forgets expired uploads and, past the bound, the oldest, removing their files. Safe on several servers at once:
 * each row is deleted by one of them, which then removes its file.
 */
export async function removeStaleImportUploads({ db, store }: ImportUploadDeps): Promise<void> {
  for (const id of await repository.deleteStaleImportUploads(db, KEPT_UPLOADS)) await store.removeStaging(id);
}

/**
 * Receives an uploaded CSV: hashed while written to a local file, refused when it is empty, larger than the limit
 * (`truncated`: the multipart parser cut it) or neither text nor a ZIP container (XLSX) by its content (an image, a
 * PDF, any NUL byte in what is not a ZIP); then kept in the store's staging area for the confirmation. The local
 * file stays readable (for the preview) until `discard()`.
 *
 * @example
 * const upload = await receiveImportUpload(deps, part.file, owner, () => part.file.truncated);
 * try { await previewItemsCsv(db, actor, id, upload.path); } finally { await upload.discard(); }
 */
export async function receiveImportUpload(
  deps: ImportUploadDeps,
  stream: Readable,
  owner: UploadOwner,
  truncated: () => boolean,
): Promise<StagedImportUpload & { discard(): Promise<void> }> {
  const folder = await fsp.mkdtemp(path.join(os.tmpdir(), 'armtrace-import-'));
  const local = path.join(folder, 'upload');
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  try {
    await pipeline(
      stream,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > IMPORT_UPLOAD_MAX_BYTES) {
            throw fileProblem('file_too_large', `larger than ${IMPORT_UPLOAD_MAX_BYTES} bytes`, {
              maximum: IMPORT_UPLOAD_MAX_BYTES,
            });
          }
          if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
          hash.update(chunk);
          yield chunk;
        }
      },
      fs.createWriteStream(local, { flags: 'wx', mode: 0o600 }),
    );
    if (truncated()) {
      throw fileProblem('file_too_large', 'larger than the upload limit', { maximum: IMPORT_UPLOAD_MAX_BYTES });
    }
    if (size === 0) throw fileProblem('file_empty', 'the file is empty');
    const sniffed = sniffType(head);
    // A workbook (XLSX) is a ZIP container; exceljs reads it, and refuses it when it is some other ZIP.
    if (
      !startsLikeZip(head) &&
      (head.includes(0) || (sniffed !== 'text/plain' && sniffed !== 'application/octet-stream'))
    ) {
      throw fileProblem(
        'file_not_text',
        `neither a CSV text file nor an XLSX workbook (its content reads as ${sniffed})`,
      );
    }
    const sha256 = hash.digest('hex');
    // Staged under a new random id first, then recorded: a row never names a file that is not there.
    const id = randomUUID();
    await deps.store.putStaging(id, local);
    // Uploading the same bytes again starts their hour again (and keeps the file staged before).
    const kept = await repository.keepImportUpload(deps.db, {
      ...owner,
      id,
      sha256,
      sizeBytes: size,
      ttlMs: IMPORT_UPLOAD_TTL_MS,
    });
    if (kept.id !== id) await deps.store.removeStaging(id);
    await removeStaleImportUploads(deps);
    return {
      id: kept.id,
      sha256,
      size_bytes: size,
      expires_at: kept.expires_at.toISOString(),
      path: local,
      discard: () => fsp.rm(folder, { recursive: true, force: true }),
    };
  } catch (error) {
    await fsp.rm(folder, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Runs `use` with the kept upload with this SHA-256, uploaded by this user for this investigation (a local copy of
 * its bytes, from whichever server took it); `not_found` when it was never uploaded, has expired or was imported
 * already.
 *
 * @example
 * const result = await withImportUpload(deps, { userId, investigationId }, sha256, (upload) => importItemsCsv(db, actor, id, upload.path));
 */
export async function withImportUpload<T>(
  deps: ImportUploadDeps,
  owner: UploadOwner,
  sha256: string,
  use: (upload: StagedImportUpload) => Promise<T>,
): Promise<T> {
  const row = await repository.findImportUpload(deps.db, owner, sha256);
  if (row === undefined) throw notKept();
  // An object: set inside the callback, read after it (a plain `let` reads as never set).
  const progress = { started: false };
  try {
    return await deps.store.withStagingFile(row.id, (file) => {
      progress.started = true;
      return use({
        id: row.id,
        sha256: row.sha256,
        size_bytes: row.size_bytes,
        expires_at: row.expires_at.toISOString(),
        path: file,
      });
    });
  } catch (error) {
    // Swept by another server between the look-up and the read.
    if (!progress.started && error instanceof DomainError && error.code === 'not_found') throw notKept();
    throw error;
  }
}

/** Whether a kept upload of these bytes waits for this user in this investigation (checked before queuing a job). */
export async function requireImportUpload(deps: ImportUploadDeps, owner: UploadOwner, sha256: string): Promise<void> {
  if ((await repository.findImportUpload(deps.db, owner, sha256)) === undefined) throw notKept();
}

/** Forgets an upload once imported, so it cannot be imported twice: its row first, then its file. */
export async function removeImportUpload(deps: ImportUploadDeps, id: string): Promise<void> {
  if (await repository.deleteImportUpload(deps.db, id)) await deps.store.removeStaging(id);
}
