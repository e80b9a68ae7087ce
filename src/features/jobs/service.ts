import { sql, type Kysely } from 'kysely';
import { keysetPage, toPage } from '../../db/pagination.js';
import type { DB } from '../../db/tables.js';
import { DomainError } from '../../errors.js';
import type { EnqueueOptions, JobQueue, JobView } from '../../jobs/index.js';
import { findJob, toJobView } from '../../jobs/store.js';
import type { Actor } from '../access/schema.js';
import { requireAdmin, requireRole, visibleInvestigationIds } from '../access/service.js';
import * as usersRepository from '../users/repository.js';
import { actorFor } from '../users/service.js';
import type { JobAcceptedResponse, JobListQuery, JobPage, JobResponse } from './schema.js';

function jobNotFound(id: string): DomainError {
  return new DomainError('not_found', `Job ${id} does not exist or is not visible to you.`);
}

/**
 * A job as who asks may see it: an investigation's jobs by anyone who may see the investigation (viewer and
 * above), other jobs by who started them and administrators; anyone else is told it does not exist.
 *
 * @example
 * const job = await getVisibleJob(db, actor, id);
 */
export async function getVisibleJob(db: Kysely<DB>, actor: Actor, id: string): Promise<JobView> {
  const row = await findJob(db, id);
  if (row === undefined) throw await prunedOrNotFound(db, actor, id);
  const job = toJobView(row);
  if (job.investigationId !== null) {
    try {
      await requireRole(db, actor, job.investigationId, 'viewer');
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'not_found' || error.code === 'forbidden')) {
        throw jobNotFound(id);
      }
      throw error;
    }
  }
  // A job is its starter's: its result (a bag, a report) was made with the starter's clearance, which another
  // member of the same investigation may not have (restricted records). Administrators see every job.
  if (!actor.isAdmin && job.createdBy !== actor.userId) throw jobNotFound(id);
  return job;
}

/**
 * A job that is not in `jobs`: `job_pruned` (410) when it was removed after ARMTRACE_JOB_RESULTS_DAYS and who asks
 * started it (or is an administrator), else not found.
 */
async function prunedOrNotFound(db: Kysely<DB>, actor: Actor, id: string): Promise<DomainError> {
  const pruned = await db.selectFrom('pruned_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (pruned === undefined || (!actor.isAdmin && pruned.created_by !== actor.userId)) return jobNotFound(id);
  const ended = pruned.finished_at === null ? '' : ` ended on ${pruned.finished_at.toISOString().slice(0, 10)} and`;
  return new DomainError(
    'job_pruned',
    `Job ${id} (${pruned.name})${ended} was removed with its result on ${pruned.pruned_at.toISOString().slice(0, 10)}: ` +
      'finished jobs are kept for a set number of days (ARMTRACE_JOB_RESULTS_DAYS). Start it again to get a new result.',
  );
}

function payloadOf(payload: unknown): Record<string, unknown> | null {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
    ? (payload as Record<string, unknown>)
    : null;
}

export function jobResponse(job: JobView): JobResponse {
  return {
    id: job.id,
    name: job.name,
    payload: payloadOf(job.payload),
    investigation_id: job.investigationId,
    state: job.state,
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    progress: job.progress,
    result: job.result === null ? null : { ...job.result, url: `/api/v1/jobs/${job.id}/result` },
    problem: job.problem,
    created_at: job.createdAt,
    started_at: job.startedAt,
    finished_at: job.finishedAt,
  };
}

/** Queues a job and answers as a 202 does. */
export async function enqueueJob(
  queue: JobQueue,
  name: string,
  payload: unknown,
  options: EnqueueOptions,
): Promise<JobAcceptedResponse> {
  const queued = await queue.enqueue(name, payload, options);
  const job = await queue.get(queued.id);
  if (job === undefined) throw new Error(`job ${queued.id} vanished after it was queued`);
  return { job: jobResponse(job), existing: queued.existing, url: `/api/v1/jobs/${job.id}` };
}

/** The actor a job's work runs as: who asked for it, with the role they have now. */
export async function jobActor(db: Kysely<DB>, userId: string | null): Promise<Actor> {
  if (userId === null) throw new DomainError('constraint_violated', 'This job was asked for by nobody.');
  const user = await usersRepository.findUserById(db, userId);
  if (user === undefined) throw new DomainError('not_found', `User ${userId} does not exist.`);
  return actorFor(user, 'system');
}

/**
 * One page of the jobs who asks started (administrators with `all_users`: everyone's), newest first, optionally
 * of one investigation; jobs of investigations they can no longer see are left out, as GET /jobs/{id} hides them.
 *
 * @example
 * const page = await listJobs(db, actor, { limit: 20, investigation_id: id, all_users: false });
 */
export async function listJobs(db: Kysely<DB>, actor: Actor, query: JobListQuery): Promise<JobPage> {
  if (query.all_users) requireAdmin(actor);
  if (query.investigation_id !== undefined) {
    await requireRole(db, actor, query.investigation_id, 'viewer');
  }
  const visible = await visibleInvestigationIds(db, actor);
  let rows = db.selectFrom('jobs').selectAll();
  if (!query.all_users) rows = rows.where('created_by', '=', actor.userId);
  if (query.investigation_id !== undefined) rows = rows.where('investigation_id', '=', query.investigation_id);
  if (query.name !== undefined) rows = rows.where('name', '=', query.name);
  if (visible !== undefined) {
    rows = rows.where((eb) =>
      visible.length === 0
        ? eb('investigation_id', 'is', null)
        : eb.or([eb('investigation_id', 'is', null), eb('investigation_id', 'in', visible)]),
    );
  }
  const page = await keysetPage(rows, {
    id: 'jobs.id',
    keys: [sql`jobs.created_at`],
    order: 'desc',
    after: query.after,
    limit: query.limit,
  }).execute();
  return toPage(page, query.limit, (row) => jobResponse(toJobView(row)));
}

/** The latest jobs who asks may see (administrators: all), newest first. */
export async function listRecentJobs(db: Kysely<DB>, actor: Actor, limit: number): Promise<JobResponse[]> {
  let query = db.selectFrom('jobs').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
  if (!actor.isAdmin) query = query.where('created_by', '=', actor.userId);
  const rows = await query.execute();
  return rows.map((row) => jobResponse(toJobView(row)));
}
