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

/** The Fastify instance every feature's routes are registered on. */
export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What route handlers may use: the database, the configuration and the job queue, nothing else. */
export interface RouteDeps {
  db: Kysely<DB>;
  config: Config;
  jobs: JobQueue;
}
