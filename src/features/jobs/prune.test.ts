// Pruning old jobs (docs/jobs.md "Pruning") and the list of jobs, through the API on both databases: the
// in-process queue everywhere, and pg-boss too on PostgreSQL.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../../errors.js';
import type { ApiApp } from '../../http/types.js';
import type { JobQueue } from '../../jobs/index.js';
import { enqueuePruningIfDue, PRUNE_JOB, registerJobPruning } from '../../jobs/prune.js';
import { registerTestJobs, startQueueApps, waitForJob, type QueueApps } from '../../testing/jobs.js';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import type { JobPage, JobResponse } from './schema.js';

describe('pruning old jobs, and the list of jobs', () => {
  let world: TestWorld;
  // Undefined until before() got that far, so after() cleans up only what exists.
  let queues: QueueApps | undefined;
  let ownerCookie: string;
  let outsiderCookie: string;
  let adminCookie: string;

  before(async () => {
    world = await createTestWorld();
    ownerCookie = await world.cookieFor('owner');
    outsiderCookie = await world.cookieFor('outsider');
    adminCookie = await world.cookieFor('admin');
    queues = await startQueueApps(world, { jobs: 'none', register: [registerTestJobs, registerJobPruning] });
  });
  after(async () => {
    await queues?.close();
    await world.close();
  });

  async function getJob(app: ApiApp, id: string, cookie = ownerCookie) {
    const response = await app.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: { cookie } });
    return { status: response.statusCode, body: response.json<JobResponse & { code?: string; detail?: string }>() };
  }

  const finished = (app: ApiApp, id: string, cookie = ownerCookie): Promise<JobResponse> => waitForJob(app, id, cookie);

  async function ended(queue: JobQueue, app: ApiApp, name: string, payload: unknown, maxAttempts = 3) {
    const { id } = await queue.enqueue(name, payload, {
      investigationId: world.investigationId,
      createdBy: world.owner.userId,
      maxAttempts,
    });
    return finished(app, id);
  }

  async function backdate(id: string, days: number): Promise<void> {
    await world.db
      .updateTable('jobs')
      .set({ finished_at: new Date(Date.now() - days * 86_400_000) })
      .where('id', '=', id)
      .execute();
  }

  it('removes finished jobs older than the setting, their result files and rows; the rest stays; 410 after', async () => {
    for (const { kind, queue, app } of queues!.setups) {
      // Each queue's turn starts a new interval (the previous turn's prunings were within the hour).
      await world.db.deleteFrom('jobs').where('name', '=', PRUNE_JOB).execute();
      const original = await queues!.store.put(Readable.from([Buffer.from(`an original photo (${kind})`)]), {
        maxBytes: 1000,
      });
      const old = await ended(queue, app, 'test.steps', { steps: 1, stepMs: 1 });
      const oldFailed = await ended(queue, app, 'test.fail', { failTimes: null }, 1);
      const recent = await ended(queue, app, 'test.steps', { steps: 2, stepMs: 1 });
      assert.equal(old.state, 'succeeded', kind);
      assert.equal(oldFailed.state, 'failed', kind);
      await backdate(old.id, 8);
      await backdate(oldFailed.id, 30);
      await backdate(recent.id, 6);
      // A job still waiting is never pruned, however old: queued on a queue that nothing runs.
      const waiting = await world.db
        .insertInto('jobs')
        .values({
          id: crypto.randomUUID(),
          name: 'test.not-run',
          payload: '{}',
          created_by: world.owner.userId,
          max_attempts: 1,
          created_at: new Date(Date.now() - 40 * 86_400_000),
        })
        .returning('id')
        .executeTakeFirstOrThrow();

      const pruneId = await enqueuePruningIfDue(world.db, queue, { olderThanDays: 7 });
      assert.ok(pruneId !== undefined, kind);
      // Asked again within the hour: not due (one per interval, whichever server asks).
      assert.equal(await enqueuePruningIfDue(world.db, queue, { olderThanDays: 7 }), undefined, kind);
      const pruning = await finished(app, pruneId, adminCookie);
      assert.equal(pruning.state, 'succeeded', `${kind}: ${JSON.stringify(pruning.problem)}`);
      assert.equal(pruning.name, PRUNE_JOB);
      // The instance's own job: administrators see it, its owner-less row is nobody else's.
      assert.equal((await getJob(app, pruneId)).status, 404, kind);

      for (const gone of [old, oldFailed]) {
        const answer = await getJob(app, gone.id);
        assert.equal(answer.status, 410, `${kind}: ${JSON.stringify(answer.body)}`);
        assert.equal(answer.body.code, 'job_pruned');
        assert.match(answer.body.detail ?? '', /removed with its result on \d{4}-\d{2}-\d{2}/);
        assert.match(answer.body.detail ?? '', /Start it again/);
        // Only who may have seen it learns that it was pruned.
        assert.equal((await getJob(app, gone.id, outsiderCookie)).status, 404, kind);
        assert.equal((await getJob(app, gone.id, adminCookie)).status, 410, kind);
        const rows = await world.db.selectFrom('jobs').select('id').where('id', '=', gone.id).execute();
        assert.deepEqual(rows, [], kind);
      }
      const download = await app.inject({
        method: 'GET',
        url: `/api/v1/jobs/${old.id}/result`,
        headers: { cookie: ownerCookie },
      });
      assert.equal(download.statusCode, 410, kind);
      await assert.rejects(
        queues!.store.getJobResult(old.id, 'steps.txt'),
        (error: unknown) => error instanceof DomainError && error.code === 'not_found',
      );
      // What was not due is untouched: the recent job, its result, the waiting job, and every original.
      assert.equal((await getJob(app, recent.id)).status, 200, kind);
      const kept = await app.inject({ method: 'GET', url: recent.result!.url, headers: { cookie: ownerCookie } });
      assert.equal(kept.statusCode, 200, kind);
      assert.equal(kept.body, 'steps 2, attempt 1\n');
      const stillWaiting = await world.db
        .selectFrom('jobs')
        .select('state')
        .where('id', '=', waiting.id)
        .executeTakeFirst();
      assert.equal(stillWaiting?.state, 'queued', kind);
      assert.equal((await queues!.store.stat(original.sha256))?.sizeBytes, original.sizeBytes, kind);
      // The next interval: the pruning of another server may run again (not at once); nothing more goes.
      await world.db.deleteFrom('jobs').where('name', '=', PRUNE_JOB).execute();
      const again = await enqueuePruningIfDue(world.db, queue, { olderThanDays: 7 });
      assert.ok(again !== undefined);
      assert.equal((await finished(app, again, adminCookie)).progress.done, 0, kind);
      assert.equal((await getJob(app, recent.id)).status, 200, kind);
      await world.db.deleteFrom('jobs').where('id', '=', waiting.id).execute();
    }
  });

  it('lists the jobs who asks started, newest first, page by page; nobody else’s', async () => {
    const { queue, app } = queues!.setups[0]!;
    const started: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      started.unshift((await ended(queue, app, 'test.steps', { steps: 1, stepMs: 1 })).id);
    }
    const seen: JobResponse[] = [];
    let after: string | null = null;
    do {
      const query: string = `limit=2&investigation_id=${world.investigationId}${after === null ? '' : `&after=${after}`}`;
      const response = await app.inject({
        method: 'GET',
        url: `/api/v1/jobs?${query}`,
        headers: { cookie: ownerCookie },
      });
      assert.equal(response.statusCode, 200, response.body);
      const page = response.json<JobPage>();
      assert.ok(page.items.length <= 2);
      seen.push(...page.items);
      after = page.next_after;
    } while (after !== null);
    const ids = seen.map((job) => job.id);
    assert.equal(new Set(ids).size, ids.length, 'no job twice');
    assert.deepEqual(ids.slice(0, 5), started, 'newest first');
    for (let index = 1; index < seen.length; index += 1) {
      assert.ok(seen[index - 1]!.created_at >= seen[index]!.created_at);
    }
    assert.ok(seen.every((job) => job.name !== PRUNE_JOB));
    assert.deepEqual(seen[0]!.payload, { steps: 1, stepMs: 1 });
    // Someone else: none of them; the investigation's list is refused them; all_users is for administrators.
    const theirs = await app.inject({ method: 'GET', url: '/api/v1/jobs', headers: { cookie: outsiderCookie } });
    assert.equal(theirs.statusCode, 200);
    assert.deepEqual(theirs.json<JobPage>().items, []);
    const refused = await app.inject({
      method: 'GET',
      url: `/api/v1/jobs?investigation_id=${world.investigationId}`,
      headers: { cookie: outsiderCookie },
    });
    assert.equal(refused.statusCode, 404);
    const notAdmin = await app.inject({
      method: 'GET',
      url: '/api/v1/jobs?all_users=true',
      headers: { cookie: ownerCookie },
    });
    assert.equal(notAdmin.statusCode, 403);
    const everyone = await app.inject({
      method: 'GET',
      url: '/api/v1/jobs?all_users=true&limit=100',
      headers: { cookie: adminCookie },
    });
    assert.ok(everyone.json<JobPage>().items.some((job) => job.id === started[0]));
    // Of one name (the verify screen asks for the latest audit.verify of anyone): only those.
    const named = await app.inject({
      method: 'GET',
      url: '/api/v1/jobs?all_users=true&name=test.steps&limit=1',
      headers: { cookie: adminCookie },
    });
    assert.equal(named.statusCode, 200, named.body);
    assert.deepEqual(
      named.json<JobPage>().items.map((job) => job.id),
      [started[0]],
    );
    const none = await app.inject({
      method: 'GET',
      url: '/api/v1/jobs?all_users=true&name=audit.verify',
      headers: { cookie: adminCookie },
    });
    assert.deepEqual(none.json<JobPage>().items, []);
  });
});
