// The job queue through the API on both databases: the in-process queue everywhere, and pg-boss too on PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiApp } from '../../http/types.js';
import { registerTestJobs, startQueueApps, startTestJobs, waitForJob, type QueueApps } from '../../testing/jobs.js';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import type { JobResponse } from './schema.js';

describe('jobs', () => {
  let world: TestWorld;
  // Undefined until before() got that far, so after() cleans up only what exists.
  let queues: QueueApps | undefined;
  let ownerCookie: string;
  let outsiderCookie: string;

  before(async () => {
    world = await createTestWorld();
    ownerCookie = await world.cookieFor('owner');
    outsiderCookie = await world.cookieFor('outsider');
    queues = await startQueueApps(world, { jobs: 'features', register: [registerTestJobs] });
  });
  after(async () => {
    await queues?.close();
    await world.close();
  });

  async function getJob(app: ApiApp, id: string, cookie = ownerCookie): Promise<{ status: number; job: JobResponse }> {
    const response = await app.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: { cookie } });
    return { status: response.statusCode, job: response.json<JobResponse>() };
  }

  const finished = (app: ApiApp, id: string): Promise<JobResponse> => waitForJob(app, id, ownerCookie);

  it('runs a job; its progress, state and result are visible through the API to who may see the investigation', async () => {
    for (const { kind, queue, app } of queues!.setups) {
      const { id } = await queue.enqueue(
        'test.steps',
        { steps: 3, stepMs: 20 },
        { investigationId: world.investigationId, createdBy: world.owner.userId },
      );
      const job = await finished(app, id);
      assert.equal(job.state, 'succeeded', kind);
      assert.deepEqual(job.progress, { done: 3, total: 3, message: 'done' }, kind);
      assert.equal(job.attempts, 1, kind);
      assert.ok(job.result !== null, kind);
      const download = await app.inject({ method: 'GET', url: job.result.url, headers: { cookie: ownerCookie } });
      assert.equal(download.statusCode, 200, kind);
      assert.equal(download.body, 'steps 3, attempt 1\n', kind);
      // Who may not see the investigation is told the job does not exist, and cannot download its result.
      assert.equal((await getJob(app, id, outsiderCookie)).status, 404, kind);
      const refused = await app.inject({ method: 'GET', url: job.result.url, headers: { cookie: outsiderCookie } });
      assert.equal(refused.statusCode, 404, kind);
    }
  });

  it('retries a failing job up to its bound, then shows it failed with its problem', async () => {
    for (const { kind, queue, app } of queues!.setups) {
      const { id } = await queue.enqueue(
        'test.fail',
        { failTimes: null },
        { investigationId: world.investigationId, createdBy: world.owner.userId, maxAttempts: 3 },
      );
      const job = await finished(app, id);
      assert.equal(job.state, 'failed', kind);
      assert.equal(job.attempts, 3, kind);
      assert.deepEqual(job.problem, { code: 'internal', detail: 'test failure on try 3' }, kind);
      // One failure, then success: the second try's result stands and the problem is gone.
      const flaky = await queue.enqueue(
        'test.fail',
        { failTimes: 1 },
        { investigationId: world.investigationId, createdBy: world.owner.userId, maxAttempts: 3 },
      );
      const recovered = await finished(app, flaky.id);
      assert.equal(recovered.state, 'succeeded', kind);
      assert.equal(recovered.attempts, 2, kind);
      assert.equal(recovered.problem, null, kind);
    }
  });

  it('runs the same singleton key once while it waits or runs', async () => {
    for (const { kind, queue, app } of queues!.setups) {
      const options = {
        investigationId: world.investigationId,
        createdBy: world.owner.userId,
        singletonKey: `k-${kind}`,
      };
      const first = await queue.enqueue('test.steps', { steps: 5, stepMs: 20 }, options);
      const second = await queue.enqueue('test.steps', { steps: 5, stepMs: 20 }, options);
      assert.equal(second.id, first.id, kind);
      assert.equal(first.existing, false, kind);
      assert.equal(second.existing, true, kind);
      const job = await finished(app, first.id);
      assert.equal(job.state, 'succeeded', kind);
      assert.equal(job.attempts, 1, kind);
      const rows = await world.db.selectFrom('jobs').select('id').where('singleton_key', '=', `k-${kind}`).execute();
      assert.equal(rows.length, 1, kind);
      // Once finished, the key is free again.
      const later = await queue.enqueue('test.steps', { steps: 1, stepMs: 1 }, options);
      assert.notEqual(later.id, first.id, kind);
      assert.equal((await finished(app, later.id)).state, 'succeeded', kind);
    }
  });

  it('prints the PDF report as a job: 202, then the PDF as the result', async () => {
    for (const { kind, app } of queues!.setups) {
      const accepted = await app.inject({
        method: 'POST',
        url: `/api/v1/investigations/${world.investigationId}/report-jobs`,
        headers: { cookie: ownerCookie },
        payload: { lang: 'ar' },
      });
      assert.equal(accepted.statusCode, 202, accepted.body);
      const { job: queued, url } = accepted.json<{ job: JobResponse; url: string }>();
      assert.equal(url, `/api/v1/jobs/${queued.id}`);
      const job = await finished(app, queued.id);
      assert.equal(job.state, 'succeeded', `${kind}: ${JSON.stringify(job.problem)}`);
      assert.ok(job.result !== null);
      const pdf = await app.inject({ method: 'GET', url: job.result.url, headers: { cookie: ownerCookie } });
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
      // Someone outside the investigation cannot start one.
      const refused = await app.inject({
        method: 'POST',
        url: `/api/v1/investigations/${world.investigationId}/report-jobs`,
        headers: { cookie: outsiderCookie },
        payload: { lang: 'en' },
      });
      assert.equal(refused.statusCode, 404);
    }
  });

  it('takes up again, at the next start, a job left running by a process that stopped (in-process)', async () => {
    const { id } = await world.db
      .insertInto('jobs')
      .values({
        id: crypto.randomUUID(),
        name: 'test.steps',
        payload: JSON.stringify({ steps: 2, stepMs: 1 }),
        investigation_id: world.investigationId,
        created_by: world.owner.userId,
        max_attempts: 3,
        // As a killed server leaves it: running, first try begun.
        state: 'running',
        attempts: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const restarted = await startTestJobs(world.test, queues!.store, world.config, {
      jobs: 'none',
      register: [registerTestJobs],
    });
    try {
      const job = await finished(queues!.setups[0]!.app, id);
      assert.equal(job.state, 'succeeded');
      assert.equal(job.attempts, 2);
    } finally {
      await restarted.stop();
    }
  });
});
