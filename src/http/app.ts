import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import Fastify from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../config/config.js';
import type { DB } from '../db/tables.js';
import { NotReadyError, TooManyAttemptsError } from '../errors.js';
import { featureAuthentication, registerFeatureRoutes } from '../features/routes.js';
import { createInProcessJobQueue } from '../jobs/in-process.js';
import type { JobQueue } from '../jobs/index.js';
import { createEvidenceStore } from '../storage/create.js';
import type { EvidenceStore } from '../storage/evidence-store.js';
import { registerAuthentication } from './auth.js';
import { registerDatabaseUnits } from './database-units.js';
import { isInternal, toProblem } from './problem.js';
import { registerWebApp } from './static.js';
import { registerSecurityGuards } from './security-headers.js';
import { registerStorableInputCheck } from './storable-input.js';
import type { ApiApp } from './types.js';

export interface BuildAppOptions {
  db: Kysely<DB>;
  config: Config;
  /** The evidence store; built from the configuration when not given (`serve` passes the one it sweeps). */
  store?: EvidenceStore;
  /** Pino logger settings; tests pass false. */
  logger?: boolean | { level: string };
  /**
   * The job queue, made and started where the program is assembled (`armtrace serve`: createJobQueue). Without
   * one (most tests, the OpenAPI generator) jobs are queued in the `jobs` table and wait: nothing runs them, and
   * no loop or timer is started.
   */
  jobs?: JobQueue;
}

/**
 * Builds the HTTP application without listening, so tests drive it with
 * `inject()` and `serve` decides where to listen.
 *
 * @example
 * const app = await buildApp({ db, config, logger: false });
 * const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
 */
export async function buildApp(options: BuildAppOptions): Promise<ApiApp> {
  const app = Fastify({
    logger: options.logger ?? { level: options.config.logLevel },
    bodyLimit: 5 * 1024 * 1024,
    // A hop count as Fastify does it (its types take no number): the nearest `hops` peers are the proxies.
    trustProxy:
      typeof options.config.trustProxy === 'number'
        ? (
            (hops) => (_address: string, hop: number) =>
              hop < hops
          )(options.config.trustProxy)
        : options.config.trustProxy,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error, request.url);
    // A lost database (a failover) is an expected event, not a bug: one line each, no stack.
    const databaseLost = problem.code === 'database_unavailable' || problem.code === 'commit_outcome_unknown';
    if (databaseLost) request.log.warn({ code: problem.code }, 'request failed: the database was not available');
    else if (isInternal(problem)) request.log.error({ err: error }, 'request failed');
    if (error instanceof TooManyAttemptsError || error instanceof NotReadyError)
      void reply.header('retry-after', String(error.retryAfterSeconds));
    // A failover takes seconds: say when to try again (a client checks first after commit_outcome_unknown).
    if (problem.code === 'database_unavailable') void reply.header('retry-after', '5');
    void reply.status(problem.status).type('application/problem+json').send(problem);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .type('application/problem+json')
      .send({
        type: 'https://armtrace.org/problems/not_found',
        title: 'Not found',
        status: 404,
        detail: `No route ${request.method} ${request.url}; the API is described at /api/v1/openapi.json.`,
        code: 'not_found',
      });
  });

  await app.register(fastifyCookie);
  // Uploads are read as streams by the routes, never buffered; a file over the
  // limit is cut there and marked truncated, and the route refuses it.
  await app.register(fastifyMultipart, {
    limits: { fileSize: options.config.media.maxUploadBytes, files: 1, fields: 30, fieldSize: 10_000, parts: 40 },
    throwFileSizeLimit: false,
    // Text fields keep their bytes (latin1 is one character per byte); the upload route decodes them as strict
    // UTF-8 and refuses invalid bytes instead of storing U+FFFD (multipartFieldText).
    defCharset: 'latin1',
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'armtrace API',
        version: '1',
        description:
          'Document, preserve and trace arms and ammunition recovered in conflict areas. Errors are RFC 9457 problem+json with a stable `code`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'armtrace_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  const store = options.store ?? createEvidenceStore(options.config);
  const jobs = options.jobs ?? createInProcessJobQueue(options.db, store);
  const routeDeps = { db: options.db, config: options.config, store, jobs };
  registerDatabaseUnits(app);
  registerAuthentication(app, routeDeps, featureAuthentication);
  registerStorableInputCheck(app);
  registerSecurityGuards(app, options.config);
  await app.register(
    (api, _options, done) => {
      registerFeatureRoutes(api, routeDeps);
      done();
    },
    { prefix: '/api/v1' },
  );
  app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, () => app.swagger());
  // What a load balancer asks every few seconds (docs/deploy.md). It answers from this process alone, never from the
  // database: every server shares one database, so a check through it would take them all out of the pool at once
  // when the database is slow under load, and the OpenAPI document (0.5 MB) is too heavy to be asked that often.
  app.get(
    '/api/v1/health',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'Whether this server process is up and answering (for load balancers; does not query the database)',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );
  // The web app, when built (npm run build:web); the API works without it.
  await registerWebApp(app);
  return app;
}
