// Bag export and verify as jobs, through the API (202, progress, the result downloaded) and the CLI (`armtrace job
// bag|verify --wait --json`, where the CLI's own process runs the job when no server runs). The queue of the
// deployment: in-process on the embedded database, pg-boss on PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../http/app.js';
import type { ApiApp } from '../../http/types.js';
import { createEvidenceStore } from '../../storage/create.js';
import { startTestJobs, waitForJob, type TestJobs } from '../../testing/jobs.js';
import { createCliSandbox, succeeded, type CliSandbox } from '../../testing/cli.js';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { addMember } from '../investigations/service.js';
import type { JobAcceptedResponse, JobResponse } from './schema.js';

describe('bag export and verify as jobs', () => {
  let world: TestWorld;
  let jobs: TestJobs;
  let app: ApiApp;
  let ownerCookie: string;
  let adminCookie: string;

  before(async () => {
    world = await createTestWorld();
    ownerCookie = await world.cookieFor('owner');
    adminCookie = await world.cookieFor('admin');
    const store = createEvidenceStore(world.config);
    // The deployment's queue (pg-boss on PostgreSQL), a failed try waiting the queue's own backoff.
    jobs = await startTestJobs(world.test, store, world.config, { pgBoss: true, retryDelaySeconds: null });
    app = await buildApp({ db: world.db, config: world.config, store, logger: false, jobs: jobs.queue });
  });
  after(async () => {
    await app.close();
    await jobs.stop();
    await world.close();
  });

  const finished = (id: string, cookie: string): Promise<JobResponse> => waitForJob(app, id, cookie);

  it('exports a bag as a job: 202, progress to the end, the tar file as the result; the same request joins the job', async () => {
    const start = () =>
      app.inject({
        method: 'POST',
        url: `/api/v1/investigations/${world.investigationId}/bag-jobs`,
        headers: { cookie: ownerCookie },
        payload: { profile: 'internal' },
      });
    const [first, second] = await Promise.all([start(), start()]);
    assert.equal(first.statusCode, 202, first.body);
    assert.equal(second.statusCode, 202, second.body);
    const accepted = [first.json<JobAcceptedResponse>(), second.json<JobAcceptedResponse>()];
    // Never twice at once: both requests name one job.
    assert.equal(accepted[0]!.job.id, accepted[1]!.job.id);
    assert.deepEqual(accepted.map((answer) => answer.existing).sort(), [false, true]);
    const job = await finished(accepted[0]!.job.id, ownerCookie);
    assert.equal(job.state, 'succeeded', JSON.stringify(job.problem));
    assert.equal(job.name, 'bag.export');
    assert.deepEqual(job.progress, { done: 3, total: 3, message: 'done' });
    assert.ok(job.result !== null);
    assert.equal(job.result.media_type, 'application/x-tar');
    const download = await app.inject({ method: 'GET', url: job.result.url, headers: { cookie: ownerCookie } });
    assert.equal(download.statusCode, 200);
    assert.equal(download.rawPayload.length, job.result.bytes);
    assert.match(download.rawPayload.toString('latin1'), /bag-info\.txt/);
    // The job is its starter's: another member (whose clearance may be lower) finds neither it nor its result.
    await createTestUser(world.db, 'job-viewer');
    await addMember(world.db, world.owner, world.investigationId, { username: 'job-viewer', role: 'viewer' });
    const viewerCookie = await world.cookieFor('job-viewer');
    for (const url of [`/api/v1/jobs/${job.id}`, job.result.url]) {
      const hidden = await app.inject({ method: 'GET', url, headers: { cookie: viewerCookie } });
      assert.equal(hidden.statusCode, 404, `${url}: ${hidden.body}`);
    }
    // Someone outside the investigation cannot start one.
    const refused = await app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/bag-jobs`,
      headers: { cookie: await world.cookieFor('outsider') },
      payload: { profile: 'internal' },
    });
    assert.equal(refused.statusCode, 404);
  });

  it('runs verify as a job (administrators): progress counted, the verify report as the result', async () => {
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/audit/verify-jobs',
      headers: { cookie: ownerCookie },
    });
    assert.equal(refused.statusCode, 403, refused.body);
    const accepted = await app.inject({
      method: 'POST',
      url: '/api/v1/audit/verify-jobs',
      headers: { cookie: adminCookie },
    });
    assert.equal(accepted.statusCode, 202, accepted.body);
    const job = await finished(accepted.json<JobAcceptedResponse>().job.id, adminCookie);
    assert.equal(job.state, 'succeeded', JSON.stringify(job.problem));
    assert.ok((job.progress.done ?? 0) > 0);
    assert.match(job.progress.message ?? '', /audit entries/);
    assert.ok(job.result !== null);
    const download = await app.inject({ method: 'GET', url: job.result.url, headers: { cookie: adminCookie } });
    const report = download.json<{ ok: boolean }>();
    assert.equal(report.ok, true, download.body);
  });
});

describe('armtrace job bag|verify --wait --json', () => {
  let cli: CliSandbox;
  before(async () => {
    cli = await createCliSandbox('armtrace-job-cli-');
  });
  after(async () => {
    await cli.close();
  });

  it('queues the job and, with no server running, runs it in the CLI to its end', async () => {
    const investigation = JSON.parse(
      succeeded(await cli.run('investigation', 'add', '--title', 'Jobs from the CLI', '--json')),
    ) as { id: string };
    const bag = JSON.parse(succeeded(await cli.run('job', 'bag', investigation.id, '--wait', '--json'))) as JobResponse;
    assert.equal(bag.state, 'succeeded', JSON.stringify(bag.problem));
    assert.equal(bag.name, 'bag.export');
    assert.ok(bag.result !== null && bag.result.bytes > 0);
    const verify = JSON.parse(succeeded(await cli.run('job', 'verify', '--wait', '--json'))) as JobResponse;
    assert.equal(verify.state, 'succeeded', JSON.stringify(verify.problem));
    const shown = JSON.parse(succeeded(await cli.run('job', 'show', verify.id, '--json'))) as JobResponse;
    assert.equal(shown.state, 'succeeded');
  });
});
