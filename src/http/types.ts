import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Config } from '../config/config.js';
import type { DB } from '../db/tables.js';
import type { JobQueue } from '../jobs/index.js';
import type { EvidenceStore } from '../storage/evidence-store.js';

/** The Fastify instance every feature's routes are registered on. */
export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What route handlers may use: the database, the evidence store, the job queue and the configuration, nothing else. */
export interface RouteDeps {
  db: Kysely<DB>;
  config: Config;
  /** Built once by `buildApp` (or given to it), like the database. */
  store: EvidenceStore;
  /** The job queue, made where the program is assembled (`serve`, a test) and given to `buildApp`. */
  jobs: JobQueue;
}
