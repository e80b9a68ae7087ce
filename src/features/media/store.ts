import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { DomainError } from '../../errors.js';

/** How many leading bytes of a file are kept in memory for sniffing its type. */
export const SNIFF_BYTES = 64 * 1024;

const SHA256_PATTERN = /^[0-9a-f]{64}$/;

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

/**
 * The evidence store: originals addressed by their SHA-256, written once and
 * never rewritten, plus a cache of derivatives (thumbnails, previews). The
 * disk implementation is the default; an object store can implement the same
 * interface.
 */
/** Bytes `start` to `end` of a file, both included (as in an HTTP Range). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface MediaStore {
  /** Receives a stream in one pass: written to a staging file while it is hashed. */
  stage(source: Readable, options: StageOptions): Promise<StagedOriginal>;
  /** Stages and commits in one step. */
  put(source: Readable, options: StageOptions): Promise<{ sha256: string; sizeBytes: number; created: boolean }>;
  has(sha256: string): Promise<boolean>;
  /** A stream of the original's bytes (or of `range` of them); not_found when it is not stored. */
  get(sha256: string, range?: ByteRange): Promise<Readable>;
  /** A local file holding the original (for image decoders that need a path). */
  path(sha256: string): string;
  /** Re-reads a stored original: its actual hash and size, or undefined when it is missing. */
  rehash(sha256: string): Promise<{ sha256: string; sizeBytes: number } | undefined>;
  /** A cached derivative of an original, or undefined when it has not been made yet. */
  getDerivative(parentSha256: string, name: string): Promise<Buffer | undefined>;
  putDerivative(parentSha256: string, name: string, bytes: Buffer): Promise<void>;
  /**
   * Removes staging and half-written derivative files older than `before`:
   * what an upload or a thumbnail left when the process stopped mid-way.
   * Returns how many were removed.
   */
  removeAbandonedFiles(before: Date): Promise<number>;
}

