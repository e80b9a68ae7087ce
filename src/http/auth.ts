import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.js';
import type { Actor, Authentication } from '../authentication.js';
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

/** What an administrator without a second factor may still reach when the instance requires one: enrolment. */
const SECOND_FACTOR_EXEMPT = ['/api/v1/auth/2fa', '/api/v1/auth/me', '/api/v1/auth/sign-out', '/api/v1/auth/sign-in'];

/** ARMTRACE_REQUIRE_2FA_ADMINS: an administrator without TOTP gets 403 second_factor_required until they enrol. */
async function requireAdminSecondFactor(
  request: FastifyRequest,
  deps: RouteDeps,
  authentication: Authentication,
): Promise<void> {
  if (!deps.config.requireSecondFactorForAdmins || request.actor?.isAdmin !== true) return;
  // The matched route, not the raw URL, so that no spelling of a path slips past the list.
  const route = request.routeOptions.url ?? '';
  if (!route.startsWith('/api/v1/') || SECOND_FACTOR_EXEMPT.some((prefix) => route.startsWith(prefix))) return;
  await authentication.requireSecondFactor(deps.db, request.actor.userId);
}

/**
 * Resolves the actor from the API token or the session cookie. Every route
 * under /api/v1 requires one unless its config says `public: true`. `authentication`
 * is the users feature's, handed down by the assembly (`buildApp`).
 */
export function registerAuthentication(app: ApiApp, deps: RouteDeps, authentication: Authentication): void {
  app.decorateRequest('actor', undefined);
  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const actor = match?.[1] === undefined ? undefined : await authentication.apiToken(deps.db, match[1]);
      if (actor === undefined) {
        throw new DomainError('unauthenticated', 'The API token is unknown, expired or revoked.');
      }
      if (actor.token?.readOnly === true && !['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
        throw new DomainError('forbidden', 'This API token is read-only; make a read_write token to change records.');
      }
      request.actor = actor;
      await requireAdminSecondFactor(request, deps, authentication);
      return;
    }
    const sessionToken = request.cookies[SESSION_COOKIE];
    if (sessionToken !== undefined) request.actor = await authentication.session(deps.db, sessionToken);
    await requireAdminSecondFactor(request, deps, authentication);
    if (
      request.actor === undefined &&
      request.url.startsWith('/api/v1/') &&
      request.routeOptions.config.public !== true
    ) {
      requireActor(request);
    }
  });
}
