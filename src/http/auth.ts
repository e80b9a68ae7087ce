import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.js';
import type { Actor } from '../features/access/schema.js';
import { authenticateApiToken, authenticateSession } from '../features/users/service.js';
import type { ApiApp, RouteDeps } from './types.js';

export const SESSION_COOKIE = 'armtrace_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | undefined;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
  }
}

/** The signed-in actor of a request; routes call this first. */
export function requireActor(request: FastifyRequest): Actor {
  if (request.actor === undefined) {
    throw new DomainError(
      'unauthenticated',
      'Sign in (POST /api/v1/auth/sign-in) or send an API token as `Authorization: Bearer <token>`.',
    );
  }
  return request.actor;
}

/**
 * Resolves the actor from the API token or the session cookie. Every route
 * under /api/v1 requires one unless its config says `public: true`.
 */
export function registerAuthentication(app: ApiApp, deps: RouteDeps): void {
  app.decorateRequest('actor', undefined);
  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const actor = match?.[1] === undefined ? undefined : await authenticateApiToken(deps.db, match[1]);
      if (actor === undefined) {
        throw new DomainError('unauthenticated', 'The API token is unknown, expired or revoked.');
      }
      if (actor.token?.readOnly === true && !['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
        throw new DomainError('forbidden', 'This API token is read-only; make a read_write token to change records.');
      }
      request.actor = actor;
      return;
    }
    const sessionToken = request.cookies[SESSION_COOKIE];
    if (sessionToken !== undefined) request.actor = await authenticateSession(deps.db, sessionToken);
    if (
      request.actor === undefined &&
      request.url.startsWith('/api/v1/') &&
      request.routeOptions.config.public !== true
    ) {
      requireActor(request);
    }
  });
}
