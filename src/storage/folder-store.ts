import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { DomainError } from '../errors.js';
import {
  checkDerivativeName,
  checkHash,
  checkJobResult,
  checkStagingId,
  missingJobResult,
  missingStaging,
  hashStream,
  missingOriginal,
  removeOldPartialFiles,
  settleOnce,
  stageToFile,
  type ByteRange,
  type EvidenceStore,
  type StagedFile,
  type StagedOriginal,
  type StageOptions,
  type StoredObject,
} from './evidence-store.js';

async function fsyncDirectory(directory: string): Promise<void> {
  const handle = await fsp.open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const HEX_PAIR = /^[0-9a-f]{2}$/;
const HASH_NAME = /^[0-9a-f]{64}$/;

async function sortedNames(directory: string, pattern: RegExp): Promise<string[]> {
  const names = await fsp.readdir(directory).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [] as string[];
    throw error;
  });
  return names.filter((name) => pattern.test(name)).sort();
}

/**
 * Originals under `<root>/sha256/ab/cd/<hash>`, read-only; staging files in
 * `<root>/tmp`; derivatives under `<root>/derivatives/ab/<parent hash>/`; files
 * kept for a while (imports awaiting confirmation) in `<root>/staging/<id>`.
 *
 * @example
 * const store = new FolderEvidenceStore('/srv/armtrace/media');
 * const { sha256 } = await store.put(fs.createReadStream('IMG_0412.JPG'), { maxBytes: 200e6 });
 */
export class FolderEvidenceStore implements EvidenceStore {
  readonly kind = 'folder' as const;

  constructor(readonly root: string) {}

  get location(): string {
    return this.root;
  }

  /** The file of an original (whether or not it is stored). Folder store only: tests and tools read it. */
  path(sha256: string): string {
    checkHash(sha256);
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  locate(sha256: string): string {
    return this.path(sha256);
  }

  async stage(source: Readable, options: StageOptions): Promise<StagedOriginal> {
    const staged = await stageToFile(path.join(this.root, 'tmp'), source, options);
    return settleOnce(staged, (file) => this.commitStaged(file));
  }

  private async commitStaged({ localPath, sha256, sizeBytes }: StagedFile): Promise<{ created: boolean }> {
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
    return (await this.stat(sha256)) !== undefined;
  }

  async stat(sha256: string): Promise<{ sizeBytes: number } | undefined> {
    const stats = await fsp.stat(this.path(sha256)).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    });
    return stats === undefined ? undefined : { sizeBytes: stats.size };
  }

  async get(sha256: string, range?: ByteRange): Promise<Readable> {
    const handle = await fsp.open(this.path(sha256), 'r').catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw missingOriginal(sha256);
      throw error;
    });
    return handle.createReadStream({ highWaterMark: 1024 * 1024, ...range });
  }

  async withLocalFile<T>(sha256: string, use: (file: string) => Promise<T>): Promise<T> {
    if (!(await this.has(sha256))) throw missingOriginal(sha256);
    return use(this.path(sha256));
  }

  async rehash(sha256: string): Promise<StoredObject | undefined> {
    let stream: Readable;
    try {
      stream = await this.get(sha256);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not_found') return undefined;
      throw error;
    }
    return hashStream(stream);
  }

  async *list(after?: string): AsyncIterable<StoredObject> {
    const base = path.join(this.root, 'sha256');
    for (const first of await sortedNames(base, HEX_PAIR)) {
      if (after !== undefined && first < after.slice(0, 2)) continue;
      for (const second of await sortedNames(path.join(base, first), HEX_PAIR)) {
        if (after !== undefined && `${first}${second}` < after.slice(0, 4)) continue;
        for (const name of await sortedNames(path.join(base, first, second), HASH_NAME)) {
          if (after !== undefined && name <= after) continue;
          const stats = await fsp.stat(path.join(base, first, second, name)).catch(() => undefined);
          if (stats?.isFile() === true) yield { sha256: name, sizeBytes: stats.size };
        }
      }
    }
  }

  private derivativePath(parentSha256: string, name: string): string {
    checkHash(parentSha256);
    checkDerivativeName(name);
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

  private jobResultPath(jobId: string, file: string): string {
    checkJobResult(jobId, file);
    return path.join(this.root, 'job-results', jobId, file);
  }

  async putJobResult(jobId: string, file: string, localPath: string): Promise<void> {
    const target = this.jobResultPath(jobId, file);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.partial`;
    await fsp.copyFile(localPath, temporary, fs.constants.COPYFILE_EXCL);
    // Written aside, then renamed: a reader never sees half a file.
    await fsp.rename(temporary, target);
  }

  async getJobResult(jobId: string, file: string): Promise<Readable> {
    const handle = await fsp.open(this.jobResultPath(jobId, file), 'r').catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw missingJobResult(jobId, file);
      throw error;
    });
    return handle.createReadStream({ highWaterMark: 1024 * 1024 });
  }

  private stagingPath(id: string): string {
    return path.join(this.root, 'staging', checkStagingId(id));
  }

  async putStaging(id: string, localPath: string): Promise<void> {
    const target = this.stagingPath(id);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.partial`;
    await fsp.copyFile(localPath, temporary, fs.constants.COPYFILE_EXCL);
    // Written aside, then renamed: a reader never sees half a file.
    await fsp.rename(temporary, target);
  }

  async withStagingFile<T>(id: string, use: (file: string) => Promise<T>): Promise<T> {
    const directory = path.join(this.root, 'tmp');
    await fsp.mkdir(directory, { recursive: true });
    const copy = path.join(directory, `${randomUUID()}.partial`);
    try {
      await fsp.copyFile(this.stagingPath(id), copy, fs.constants.COPYFILE_EXCL).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw missingStaging(id);
        throw error;
      });
      return await use(copy);
    } finally {
      await fsp.rm(copy, { force: true });
    }
  }

  async removeStaging(id: string): Promise<void> {
    await fsp.rm(this.stagingPath(id), { force: true });
  }

  async deleteJobResult(jobId: string, file: string): Promise<void> {
    const target = this.jobResultPath(jobId, file);
    // Checked twice: the names are plain (jobResultPath), and the path is inside job-results/ all the same.
    const area = path.join(this.root, 'job-results') + path.sep;
    if (!path.resolve(target).startsWith(area)) throw new Error(`not a job result: ${target}`);
    await fsp.rm(target, { force: true });
    // The job's folder goes once empty (a try's half-written file is left to removeAbandonedFiles).
    await fsp.rmdir(path.dirname(target)).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    });
  }

  async removeAbandonedFiles(before: Date): Promise<number> {
    const partial = await removeOldPartialFiles(
      [
        path.join(this.root, 'tmp'),
        path.join(this.root, 'derivatives'),
        path.join(this.root, 'job-results'),
        path.join(this.root, 'staging'),
      ],
      before,
    );
    let staged = 0;
    const directory = path.join(this.root, 'staging');
    for (const name of await fsp.readdir(directory).catch(() => [] as string[])) {
      const file = path.join(directory, name);
      const stat = await fsp.stat(file).catch(() => undefined);
      if (stat === undefined || !stat.isFile() || stat.mtime >= before) continue;
      await fsp.rm(file, { force: true });
      staged += 1;
    }
    return partial + staged;
  }
}

/** Opens a local file as a stream with large reads (fewer system calls for big files). */
export function openLocalFile(file: string): Readable {
  return fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
}
