import { z } from 'zod';

export const jobStateSchema = z
  .enum(['queued', 'running', 'retrying', 'succeeded', 'failed'])
  .describe('queued: waiting; running: at work; retrying: a try failed, another follows; succeeded; failed: for good');

export const jobSchema = z.object({
  id: z.uuid(),
  name: z.string().describe('What the job does, e.g. report.pdf, bag.export'),
  payload: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe("What was asked: a bag export's profile and grid_km, a report's lang (to start it again)"),
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

export const jobListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Jobs per page (1-100)'),
  after: z.uuid().optional().describe('The `next_after` of the previous page'),
  investigation_id: z.uuid().optional().describe("Only this investigation's jobs"),
  name: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe(
      'Only the jobs of this name, e.g. audit.verify (the latest verify: name=audit.verify&all_users=true&limit=1)',
    ),
  all_users: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe("Administrators: everyone's jobs (default: only the jobs you started)"),
});
export type JobListQuery = z.output<typeof jobListQuerySchema>;

export const jobPageSchema = z.object({
  items: z.array(jobSchema).describe('Newest first'),
  next_after: z.string().nullable(),
});
export type JobPage = z.infer<typeof jobPageSchema>;
