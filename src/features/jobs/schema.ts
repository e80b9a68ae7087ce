import { z } from 'zod';

export const jobStateSchema = z
  .enum(['queued', 'running', 'retrying', 'succeeded', 'failed'])
  .describe('queued: waiting; running: at work; retrying: a try failed, another follows; succeeded; failed: for good');

export const jobSchema = z.object({
  id: z.uuid(),
  name: z.string().describe('What the job does, e.g. report.pdf, bag.export'),
  investigation_id: z.uuid().nullable(),
  state: jobStateSchema,
  attempts: z.number().int().describe('Tries begun so far'),
  max_attempts: z.number().int(),
  progress: z.object({
    done: z.number().nullable(),
    total: z.number().nullable().describe('null while the amount of work is not known'),
    message: z.string().nullable(),
  }),
  result: z
    .object({
      file: z.string(),
      media_type: z.string(),
      bytes: z.number().int(),
      sha256: z.string(),
      url: z.string().describe('Where to download the file (GET, same access as the job)'),
    })
    .nullable()
    .describe('What the job made, once it succeeded'),
  problem: z
    .object({ code: z.string(), detail: z.string() })
    .nullable()
    .describe('Why the last try failed (a stable problem code of the catalogue, or internal)'),
  created_at: z.date(),
  started_at: z.date().nullable(),
  finished_at: z.date().nullable(),
});
export type JobResponse = z.infer<typeof jobSchema>;

/** The answer of a POST that starts a job: 202, and where to follow it. */
export const jobAcceptedSchema = z.object({
  job: jobSchema,
  existing: z.boolean().describe('true: the same job was already waiting or running, and this is it'),
  url: z.string().describe('GET it to follow the job'),
});
export type JobAcceptedResponse = z.infer<typeof jobAcceptedSchema>;

export const jobParamsSchema = z.object({ id: z.uuid() });
