import { z } from 'zod';
import {
  DomainError,
  problemCatalogue,
  problemSchema,
  toProblem,
  type Problem,
  type ProblemCode,
} from '../../errors.js';
import type { JobContext, JobQueue, JobView } from '../../jobs/index.js';
import type { EvidenceStore } from '../../storage/evidence-store.js';
import { jobActor } from '../jobs/service.js';
import { importMappingSchema, importResultSchema } from './schema.js';
import { importItemsCsv } from './service.js';
import { removeImportUpload, withImportUpload } from './uploads.js';

/** What a running import reports: the phase and how many rows of how many it has done. */
export const importJobSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  state: z.enum(['running', 'done', 'failed']),
  phase: z
    .enum(['queued', 'validate', 'load', 'analyse'])
    .describe('validate: rows checked again; load: rows written; analyse: statistics refreshed'),
  done: z.number().int().describe('Rows done in this phase'),
  total: z.number().int().nullable().describe('Rows in this phase, once known'),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  result: importResultSchema.nullable().describe('When done'),
  problem: problemSchema.nullable().describe('When failed: nothing was written (one transaction)'),
});
export type ImportJob = z.infer<typeof importJobSchema>;
type ImportResult = z.infer<typeof importResultSchema>;

/** The job queue's name of an item import. */
export const IMPORT_JOB = 'import.items';
const RESULT_FILE = 'import-result.json';
const PROBLEM_FILE = 'import-problem.json';

/** What the job is given: the kept upload (by its owner and SHA-256) and how to read it, as confirmed. */
export const importJobPayloadSchema = z.object({
  investigation_id: z.uuid(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  encoding: z.enum(['utf-8', 'iso-8859-1']).optional(),
  sheet: z.string().optional(),
  mapping: importMappingSchema.optional(),
});
export type ImportJobPayload = z.infer<typeof importJobPayloadSchema>;

type Phase = 'validate' | 'load' | 'analyse';
const phases: readonly string[] = ['validate', 'load', 'analyse'];

/**
 * Writes the import's progress to the job's row without ever making the import wait for it: the latest value only,
 * one write at a time. On the embedded database the import's transaction holds the one connection, so the writes
 * made while it loads wait for its commit; awaiting them inside the import would never end.
 */
function progressWriter(context: JobContext) {
  let latest: { done: number; total: number | null; message: Phase } | undefined;
  let writing: Promise<void> | undefined;
  const drain = async () => {
    while (latest !== undefined) {
      const next = latest;
      latest = undefined;
      // Progress is a window on the work: a write that fails is not the import's failure.
      await context.progress(next.done, next.total, next.message).catch(() => undefined);
    }
  };
  return {
    report(phase: Phase, done: number, total: number | undefined): void {
      latest = { done, total: total ?? null, message: phase };
      writing ??= drain().finally(() => {
        writing = undefined;
      });
    },
    async flush(): Promise<void> {
      while (writing !== undefined) await writing;
      await drain();
    },
  };
}

async function keepJson(context: JobContext, value: unknown, file: string, mediaType: string) {
  return context.keepResult(Buffer.from(JSON.stringify(value)), file, mediaType);
}

/**
 * The item import as a job of the queue (pg-boss on PostgreSQL, in-process on the embedded database), so any
 * server may run it and any server answers where it stands: the kept upload read from the evidence store, the
 * import's one transaction (all or nothing, audited), progress in the job's row, the result (or the problem, with
 * its lines) kept as a small JSON file beside the job. Tried once: an import that failed wrote nothing, and one
 * whose commit was not recorded must not run twice.
 */
export function registerImportJobs(queue: JobQueue): void {
  queue.register(IMPORT_JOB, async (payload, context) => {
    const job = importJobPayloadSchema.parse(payload);
    const progress = progressWriter(context);
    const deps = { db: context.db, store: context.store };
    // An import is always started by someone (the confirm request); only the queue's own jobs have no starter.
    if (context.createdBy === null) throw new Error(`import job ${context.jobId} has no starter`);
    const owner = { userId: context.createdBy, investigationId: job.investigation_id };
    let result: ImportResult;
    try {
      const actor = await jobActor(context.db, context.createdBy);
      result = await withImportUpload(deps, owner, job.sha256, async (upload) => {
        const imported = await importItemsCsv(context.db, actor, job.investigation_id, upload.path, {
          encoding: job.encoding,
          sheet: job.sheet,
          mapping: job.mapping,
          onProgress: (phase, done, total) => progress.report(phase, done, total),
        });
        // Imported: forgotten, so it cannot be imported twice. A failure here must not fail an import that is in.
        await removeImportUpload(deps, upload.id).catch((error: unknown) => {
          process.stderr.write(`armtrace: could not remove the imported upload ${upload.id} (${String(error)})\n`);
        });
        return imported;
      });
    } catch (error) {
      await progress.flush();
      const problem = toProblem(error);
      if (problem.status >= 500)
        process.stderr.write(`armtrace: import job ${context.jobId} failed: ${String(error)}\n`);
      await keepJson(context, problem, PROBLEM_FILE, 'application/problem+json').catch(() => undefined);
      throw error;
    }
    await progress.flush();
    return keepJson(context, result, RESULT_FILE, 'application/json');
  });
}

/** Queues the import of a kept upload, tried once; the same upload while its import waits or runs is that job. */
export async function enqueueImport(queue: JobQueue, userId: string, payload: ImportJobPayload): Promise<string> {
  const { id } = await queue.enqueue(IMPORT_JOB, payload, {
    createdBy: userId,
    investigationId: payload.investigation_id,
    singletonKey: `${userId}.${payload.investigation_id}.${payload.sha256}`,
    maxAttempts: 1,
  });
  return id;
}

async function readJsonFile(store: EvidenceStore, jobId: string, file: string): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.getJobResult(jobId, file)) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function problemOfRow(job: JobView): Problem {
  const code = job.problem?.code ?? 'internal';
  if (!(code in problemCatalogue)) return toProblem(new Error(job.problem?.detail ?? code));
  return toProblem(new DomainError(code as ProblemCode, job.problem?.detail ?? code));
}

