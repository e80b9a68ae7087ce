import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import { DomainError } from '../../errors.js';
import type { EnqueueOptions, JobQueue, JobView } from '../../jobs/index.js';
import { findJob, toJobView } from '../../jobs/store.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import * as usersRepository from '../users/repository.js';
import { actorFor } from '../users/service.js';
import type { JobAcceptedResponse, JobResponse } from './schema.js';

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
  if (row === undefined) throw jobNotFound(id);
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

export function jobResponse(job: JobView): JobResponse {
  return {
    id: job.id,
    name: job.name,
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
export async function jobActor(db: Kysely<DB>, userId: string): Promise<Actor> {
  const user = await usersRepository.findUserById(db, userId);
  if (user === undefined) throw new DomainError('not_found', `User ${userId} does not exist.`);
  return actorFor(user, 'system');
}

/** The latest jobs who asks may see (administrators: all), newest first. */
export async function listRecentJobs(db: Kysely<DB>, actor: Actor, limit: number): Promise<JobResponse[]> {
  let query = db.selectFrom('jobs').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
  if (!actor.isAdmin) query = query.where('created_by', '=', actor.userId);
  const rows = await query.execute();
  return rows.map((row) => jobResponse(toJobView(row)));
}