function checkHash(sha256: string): string {
  if (!SHA256_PATTERN.test(sha256)) throw new Error(`not a SHA-256 in hex: ${sha256}`);
  return sha256;
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

async function fsyncDirectory(directory: string): Promise<void> {
  const handle = await fsp.open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Originals under `<root>/sha256/ab/cd/<hash>`, read-only; staging files in
 * `<root>/tmp`; derivatives under `<root>/derivatives/ab/<parent hash>/`.
 *
 * @example
 * const store = new DiskMediaStore('/srv/armtrace/media');
 * const { sha256 } = await store.put(fs.createReadStream('IMG_0412.JPG'), { maxBytes: 200e6 });
 */
export class DiskMediaStore implements MediaStore {
  constructor(readonly root: string) {}

  path(sha256: string): string {
    checkHash(sha256);
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async stage(source: Readable, options: StageOptions): Promise<StagedOriginal> {
    const temporaryDir = path.join(this.root, 'tmp');
    await fsp.mkdir(temporaryDir, { recursive: true });
    const localPath = path.join(temporaryDir, `${randomUUID()}.partial`);
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
    const sha256 = hash.digest('hex');
    let settled = false;
    return {
      sha256,
      sizeBytes,
      head: head.head,
      localPath,
      commit: async () => {
        if (settled) throw new Error('staged file already committed or discarded');
        settled = true;
        return this.commitStaged(localPath, sha256, sizeBytes);
      },
      discard: async () => {
        if (settled) return;
        settled = true;
        await fsp.rm(localPath, { force: true });
      },
    };
  }

  private async commitStaged(localPath: string, sha256: string, sizeBytes: number): Promise<{ created: boolean }> {
    const target = this.path(sha256);
    const existing = await fsp.stat(target).catch(() => undefined);
    if (existing !== undefined && existing.size === sizeBytes) {
      // Same bytes already stored: the original is never rewritten.
      await fsp.rm(localPath, { force: true });
      return { created: false };
    }
    if (existing !== undefined) {
      // A stored original of the wrong size was damaged; keep it for
      // investigation (verify names it) and do not overwrite evidence.
      await fsp.rm(localPath, { force: true });
      throw new DomainError(
        'constraint_violated',
        `The stored original ${sha256} is damaged (size ${existing.size}, expected ${sizeBytes}); run \`armtrace verify\` and restore it from a backup.`,
      );
    }
    await fsp.chmod(localPath, 0o444);
    const directory = path.dirname(target);
    await fsp.mkdir(directory, { recursive: true });
    // link() then unlink() is a rename that refuses to replace: if another
    // writer committed the same bytes meanwhile, the stored original stays.
    try {
      await fsp.link(localPath, target);
      await fsp.rm(localPath, { force: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        await fsp.rm(localPath, { force: true });
        return { created: false };
      }
      // File systems without hard links: a plain rename, after checking again.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
      if (await this.has(sha256)) {
        await fsp.rm(localPath, { force: true });
        return { created: false };
      }
      await fsp.rename(localPath, target);
    }
    await fsyncDirectory(directory);
    return { created: true };
  }

  async put(source: Readable, options: StageOptions): Promise<{ sha256: string; sizeBytes: number; created: boolean }> {
    const staged = await this.stage(source, options);
    const { created } = await staged.commit();
    return { sha256: staged.sha256, sizeBytes: staged.sizeBytes, created };
  }

  async has(sha256: string): Promise<boolean> {
    return fsp
      .access(this.path(sha256))
      .then(() => true)
      .catch(() => false);
  }

  async get(sha256: string, range?: ByteRange): Promise<Readable> {
    const file = this.path(sha256);
    const handle = await fsp.open(file, 'r').catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new DomainError(
          'not_found',
          `The original ${sha256} is missing from the store; run \`armtrace verify\`.`,
        );
      }
      throw error;
    });
    return handle.createReadStream({ highWaterMark: 1024 * 1024, ...range });
  }

  async rehash(sha256: string): Promise<{ sha256: string; sizeBytes: number } | undefined> {
    let stream: Readable;
    try {
      stream = await this.get(sha256);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not_found') return undefined;
      throw error;
    }
    const hash = createHash('sha256');
    let sizeBytes = 0;
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      sizeBytes += (chunk as Buffer).length;
    }
    return { sha256: hash.digest('hex'), sizeBytes };
  }

  private derivativePath(parentSha256: string, name: string): string {
    checkHash(parentSha256);
    if (!/^[a-z0-9-]+\.[a-z0-9]+$/.test(name)) throw new Error(`bad derivative name: ${name}`);
    return path.join(this.root, 'derivatives', parentSha256.slice(0, 2), parentSha256, name);
  }

  async getDerivative(parentSha256: string, name: string): Promise<Buffer | undefined> {
    return fsp.readFile(this.derivativePath(parentSha256, name)).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    });
  }

  async putDerivative(parentSha256: string, name: string, bytes: Buffer): Promise<void> {
    const target = this.derivativePath(parentSha256, name);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.partial`;
    await fsp.writeFile(temporary, bytes, { flag: 'wx' });
    // Derivatives can always be made again, so a rename without fsync is enough.
    await fsp.rename(temporary, target);
  }

  async removeAbandonedFiles(before: Date): Promise<number> {
    let removed = 0;
    // Only `.partial` files, and only old ones: a younger one may be an upload in progress.
    for (const directory of [path.join(this.root, 'tmp'), path.join(this.root, 'derivatives')]) {
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
}

/** The store of this installation: under the data directory, with the embedded database or PostgreSQL alike. */
export function createMediaStore(config: { dataDir: string }): MediaStore {
  return new DiskMediaStore(path.join(config.dataDir, 'media'));
}

/** Opens a local file as a stream with large reads (fewer system calls for big files). */
export function openLocalFile(file: string): Readable {
  return fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
}
