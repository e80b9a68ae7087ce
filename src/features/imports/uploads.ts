/**
 * Files uploaded for an import, kept between the preview and the confirmation.
 * Each is named by its SHA-256 (and by the user and investigation it was
 * uploaded for), so the confirmation names exactly the bytes that were
 * previewed; it is kept for an hour at most, the folder holds a bounded
 * number of them, and the file is removed once imported.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../../errors.js';
import { sniffType } from '../../storage/sniff.js';
import { SNIFF_BYTES } from '../../storage/evidence-store.js';
import { startsLikeZip } from './xlsx.js';

/** How long an uploaded file waits for its confirmation. */
export const IMPORT_UPLOAD_TTL_MS = 60 * 60 * 1000;
/** The largest item CSV taken through the web (the CLI has no limit). */
export const IMPORT_UPLOAD_MAX_BYTES = 64 * 1024 * 1024;
/** Uploads kept at once on the whole server; the oldest go first. */
const KEPT_UPLOADS = 50;

export interface StagedImportUpload {
  sha256: string;
  size_bytes: number;
  expires_at: string;
  path: string;
}

const fileName = (owner: { userId: string; investigationId: string }, sha256: string) =>
  `${owner.userId}.${owner.investigationId}.${sha256}.csv`;

function fileProblem(code: string, message: string, params: Record<string, number> = {}): DomainError {
  return new DomainError('validation_failed', `file: ${message}`, [{ field: 'file', message, code, params }]);
}

/** Removes expired uploads and, past the bound, the oldest ones. */
async function prune(folder: string): Promise<void> {
  const names = (await fsp.readdir(folder)).filter((name) => name.endsWith('.csv'));
  const files = await Promise.all(
    names.map(async (name) => ({ name, mtime: (await fsp.stat(path.join(folder, name))).mtimeMs })),
  );
  files.sort((a, b) => b.mtime - a.mtime);
  const now = Date.now();
  for (const [index, file] of files.entries()) {
    if (index >= KEPT_UPLOADS || now - file.mtime > IMPORT_UPLOAD_TTL_MS) {
      await fsp.rm(path.join(folder, file.name), { force: true });
    }
  }
}

/**
 * Receives an uploaded CSV: hashed while written, refused when it is empty, larger than the limit (`truncated`:
 * the multipart parser cut it) or neither text nor a ZIP container (XLSX) by its content (an image, a PDF, any
 * NUL byte in what is not a ZIP).
 *
 * @example
 * const staged = await stageImportUpload(folder, part.file, { userId, investigationId }, () => part.file.truncated);
 */
export async function stageImportUpload(
  folder: string,
  stream: Readable,
  owner: { userId: string; investigationId: string },
  truncated: () => boolean,
): Promise<StagedImportUpload> {
  await fsp.mkdir(folder, { recursive: true });
  const partial = path.join(folder, `upload-${randomUUID()}.partial`);
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
      fs.createWriteStream(partial),
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
    const target = path.join(folder, fileName(owner, sha256));
    await fsp.rename(partial, target);
    // Uploading the same bytes again starts their hour again.
    const now = new Date();
    await fsp.utimes(target, now, now);
    await prune(folder);
    return {
      sha256,
      size_bytes: size,
      expires_at: new Date(now.getTime() + IMPORT_UPLOAD_TTL_MS).toISOString(),
      path: target,
    };
  } finally {
    await fsp.rm(partial, { force: true });
  }
}

/**
 * The kept upload with this SHA-256, uploaded by this user for this investigation; `not_found` when it was never
 * uploaded, has expired or was imported already.
 *
 * @example
 * const file = await findImportUpload(folder, { userId, investigationId }, sha256);
 */
export async function findImportUpload(
  folder: string,
  owner: { userId: string; investigationId: string },
  sha256: string,
): Promise<string> {
  return (await findImportUploadDetails(folder, owner, sha256)).path;
}

/**
 * The kept upload with this SHA-256, with its size and when it expires, for a new check of the same file.
 *
 * @example
 * const { path, size_bytes, expires_at } = await findImportUploadDetails(folder, owner, sha256);
 */
export async function findImportUploadDetails(
  folder: string,
  owner: { userId: string; investigationId: string },
  sha256: string,
): Promise<StagedImportUpload> {
  const file = path.join(folder, fileName(owner, sha256));
  const stat = await fsp.stat(file).catch(() => undefined);
  if (stat === undefined || Date.now() - stat.mtimeMs > IMPORT_UPLOAD_TTL_MS) {
    throw new DomainError(
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
  return {
    sha256,
    size_bytes: stat.size,
    expires_at: new Date(stat.mtimeMs + IMPORT_UPLOAD_TTL_MS).toISOString(),
    path: file,
  };
}

/** Forgets an upload once imported, so it cannot be imported twice. */
export async function removeImportUpload(file: string): Promise<void> {
  await fsp.rm(file, { force: true });
}
