import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { problemSchema, toProblem, type Problem } from '../../errors.js';
import { importResultSchema } from './schema.js';

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
type ImportJobResult = z.infer<typeof importResultSchema>;

interface Entry {
  job: ImportJob;
  userId: string;
}

/** A finished job's state is kept this long for the screen that polls it, then forgotten. */
const KEEP_FINISHED_MS = 60 * 60 * 1000;

/**
 * Imports running in this server process, by id, each readable only by the user who started it. A job is only
 * a window on one call of the import (which keeps its own single transaction); a server restart forgets the
 * window, never half an import.
 *
 * @example
 * const job = registry.start({ userId, investigationId }, (progress) => importItemsCsv(db, actor, id, file, { onProgress: progress }));
 * registry.get(job.id, userId); // { state: 'running', phase: 'load', done: 1200, total: 5000, … }
 */
export function createImportJobRegistry(now: () => Date = () => new Date()) {
  const entries = new Map<string, Entry>();

  const forgetOld = () => {
    const cutoff = now().getTime() - KEEP_FINISHED_MS;
    for (const [id, entry] of entries) {
      if (entry.job.finished_at !== null && Date.parse(entry.job.finished_at) < cutoff) entries.delete(id);
    }
  };

  return {
    start(
      owner: { userId: string; investigationId: string },
      run: (
        onProgress: (phase: 'validate' | 'load' | 'analyse', done: number, total: number | undefined) => void,
      ) => Promise<ImportJobResult>,
      onFinished?: (outcome: { result?: ImportJobResult; problem?: Problem; error?: unknown }) => Promise<void> | void,
    ): ImportJob {
      forgetOld();
      const job: ImportJob = {
        id: uuidv7(),
        investigation_id: owner.investigationId,
        state: 'running',
        phase: 'queued',
        done: 0,
        total: null,
        started_at: now().toISOString(),
        finished_at: null,
        result: null,
        problem: null,
      };
      entries.set(job.id, { job, userId: owner.userId });
      const update = (changes: Partial<ImportJob>) => {
        const entry = entries.get(job.id);
        if (entry !== undefined) entry.job = { ...entry.job, ...changes };
      };
      void run((phase, done, total) => update({ phase, done, total: total ?? null })).then(
        async (result) => {
          update({ state: 'done', result, finished_at: now().toISOString() });
          await onFinished?.({ result });
        },
        async (error: unknown) => {
          const problem = toProblem(error);
          update({ state: 'failed', problem, finished_at: now().toISOString() });
          await onFinished?.({ problem, error });
        },
      );
      return { ...job };
    },
    /** The job, or undefined when there is none by that id for this user. */
    get(id: string, userId: string): ImportJob | undefined {
      const entry = entries.get(id);
      return entry === undefined || entry.userId !== userId ? undefined : { ...entry.job };
    },
  };
}
export type ImportJobRegistry = ReturnType<typeof createImportJobRegistry>;
