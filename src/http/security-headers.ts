/**
 * Two guards on every response and request (issue 15, L7), without @fastify/helmet (not a dependency):
 *
 * - An origin check: a state-changing request (POST, PUT, PATCH, DELETE) not authenticated by an API token —
 *   so made with the session cookie, or signing in — must come from armtrace's own pages. A browser tells where a
 *   request comes from (`Sec-Fetch-Site`, else `Origin`); one from another site is refused with 403, whatever
 *   SameSite rules that browser applies to the cookie. Requests with neither header come from programs, not
 *   from a page another site could make a browser send.
 * - Security headers, set in one onSend hook: `X-Content-Type-Options: nosniff` and `Referrer-Policy:
 *   no-referrer` everywhere; on the API (the report included) a `Content-Security-Policy` that lets nothing
 *   load or run (the report: its own inline styles and data: images only) and `Cache-Control: no-store` unless a
 *   route chose its own caching (stored originals and their derivatives, named by their hash); and
 *   `Strict-Transport-Security` when the server is reached over TLS (`ARMTRACE_SECURE_COOKIES=always` says a TLS
 *   proxy is in front).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import { DomainError } from '../errors.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const apiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";
const reportPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; " +
  "form-action 'none'";

/** Why a request from a browser page comes from another site, or undefined when it comes from ours. */
export function crossSiteReason(request: Pick<FastifyRequest, 'headers'>): string | undefined {
  const fetchSite = request.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string') {
    return fetchSite === 'same-origin' || fetchSite === 'none' ? undefined : `Sec-Fetch-Site is ${fetchSite}`;
  }
  const origin = request.headers.origin;
  if (origin === undefined) return undefined;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  return host !== undefined && host === request.headers.host ? undefined : `Origin is ${origin}`;
}

/**
 * Registers the origin check and the security headers on the root instance, before the routes.
 *
 * @example
 * registerSecurityGuards(app, config);
 */
export function registerSecurityGuards(app: FastifyInstance, config: Pick<Config, 'secureCookies'>): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (!STATE_CHANGING.has(request.method) || request.headers.authorization !== undefined) {
      done();
      return;
    }
    const reason = crossSiteReason(request);
    if (reason === undefined) {
      done();
      return;
    }
    done(
      new DomainError(
        'forbidden',
        `This change was sent from another site (${reason}). armtrace accepts changes made with its sign-in ` +
          'cookie only from its own pages; programs use an API token.',
      ),
    );
  });

  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (config.secureCookies === 'always' || request.protocol === 'https') {
      reply.header('strict-transport-security', 'max-age=31536000');
    }
    if (request.url.startsWith('/api/')) {
      const type = String(reply.getHeader('content-type') ?? '');
      reply.header('content-security-policy', type.startsWith('text/html') ? reportPolicy : apiPolicy);
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}
