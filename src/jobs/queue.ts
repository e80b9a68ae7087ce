import type { Kysely } from 'kysely';
import type { DB } from '../db/tables.js';
import type { EvidenceStore } from '../storage/evidence-store.js';

/** Where a job is: waiting, at work, waiting to try again after a failure, or finished. */
export type JobState = 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed';

/** What a finished job made: a file kept beside the job, downloadable by who may see the job. */
export interface JobResultFile {
  file: string;
  media_type: string;
  bytes: number;
  sha256: string;
}

/** A job as the API and the CLI show it. */
export interface JobView {
  id: string;
  name: string;
  /** What was asked (the job's payload: a bag's profile, a report's language). */
  payload: unknown;
  investigationId: string | null;
  /** null: one of the instance's own periodic jobs (pruning). */
  createdBy: string | null;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  progress: { done: number | null; total: number | null; message: string | null };
  result: JobResultFile | null;
  problem: { code: string; detail: string } | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** What a job's work is given besides its payload. */
export interface JobContext {
  jobId: string;
  /** 1 on the first try. */
  attempt: number;
  db: Kysely<DB>;
  /** The evidence store (originals to read; the job's result is kept there through keepResult). */
  store: EvidenceStore;
  /** Who asked for the job (the services check their role as for a request); null: the instance's own job. */
  createdBy: string | null;
  /** Records how far the work is (shown by GET /api/v1/jobs/{id}); cheap enough to call per step. */
  progress(done: number, total: number | null, message?: string): Promise<void>;
  /**
   * Keeps the job's output (one file: bytes, or a local file for a large one) in the evidence store's job-results
   * area, where every server can serve it, and returns its reference; call once, at the end.
   */
  keepResult(source: Buffer | Uint8Array | { path: string }, file: string, mediaType: string): Promise<JobResultFile>;
}

/** A job's work: reads its payload, does the work, returns what it made (or throws: retried, then failed). */
export type JobHandler = (payload: unknown, context: JobContext) => Promise<JobResultFile | null>;

export interface EnqueueOptions {
  /** Jobs with the same name and key never wait or run at once: a second enqueue returns the first job. */
  singletonKey?: string;
  investigationId?: string | null;
  /** Who asks; null only for the instance's own periodic jobs (src/jobs/prune.ts). */
  createdBy: string | null;
  /** Tries in all (default 3; at most 20). */
  maxAttempts?: number;
}

/**
 * The job queue: the program makes one where it is assembled (`armtrace serve`, a CLI session, a test) and passes
 * it in, like the database. Two implementations: pg-boss on PostgreSQL (src/jobs/pg-boss.ts) and in-process on
 * the embedded database (src/jobs/in-process.ts).
 *
 * @example
 * queue.register('report.pdf', async (payload, context) => context.keepResult(pdf, 'report.pdf', 'application/pdf'));
 * await queue.start();
 * const { id } = await queue.enqueue('report.pdf', { investigationId }, { createdBy: actor.userId });
 * const job = await queue.get(id);
 */
export interface JobQueue {
  readonly kind: 'pg-boss' | 'in-process';
  /** Names the work of a job name; before start(). */
  register(name: string, handler: JobHandler): void;
  /** Starts working (this process becomes a worker). */
  start(): Promise<void>;
  /** Stops taking jobs and waits for the running one to end (or be abandoned: it is picked up again later). */
  stop(): Promise<void>;
  /** Queues a job; with a singletonKey already waiting or running, returns that job instead (`existing: true`). */
  enqueue(name: string, payload: unknown, options: EnqueueOptions): Promise<{ id: string; existing: boolean }>;
  get(id: string): Promise<JobView | undefined>;
}
