/**
 * The real armtrace CLI in child processes, as a user runs it, on a data folder of its own. On the PostgreSQL pass
 * (DATABASE_URL set) it also gets a fresh, unmigrated database of its own, just as on PGlite it gets an empty
 * folder: `armtrace init` or the first command migrates it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from './test-database.js';

const repoRoot = path.join(import.meta.dirname, '..', '..');
const bin = path.join(repoRoot, 'bin', 'armtrace.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliSandbox {
  /** A temporary folder for the test's own files, removed by {@link CliSandbox.close}. */
  root: string;
  /** The environment every command runs with: `ARMTRACE_DATA` (`<root>/data`), and `DATABASE_URL` on PostgreSQL. */
  env: NodeJS.ProcessEnv;
  /** Runs `armtrace <args>` from the repository's root and resolves when it exits (never rejects on a failure). */
  run(...args: string[]): Promise<CliResult>;
  close(): Promise<void>;
}

/**
 * @example
 * const cli = await createCliSandbox('armtrace-forms-cli-');
 * const investigations = JSON.parse(succeeded(await cli.run('investigation', 'list', '--json')));
 * await cli.close();
 */
export async function createCliSandbox(prefix: string): Promise<CliSandbox> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ARMTRACE_DATA: path.join(root, 'data'),
    ARMTRACE_LOG_LEVEL: 'silent',
  };
  delete env.DATABASE_URL;
  let database: TestDatabase | undefined;
  if (process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '') {
    database = await createTestDatabase({ migrated: false });
    env.DATABASE_URL = database.url;
  }
  return {
    root,
    env,
    run: (...args) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [bin, ...args], {
          cwd: repoRoot,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      }),
    close: async () => {
      await database?.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The command's standard output, after asserting it exited 0 (the message shows both outputs otherwise). */
export function succeeded(result: CliResult): string {
  assert.equal(result.code, 0, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result.stdout;
}
