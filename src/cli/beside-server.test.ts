import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { succeeded, type CliResult } from '../testing/cli.js';
import { createTestDatabase } from '../testing/test-database.js';
import { SOCKET_FILE } from './socket-protocol.js';

const repoRoot = path.join(import.meta.dirname, '..', '..');
const bin = path.join(repoRoot, 'bin', 'armtrace.mjs');

interface RunningServer {
  child: ChildProcess;
  address: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Runs the real CLI in its own process, as a user in another terminal would. */
function armtrace(env: NodeJS.ProcessEnv, args: string[], cwd = repoRoot): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `armtrace serve` in a child process and waits until it says where it runs. */
function startServer(env: NodeJS.ProcessEnv): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--no-example'], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const running = /armtrace is running at (\S+)\n[\s\S]*Sign in[^\n]*\n[\s\S]*\n$/.exec(stderr);
      if (running !== null && stderr.includes('CLI works beside this server')) {
        resolve({ child, address: running[1]!, stderr: () => stderr, exited });
      }
    });
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`armtrace serve exited (${code}) before it ran:\n${stderr}`)));
  });
}

async function stopServer(server: RunningServer, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  server.child.kill(signal);
  await server.exited;
}

describe('the CLI beside a running armtrace serve on the embedded database', () => {
  let dataDir: string;
  let workDir: string;
  let env: NodeJS.ProcessEnv;
  let server: RunningServer | undefined;

  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-beside-'));
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-beside-cwd-'));
    // The socket exists for the embedded database only: this file runs on it also in the PostgreSQL pass.
    env = { ...process.env, ARMTRACE_DATA: dataDir, ARMTRACE_LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
  });
  after(async () => {
    if (server !== undefined && server.child.exitCode === null && server.child.signalCode === null) {
      await stopServer(server);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('runs user password, investigation list --json and verify in the server, with the output of a CLI run alone', async () => {
    server = await startServer(env);
    const socket = path.join(dataDir, SOCKET_FILE);
    const stats = fs.statSync(socket);
    assert.ok(stats.isSocket(), 'the server made a socket in the data directory');
    assert.equal((stats.mode & 0o777).toString(8), '600', 'only its owner may connect');
    assert.equal(stats.uid, process.getuid!());

    const created = JSON.parse(
      succeeded(await armtrace(env, ['investigation', 'add', '--title', 'Depot survey', '--json'])),
    ) as { id: string; title: string };
    assert.equal(created.title, 'Depot survey');

    const reset = succeeded(await armtrace(env, ['user', 'password', 'admin']));
    const password = /^New password for admin: (\S{12,})\n$/.exec(reset)?.[1];
    assert.ok(password !== undefined, reset);
    // The server itself now takes the new password: the command ran on its database.
    const signIn = await fetch(`${server.address}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    assert.equal(signIn.status, 200, await signIn.text());

    const listedRemotely = succeeded(await armtrace(env, ['investigation', 'list', '--json']));
    assert.deepEqual(
      (JSON.parse(listedRemotely) as { items: { id: string }[] }).items.map((item) => item.id),
      [created.id],
    );

    // Errors and exit codes come back as they are.
    const missing = await armtrace(env, ['investigation', 'show', uuidv7()]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error \[not_found\]/);

    // A relative path is the client's: the file lands in the directory the command was typed in.
    const exported = succeeded(
      await armtrace(env, ['export', 'json', 'depot.json', '--investigation', created.id], workDir),
    );
    assert.match(exported, new RegExp(`to ${path.join(workDir, 'depot.json').replaceAll('/', '\\/')}\\n$`));
    const document = JSON.parse(fs.readFileSync(path.join(workDir, 'depot.json'), 'utf8')) as {
      investigation: { id: string };
    };
    assert.equal(document.investigation.id, created.id);

    // What cannot run inside the server says so and why; a second server still meets the lock.
    const migrate = await armtrace(env, ['migrate']);
    assert.equal(migrate.code, 1);
    assert.match(migrate.stderr, /error \[data_dir_locked\]: `armtrace migrate` cannot run while `armtrace serve`/);
    assert.match(migrate.stderr, /applied its migrations when it started/);
    const second = await armtrace(env, ['serve', '--port', '0']);
    assert.equal(second.code, 1);
    assert.match(
      second.stderr,
      new RegExp(`error \\[data_dir_locked\\]: The data directory .* in use by process ${server.child.pid}`),
    );

    const verifiedRemotely = succeeded(await armtrace(env, ['verify']));
    assert.match(verifiedRemotely, /^OK: \d+ audit entries chain correctly/);

    await stopServer(server);
    assert.equal(fs.existsSync(socket), false, 'a stopped server removes its socket');

    // Alone, the CLI opens the data directory itself and prints the same.
    assert.equal(succeeded(await armtrace(env, ['verify'])), verifiedRemotely);
    assert.equal(succeeded(await armtrace(env, ['investigation', 'list', '--json'])), listedRemotely);
    assert.match(succeeded(await armtrace(env, ['user', 'password', 'admin'])), /^New password for admin: \S{12,}\n$/);
  });

  it('a server killed without stopping leaves a stale socket: the CLI runs alone, and the next server replaces it', async () => {
    server = await startServer(env);
    await stopServer(server, 'SIGKILL');
    const socket = path.join(dataDir, SOCKET_FILE);
    assert.ok(fs.statSync(socket).isSocket(), 'the killed server left its socket');

    const listed = JSON.parse(succeeded(await armtrace(env, ['investigation', 'list', '--json']))) as {
      items: unknown[];
    };
    assert.equal(listed.items.length, 1);

    server = await startServer(env);
    assert.equal((fs.statSync(socket).mode & 0o777).toString(8), '600');
    assert.match(succeeded(await armtrace(env, ['verify'])), /^OK: /);
    await stopServer(server);
  });

  // PostgreSQL has no lock and needs no socket; this case exists in the PostgreSQL pass (DATABASE_URL set).
  const onPostgres = process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '';
  if (onPostgres)
    it('on PostgreSQL the server opens no socket and the CLI uses the database directly', async () => {
      const database = await createTestDatabase({ migrated: false });
      const postgresDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-beside-pg-'));
      const pgEnv = { ...env, ARMTRACE_DATA: postgresDir, DATABASE_URL: database.url };
      const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--no-example'], {
        cwd: repoRoot,
        env: pgEnv,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      try {
        let stderr = '';
        await new Promise<void>((resolve, reject) => {
          child.stderr.on('data', (chunk: Buffer) => {
            stderr += chunk.toString();
            if (/Sign in[^\n]*\n/.test(stderr)) resolve();
          });
          child.on('exit', (code) => reject(new Error(`armtrace serve exited (${code}):\n${stderr}`)));
        });
        assert.doesNotMatch(stderr, /CLI works beside this server/);
        assert.equal(fs.existsSync(path.join(postgresDir, SOCKET_FILE)), false);
        const listed = JSON.parse(succeeded(await armtrace(pgEnv, ['investigation', 'list', '--json']))) as {
          items: unknown[];
        };
        assert.deepEqual(listed.items, []);
      } finally {
        const exited = new Promise((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        await exited;
        await database.close();
        fs.rmSync(postgresDir, { recursive: true, force: true });
      }
    });
});