/**
 * An import job as `GET /imports/jobs/{id}` shows it, from the `jobs` table and the evidence store (so from any
 * server); undefined when there is no import job by that id started by this user.
 *
 * @example
 * const job = await findImportJob(queue, store, id, actor.userId);
 */
export async function findImportJob(
  queue: JobQueue,
  store: EvidenceStore,
  id: string,
  userId: string,
): Promise<ImportJob | undefined> {
  const job = await queue.get(id);
  if (job === undefined || job.name !== IMPORT_JOB || job.createdBy !== userId || job.investigationId === null)
    return undefined;
  const message = job.progress.message ?? '';
  const phase = phases.includes(message) ? (message as Phase) : 'queued';
  const finished = job.state === 'succeeded' || job.state === 'failed';
  let result: ImportResult | null = null;
  let problem: Problem | null = null;
  if (job.state === 'succeeded' && job.result !== null) {
    result = importResultSchema.parse(await readJsonFile(store, job.id, job.result.file));
  } else if (job.state === 'failed') {
    const kept = await readJsonFile(store, job.id, PROBLEM_FILE).catch(() => undefined);
    const parsed = problemSchema.safeParse(kept);
    problem = parsed.success ? parsed.data : problemOfRow(job);
  }
  return {
    id: job.id,
    investigation_id: job.investigationId,
    state: job.state === 'succeeded' ? 'done' : job.state === 'failed' ? 'failed' : 'running',
    phase,
    done: phase === 'queued' ? 0 : (job.progress.done ?? 0),
    total: phase === 'queued' ? null : job.progress.total,
    started_at: job.createdAt.toISOString(),
    finished_at: finished ? (job.finishedAt ?? new Date()).toISOString() : null,
    result,
    problem,
  };
}
