import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DomainError } from '../errors.js';
import { acquireDataDirLock } from './data-dir-lock.js';

const lockModule = pathToFileURL(path.join(import.meta.dirname, 'data-dir-lock.ts')).href;

/** Another process that takes the lock through the real code and keeps it until killed. */
async function holdLockInAnotherProcess(dataDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const { acquireDataDirLock } = await import(${JSON.stringify(lockModule)});
       acquireDataDirLock(process.argv[1]);
       process.stdout.write('locked\\n');
       setInterval(() => {}, 60_000);`,
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [chunk]: unknown[] = await once(child.stdout, 'data');
  assert.equal(String(chunk).trim(), 'locked');
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

function isDataDirLocked(error: unknown, pid: number): boolean {
  return error instanceof DomainError && error.code === 'data_dir_locked' && error.message.includes(`process ${pid}`);
}

describe('data directory lock', () => {
  const tempDirs: string[] = [];
  const children: ChildProcess[] = [];
  const freshDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-lock-'));
    tempDirs.push(dir);
    return dir;
  };
  after(async () => {
    for (const child of children) await stop(child);
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a directory held by another live process, naming its pid, and takes it over once that process is gone', async () => {
    const dataDir = freshDir();
    const holder = await holdLockInAnotherProcess(dataDir);
    children.push(holder);

    assert.throws(
      () => acquireDataDirLock(dataDir),
      (error) => isDataDirLocked(error, holder.pid!),
    );

    // Killed without releasing: the lock file stays behind with a dead pid.
    await stop(holder);
    assert.ok(fs.existsSync(path.join(dataDir, 'armtrace.lock')));
    const lock = acquireDataDirLock(dataDir);
    const content = JSON.parse(fs.readFileSync(lock.path, 'utf8')) as { pid: number };
    assert.equal(content.pid, process.pid);
    lock.release();
  });

  it('refuses a lock file naming a live process', async () => {
    const dataDir = freshDir();
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    children.push(sleeper);
    await once(sleeper, 'spawn');
    fs.writeFileSync(
      path.join(dataDir, 'armtrace.lock'),
      JSON.stringify({ pid: sleeper.pid, hostname: os.hostname(), since: new Date().toISOString() }),
    );
    assert.throws(
      () => acquireDataDirLock(dataDir),
      (error) => isDataDirLocked(error, sleeper.pid!),
    );
    await stop(sleeper);
  });

  it('takes over a stale lock left by a dead process', async () => {
    const dataDir = freshDir();
    const exited = spawn('true', { stdio: 'ignore' });
    await once(exited, 'exit');
    fs.writeFileSync(
      path.join(dataDir, 'armtrace.lock'),
      JSON.stringify({ pid: exited.pid, hostname: os.hostname(), since: new Date().toISOString() }),
    );
    const lock = acquireDataDirLock(dataDir);
    assert.equal((JSON.parse(fs.readFileSync(lock.path, 'utf8')) as { pid: number }).pid, process.pid);
    lock.release();
  });

  it('creates the directory, and release removes the lock so the next process can take it', () => {
    const dataDir = path.join(freshDir(), 'nested', 'data');
    const lock = acquireDataDirLock(dataDir);
    assert.equal(lock.path, path.join(dataDir, 'armtrace.lock'));
    assert.ok(fs.existsSync(lock.path));
    lock.release();
    assert.equal(fs.existsSync(lock.path), false);
    acquireDataDirLock(dataDir).release();
  });

  it('release leaves a lock that another process has since taken', () => {
    const dataDir = freshDir();
    const lock = acquireDataDirLock(dataDir);
    const foreign = JSON.stringify({ pid: 1, hostname: os.hostname(), since: new Date().toISOString() });
    fs.writeFileSync(lock.path, foreign);
    lock.release();
    assert.equal(fs.readFileSync(lock.path, 'utf8'), foreign);
  });
});
