// A job survives the server that started it being killed (issue 16). `armtrace serve` (with the queue's test jobs)
// runs in a child process, takes a job that holds until a file exists, and is SIGKILLed in the middle of it;
// another `armtrace serve` starts and the job completes there, once, its result in the evidence store.
// On PostgreSQL the job is pg-boss's: the killed try expires (ARMTRACE_JOB_EXPIRE_SECONDS, short here through the
// configuration) and pg-boss queues it again for the live server. On the embedded database (one process at a
// time) the restarted serve takes up the job the killed one left running. We wait on states, never on times.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openConfiguredDatabase } from '../cli/context.js';
import { buildProgram } from '../cli/main.js';
import { loadConfig } from '../config/config.js';
import type { JobResponse } from '../features/jobs/schema.js';
import { createEvidenceStore } from '../storage/create.js';
import { createTestDatabase, createTestUser, testPassword, type TestDatabase } from '../testing/test-database.js';
import { createJobQueue } from './index.js';

const repoRoot = path.join(import.meta.dirname, '..', '..');
const serveWithTestJobs = path.join(repoRoot, 'src', 'testing', 'serve-with-test-jobs.ts');

interface RunningServer {
  child: ChildProcess;
  exited: Promise<unknown>;
  /** `http://127.0.0.1:<port>` */
  address: string;
}

function startServer(env: NodeJS.ProcessEnv): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', serveWithTestJobs, 'serve', '--port', '0', '--host', '127.0.0.1', '--no-example'],
      { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    const exited = new Promise((done) => child.on('exit', done));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const running = /armtrace is running at (http:\/\/\S+)/.exec(stderr);
      if (running !== null) resolve({ child, exited, address: running[1]! });
    });
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`armtrace serve exited (${String(code)}) before it ran:\n${stderr}`)));
  });
}

/** Signs in on a server (sessions are in the database: any server knows them). */
async function signIn(server: RunningServer, username: string): Promise<string> {
  const response = await fetch(`${server.address}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: testPassword }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

/** GET /api/v1/jobs/{id} until `reached` holds; a job that ends before that fails the test (never waits forever). */
async function waitFor(
  server: RunningServer,
  cookie: string,
  id: string,
  reached: (job: JobResponse) => boolean,
): Promise<JobResponse> {
  for (;;) {
    const response = await fetch(`${server.address}/api/v1/jobs/${id}`, { headers: { cookie } });
    assert.equal(response.status, 200);
    const job = (await response.json()) as JobResponse;
    if (reached(job)) return job;
    if (job.state === 'succeeded' || job.state === 'failed') {
      assert.fail(`job ${id} ended ${job.state} before the state awaited: ${JSON.stringify(job)}`);
    }
    await sleep(100);
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
      ARMTRACE_FROM_SOURCE: '1',
      // pg-boss timing through the configuration: a try not finished in 15 s counts as dead (pg-boss 10 has no
      // heartbeat: the expiry counts from the start of the try, so it must outlast the few seconds between the
      // job being seen at work and the kill); expired tries are looked for every second; idle servers ask for
      // work every half second.
      ARMTRACE_JOB_EXPIRE_SECONDS: '15',
      ARMTRACE_JOB_MAINTENANCE_SECONDS: '1',
      ARMTRACE_JOB_POLL_SECONDS: '0.5',
      ARMTRACE_JOB_RETRY_DELAY_SECONDS: '0',
    };
    if (test.kind === 'postgres') {
      assert.ok(test.url !== undefined, 'the PostgreSQL test database has a URL');
      env.DATABASE_URL = test.url;
    } else {
      // The embedded database in this data directory (the in-memory test database cannot be shared).
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

  it('completes once on the next server after a SIGKILL mid-job', async () => {
    const releaseFile = path.join(dataDir, 'release');
    // Queued as the program queues (pg-boss on PostgreSQL, the jobs table on the embedded database).
    buildProgram(); // installs the authentication openConfiguredDatabase needs to make the first admin
    const config = loadConfig(env);
    const { database } = await openConfiguredDatabase(config);
    let id: string;
    try {
      const tester = await createTestUser(database.db, 'tester', true);
      const queue = createJobQueue(database, config, createEvidenceStore(config));
      ({ id } = await queue.enqueue('test.hold', { releaseFile }, { createdBy: tester.userId, maxAttempts: 3 }));
      await queue.stop();
    } finally {
      await database.close();
    }
    const expectedRunner = test.kind === 'postgres' ? 'pg-boss' : 'in-process';

    const first = await startServer(env);
    servers.push(first);
    const held = await waitFor(first, await signIn(first, 'tester'), id, (job) => job.progress.done === 0);
    assert.equal(held.attempts, 1, `the ${expectedRunner} queue took the job once`);
    first.child.kill('SIGKILL');
    await first.exited;
    // The work can now end; the killed server never sees it.
    fs.writeFileSync(releaseFile, '');

    const second = await startServer(env);
    servers.push(second);
    const job = await waitFor(second, await signIn(second, 'tester'), id, (shown) => shown.state === 'succeeded');
    // The killed try and the one that finished: the work was done to the end once.
    assert.equal(job.attempts, 2);
    assert.ok(job.result !== null);
    const kept = await text(await createEvidenceStore(config).getJobResult(id, job.result.file));
    assert.equal(kept, 'released on try 2\n');
  });
});
