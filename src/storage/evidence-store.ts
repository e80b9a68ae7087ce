import { createHash, randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { DomainError } from '../errors.js';

/** How many leading bytes of a file are kept in memory for sniffing its type. */
export const SNIFF_BYTES = 64 * 1024;

const SHA256_PATTERN = /^[0-9a-f]{64}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A file received and hashed but not yet part of the store; commit or discard it. */
export interface StagedOriginal {
  sha256: string;
  sizeBytes: number;
  /** The first {@link SNIFF_BYTES} bytes (fewer for a smaller file). */
  head: Buffer;
  /** A local copy of the bytes, readable until commit or discard (for metadata extraction). */
  localPath: string;
  /** Adds the bytes to the store; `created` is false when the same bytes were already stored. */
  commit(): Promise<{ created: boolean }>;
  discard(): Promise<void>;
}

export interface StageOptions {
  /** Refuse a file larger than this many bytes. */
  maxBytes: number;
  /** Called with the number of bytes received so far, for progress bars. */
  onBytes?: (received: number) => void;
}

/** Bytes `start` to `end` of a file, both included (as in an HTTP Range). */
export interface ByteRange {
  start: number;
  end: number;
}

/** One stored original, as listed by {@link EvidenceStore.list}. */
export interface StoredObject {
  sha256: string;
  sizeBytes: number;
}

/**
 * The evidence store: originals addressed by their SHA-256, written once and
 * never rewritten, plus a cache of derivatives (thumbnails, previews). Two
 * implementations: a folder on this machine (`FolderEvidenceStore`, the
 * default) and an S3-compatible object store (`S3EvidenceStore`). Built once
 * where the program is assembled (`createEvidenceStore`) and passed in.
 */
export interface EvidenceStore {
  readonly kind: 'folder' | 's3';
  /** The whole store, for messages: its folder, or `s3://bucket/prefix`. */
  readonly location: string;
  /** Where an original is (or would be) kept, for messages: a file path or an `s3://bucket/key` URL. */
  locate(sha256: string): string;
  /** Receives a stream in one pass: written to a local staging file while it is hashed. */
  stage(source: Readable, options: StageOptions): Promise<StagedOriginal>;
  /** Stages and commits in one step. */
  put(source: Readable, options: StageOptions): Promise<{ sha256: string; sizeBytes: number; created: boolean }>;
  has(sha256: string): Promise<boolean>;
  /** The stored size of an original, or undefined when it is not stored. */
  stat(sha256: string): Promise<{ sizeBytes: number } | undefined>;
  /** A stream of the original's bytes (or of `range` of them); not_found when it is not stored. */
  get(sha256: string, range?: ByteRange): Promise<Readable>;
  /**
   * Runs `use` with a local file holding the original (image decoders need a path): the stored file itself
   * in a folder store, a temporary copy, removed afterwards, in an object store. not_found when it is missing.
   */
  withLocalFile<T>(sha256: string, use: (file: string) => Promise<T>): Promise<T>;
  /** Re-reads a stored original: its actual hash and size, or undefined when it is missing. */
  rehash(sha256: string): Promise<StoredObject | undefined>;
  /** Every stored original in the order of their hashes, from after `after` (for verify and migrate-store). */
  list(after?: string): AsyncIterable<StoredObject>;
  /** A cached derivative of an original, or undefined when it has not been made yet. */
  getDerivative(parentSha256: string, name: string): Promise<Buffer | undefined>;
  putDerivative(parentSha256: string, name: string, bytes: Buffer): Promise<void>;
  /**
   * Keeps the file a job made (a PDF report, a bag) from a local file. Not evidence: kept apart from the
   * originals (`job-results/<job id>/<file>`), where every server reads it; a later try of the job may replace it.
   */
  putJobResult(jobId: string, file: string, localPath: string): Promise<void>;
  /** A stream of a job's result file; not_found when it is not kept. */
  getJobResult(jobId: string, file: string): Promise<Readable>;
  /**
   * Keeps a file for a while under a random id (an import between its preview and its confirmation), where every
   * server reads it. Not evidence: kept apart from the originals (`staging/<id>`), never named by a hash; whoever
   * put it removes it (`removeStaging`), and anything left there is swept by `removeAbandonedFiles`.
   */
  putStaging(id: string, localPath: string): Promise<void>;
  /**
   * Runs `use` with a local copy of a staged file (removed afterwards, so removing the staged file meanwhile does
   * not disturb it); not_found when it is not kept.
   */
  withStagingFile<T>(id: string, use: (file: string) => Promise<T>): Promise<T>;
  /** Removes a staged file; nothing happens when it is gone already (another server removed it). */
  removeStaging(id: string): Promise<void>;
  /**
   * Removes a job's result file (pruning, src/jobs/prune.ts); nothing happens when it is already gone. Reaches
   * only `job-results/<job id>/<file>` (a UUID and a plain file name, checked): never an original, a proof or a
   * derivative.
   */
  deleteJobResult(jobId: string, file: string): Promise<void>;
  /**
   * Removes staging and half-written derivative files older than `before`:
   * what an upload or a thumbnail left when the process stopped mid-way, and
   * staged files (`staging/`) nobody removed. Returns how many were removed.
   */
  removeAbandonedFiles(before: Date): Promise<number>;
}

/** Throws unless `id` is a UUID (a staged file's name becomes part of a path or key). */
export function checkStagingId(id: string): string {
  if (!UUID_PATTERN.test(id)) throw new Error(`not a staging id: ${id}`);
  return id;
}

/** The problem for a staged file that is not kept (expired, imported, or never put). */
export function missingStaging(id: string): DomainError {
  return new DomainError('not_found', `The staged file ${id} is not kept.`);
}

/** Throws unless `sha256` is 64 lowercase hex digits (it becomes part of a path or key). */
export function checkHash(sha256: string): string {
  if (!SHA256_PATTERN.test(sha256)) throw new Error(`not a SHA-256 in hex: ${sha256}`);
  return sha256;
}

/** Throws unless `name` is a derivative's file name such as `thumbnail.webp` (it becomes part of a path or key). */
export function checkDerivativeName(name: string): string {
  if (!/^[a-z0-9-]+\.[a-z0-9]+$/.test(name)) throw new Error(`bad derivative name: ${name}`);
  return name;
}

/** Throws unless `jobId` is a UUID and `file` a plain file name (they become part of a path or key). */
export function checkJobResult(jobId: string, file: string): void {
  if (!UUID_PATTERN.test(jobId)) throw new Error(`not a job id: ${jobId}`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(file)) throw new Error(`not a result file name: ${file}`);
}

/** The problem for a job result that is not in the store. */
export function missingJobResult(jobId: string, file: string): DomainError {
  return new DomainError('not_found', `The result ${file} of job ${jobId} is not in the store.`);
}

/** The problem for an original that is not in the store. */
export function missingOriginal(sha256: string): DomainError {
  return new DomainError('not_found', `The original ${sha256} is missing from the store; run \`armtrace verify\`.`);
}

/** Keeps the leading bytes of a stream without copying the rest. */
class HeadCollector {
  private readonly chunks: Buffer[] = [];
  private collected = 0;

  add(chunk: Buffer): void {
    if (this.collected >= SNIFF_BYTES) return;
    const part = chunk.subarray(0, SNIFF_BYTES - this.collected);
    this.chunks.push(Buffer.from(part));
    this.collected += part.length;
  }

  get head(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError('validation_failed', `The file is larger than the limit of ${maxBytes} bytes.`, [
    { field: 'file', message: `larger than ${maxBytes} bytes (ARMTRACE_MAX_UPLOAD_BYTES)` },
  ]);
}

/** FileHandle.write may write part of a buffer; this writes all of it. */
async function writeAll(handle: fsp.FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset);
    offset += bytesWritten;
  }
}

