/**
 * The real armtrace CLI in child processes, as a user runs it, on a data folder of its own. On the PostgreSQL pass
 * (DATABASE_URL set) it also gets a fresh, unmigrated database of its own, just as on PGlite it gets an empty
 * folder: `armtrace init` or the first command migrates it.
 *
 * The commands run a build of the CLI made from this checkout's sources when the test file first needs it
 * ({@link armtraceCommand}), not `bin/armtrace.mjs` through tsx: loading the sources through tsx costs each
 * process more than a second of CPU, and a CLI test file runs dozens of commands. Built in the same process from
 * the same tree, it can never be a stale build.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTestDatabase, type TestDatabase } from './test-database.js';

const repoRoot = path.join(import.meta.dirname, '..', '..');

/**
 * What bin/armtrace.mjs does once it has loaded the CLI: run it and keep its exit code (a server keeps running).
 * A command other than `serve` lives a few seconds: there V8's optimising compiler costs more CPU than it saves on
 * PGlite's WebAssembly (measured: "investigation list" 1.75 -> 1.2 CPU-s, "init" 6.9 -> 4.9), so it is left
 * off before the database is opened. Only the CPU time changes, never what a command does.
 */
const entrySource = `import v8 from 'node:v8';
import { runCli } from ${JSON.stringify(path.join(repoRoot, 'src', 'cli', 'main.ts'))};
if (!process.argv.includes('serve')) v8.setFlagsFromString('--liftoff-only');
const code = await runCli(process.argv.slice(2));
if (code !== 0 || !process.argv.includes('serve')) process.exitCode = code;
`;

let build: Promise<string> | undefined;

/**
 * The command that runs the armtrace CLI of this checkout: `node <one-file build of src/cli/main.ts>`, bundled with
 * esbuild (which tsx runs on) into a temporary folder on first use and removed when the process exits. Packages
 * stay outside the bundle (a `node_modules` link beside it), and each source file's `import.meta.url` is the
 * source file's own, so paths found from it (migrations, web/dist) are those the sources find.
 *
 * @example
 * const [command, ...args] = await armtraceCommand();
 * const child = spawn(command, [...args, 'serve', '--port', '0'], { env });
 */
export async function armtraceCommand(): Promise<[string, ...string[]]> {
  build ??= buildCli();
  return [process.execPath, await build];
}

async function buildCli(): Promise<string> {
  const esbuild = await import('esbuild');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-cli-build-'));
  process.on('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
  const entry = path.join(folder, 'armtrace-entry.ts');
  fs.writeFileSync(entry, entrySource);
  const sources = path.join(repoRoot, 'src') + path.sep;
  try {
    // Split at every dynamic import(): the server, and the modules only some commands need, are then chunks a
    // command loads only when it uses them, with the packages they import (each command costs less CPU).
    await esbuild.build({
      entryPoints: { armtrace: entry },
      outdir: folder,
      outExtension: { '.js': '.mjs' },
      splitting: true,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node}`,
      sourcemap: 'linked',
      logLevel: 'error',
      plugins: [
        {
          name: 'source-import-meta',
          setup(plugin) {
            plugin.onLoad({ filter: /\.ts$/ }, (args) => {
              if (!args.path.startsWith(sources)) return undefined;
              const contents = fs
                .readFileSync(args.path, 'utf8')
                .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
                .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
                .replaceAll('import.meta.filename', JSON.stringify(args.path));
              return { contents, loader: 'ts' };
            });
          },
        },
      ],
    });
  } finally {
    await esbuild.stop();
  }
  return path.join(folder, 'armtrace.mjs');
}

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
    run: async (...args) => {
      const [command, ...commandArgs] = await armtraceCommand();
      return new Promise((resolve, reject) => {
        const child = spawn(command, [...commandArgs, ...args], {
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
      });
    },
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
