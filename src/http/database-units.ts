import { AsyncResource } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { runAsDatabaseUnit } from '../db/pglite-dialect.js';

const unitScopes = new WeakMap<FastifyRequest, AsyncResource>();

/**
 * Makes each HTTP request one unit for the embedded database's scheduler
 * (least database time served first), so a light request is not queued behind
 * every statement of other users' long searches. The request's scope is
 * entered again before validation: reading a body runs in the socket's
 * callbacks, outside the scope entered when the request arrived (the pattern
 * of @fastify/request-context).
 *
 * @example
 * registerDatabaseUnits(app);
 */
export function registerDatabaseUnits(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    runAsDatabaseUnit(() => {
      const scope = new AsyncResource('armtrace-database-unit');
      unitScopes.set(request, scope);
      scope.runInAsyncScope(done);
    });
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const scope = unitScopes.get(request);
    if (scope === undefined) done();
    else scope.runInAsyncScope(done);
  });
}