/** A stream written to a local file and hashed in the same pass. */
export interface StagedFile {
  sha256: string;
  sizeBytes: number;
  head: Buffer;
  localPath: string;
}

/**
 * Writes `source` to a new file `<directory>/<uuid>.partial` (mode 0600, fsynced) while hashing it, refusing
 * more than `maxBytes`. Both stores stage this way: the hash is known before anything is committed under it.
 *
 * @example
 * const staged = await stageToFile('/srv/armtrace/media/tmp', request.raw, { maxBytes: 200e6 });
 */
export async function stageToFile(directory: string, source: Readable, options: StageOptions): Promise<StagedFile> {
  await fsp.mkdir(directory, { recursive: true });
  const localPath = path.join(directory, `${randomUUID()}.partial`);
  const handle = await fsp.open(localPath, 'wx', 0o600);
  const hash = createHash('sha256');
  const head = new HeadCollector();
  let sizeBytes = 0;
  let pendingWrite: Promise<unknown> = Promise.resolve();
  try {
    // Hashing runs on this thread while the previous chunk is written by the
    // thread pool, so receiving, hashing and writing overlap in one pass.
    for await (const data of source) {
      const chunk = typeof data === 'string' ? Buffer.from(data) : (data as Buffer);
      sizeBytes += chunk.length;
      if (sizeBytes > options.maxBytes) throw tooLarge(options.maxBytes);
      hash.update(chunk);
      head.add(chunk);
      await pendingWrite;
      pendingWrite = writeAll(handle, chunk);
      options.onBytes?.(sizeBytes);
    }
    await pendingWrite;
    await handle.sync();
  } catch (error) {
    await pendingWrite.catch(() => undefined);
    await handle.close();
    await fsp.rm(localPath, { force: true });
    source.destroy();
    throw error;
  }
  await handle.close();
  return { sha256: hash.digest('hex'), sizeBytes, head: head.head, localPath };
}

/**
 * Wraps a staged file with commit-once / discard semantics.
 *
 * @example
 * return settleOnce(await stageToFile(dir, source, options), (file) => upload(file));
 */
export function settleOnce(
  staged: StagedFile,
  commit: (staged: StagedFile) => Promise<{ created: boolean }>,
): StagedOriginal {
  let settled = false;
  return {
    ...staged,
    commit: async () => {
      if (settled) throw new Error('staged file already committed or discarded');
      settled = true;
      return commit(staged);
    },
    discard: async () => {
      if (settled) return;
      settled = true;
      await fsp.rm(staged.localPath, { force: true });
    },
  };
}

/**
 * Removes `.partial` files older than `before` under each directory (recursively); a younger one may be an
 * upload in progress. Returns how many were removed.
 *
 * @example
 * const removed = await removeOldPartialFiles([path.join(root, 'tmp')], new Date(Date.now() - 86_400_000));
 */
export async function removeOldPartialFiles(directories: string[], before: Date): Promise<number> {
  let removed = 0;
  for (const directory of directories) {
    const entries = await fsp.readdir(directory, { recursive: true }).catch(() => [] as string[]);
    for (const entry of entries) {
      if (!entry.endsWith('.partial')) continue;
      const file = path.join(directory, entry);
      const stat = await fsp.stat(file).catch(() => undefined);
      if (stat === undefined || !stat.isFile() || stat.mtime >= before) continue;
      await fsp.rm(file, { force: true });
      removed += 1;
    }
  }
  return removed;
}

/**
 * Reads a stream to its end, hashing it.
 *
 * @example
 * const { sha256, sizeBytes } = await hashStream(fs.createReadStream(file));
 */
export async function hashStream(stream: Readable): Promise<StoredObject> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}
