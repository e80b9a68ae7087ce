import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DomainError } from '../errors.js';

const LOCK_FILE = 'armtrace.lock';

interface LockContent {
  pid: number;
  hostname: string;
  since: string;
}

/** An exclusive hold on a data directory, released by {@link DataDirLock.release}. */
export interface DataDirLock {
  readonly path: string;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(lockPath: string): LockContent | undefined {
  try {
    return JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockContent;
  } catch {
    return undefined;
  }
}

/**
 * Takes the data directory for this process. PGlite has no cross-process
 * locking, and two processes on one directory silently lose writes, so a
 * second process must be refused. A lock left by a dead process (same host,
 * pid gone) is taken over.
 *
 * @example
 * const lock = acquireDataDirLock('./armtrace-data');
 * try { ... } finally { lock.release(); }
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  const content: LockContent = { pid: process.pid, hostname: os.hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify(content), { flag: 'wx' });
      return {
        path: lockPath,
        release() {
          if (readLock(lockPath)?.pid === process.pid) fs.rmSync(lockPath, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readLock(lockPath);
    const stale =
      holder === undefined || (holder.hostname === os.hostname() && holder.pid !== process.pid && !isAlive(holder.pid));
    if (!stale) {
      throw new DomainError(
        'data_dir_locked',
        `The data directory ${dataDir} is in use by process ${holder.pid} on ${holder.hostname} (since ${holder.since}). ` +
          'Stop that process, or point ARMTRACE_DATA at another directory.',
      );
    }
    fs.rmSync(lockPath, { force: true });
  }
  throw new DomainError('data_dir_locked', `Could not take the lock ${lockPath}; another process keeps replacing it.`);
}
