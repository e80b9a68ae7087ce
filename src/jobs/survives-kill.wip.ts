// WORK IN PROGRESS (not yet seen passing: it hung on the loaded machine, see the report); rename to .test.ts once it passes.
// A job survives the server that started it being killed (issue 16): `armtrace serve` in a child process works a
// slow test job, is SIGKILLed mid-job, another `armtrace serve` starts and the job completes, once. On PostgreSQL
// the job is pg-boss's (the first try expires, pg-boss queues it again); on the embedded database the next server
// takes up what the killed one left running. We wait on the job's state, never on a time.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openConfiguredDatabase } from '../cli/context.js';
import { loadConfig } from '../config/config.js';
import { findUserByUsername } from '../features/users/repository.js';
import type { JobResponse } from '../features/jobs/schema.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { createJobQueue } from './index.js';

const repoRoot = path.join(import.meta.dirname, '..', '..');
const bin = path.join(repoRoot, 'bin', 'armtrace.mjs');

interface RunningServer {
  child: ChildProcess;
  exited: Promise<unknown>;
}

function startServer(env: NodeJS.ProcessEnv): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--no-example'], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise((done) => child.on('exit', done));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('armtrace is running at')) resolve({ child, exited });
    });
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`armtrace serve exited (${String(code)}) before it ran:\n${stderr}`)));
  });
}

/** `armtrace job show ID --json` (over the CLI socket on the embedded database, directly on PostgreSQL). */
function showJob(env: NodeJS.ProcessEnv, id: string): Promise<JobResponse> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'job', 'show', id, '--json'], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`job show failed (${String(code)}): ${stderr}`));
      else resolve(JSON.parse(stdout) as JobResponse);
    });
  });
}

async function waitFor(env: NodeJS.ProcessEnv, id: string, done: (job: JobResponse) => boolean): Promise<JobResponse> {
  for (;;) {
    const job = await showJob(env, id);
    if (done(job)) return job;
    await sleep(200);
  }
}

describe('a job survives the server that started it being killed', () => {
  let test: TestDatabase;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  const servers: RunningServer[] = [];

  before(async () => {
    test = await createTestDatabase({ migrated: false });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-jobs-kill-'));
    env = {
      ...process.env,
      ARMTRACE_DATA: dataDir,
      ARMTRACE_LOG_LEVEL: 'silent',
      ARMTRACE_TEST_JOBS: '1',
      ARMTRACE_JOB_RETRY_DELAY_SECONDS: '0',
      // A try not done in 8 s is taken as dead (the test job takes about 2 s on a live server).
      ARMTRACE_JOB_EXPIRE_SECONDS: '8',
      ARMTRACE_JOB_MAINTENANCE_SECONDS: '1',
      ARMTRACE_JOB_POLL_SECONDS: '0.5',
    };
    if (test.kind === 'postgres') {
      assert.ok(test.url !== undefined);
      env.DATABASE_URL = test.url;
    } else {
      // The embedded database in its own data directory (the in-memory test database is not used).
      delete env.DATABASE_URL;
    }
  });
  after(async () => {
    for (const server of servers) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    }
    await test.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('completes once on another server after a SIGKILL mid-job', async () => {
    // Queue the job as the program does (pg-boss on PostgreSQL, the jobs table on the embedded database).
    const config = loadConfig(env);
    const { database } = await openConfiguredDatabase(config);
    let id: string;
    try {
      const admin = await findUserByUsername(database.db, 'admin');
      assert.ok(admin !== undefined);
      const queue = createJobQueue(database, config);
      ({ id } = await queue.enqueue('test.steps', { steps: 8, stepMs: 250 }, { createdBy: admin.id, maxAttempts: 3 }));
      await queue.stop();
    } finally {
      await database.close();
    }

    const first = await startServer(env);
    servers.push(first);
    const running = await waitFor(env, id, (job) => job.state === 'running' && (job.progress.done ?? 0) >= 1);
    assert.equal(running.attempts, 1);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startServer(env);
    servers.push(second);
    const job = await waitFor(env, id, (shown) => shown.state === 'succeeded' || shown.state === 'failed');
    assert.equal(job.state, 'succeeded', JSON.stringify(job.problem));
    // The killed try and the one that finished: the work was done to the end once.
    assert.equal(job.attempts, 2);
    assert.ok(job.result !== null);
    const kept = fs.readFileSync(path.join(dataDir, 'job-results', id, job.result.file), 'utf8');
    assert.equal(kept, 'steps 8, attempt 2\n');
  });
});
