import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { ApiApp } from './types.js';

/** web/dist, the same two levels up from src/http (tsx) and dist/http (built). */
export const defaultWebRoot = fileURLToPath(new URL('../../web/dist/', import.meta.url));

// The page loads nothing from elsewhere; only map tiles, when a user sets a tile URL, may come from another host.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https: http:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the built web app at `/`: its files, and index.html for any other
 * GET outside /api so the app's own routes survive a reload. Returns false
 * and registers nothing when the app is not built (`npm run build:web`).
 *
 * @example
 * await registerWebApp(app); // after the API routes
 */
export async function registerWebApp(app: ApiApp, root: string = defaultWebRoot): Promise<boolean> {
  if (!fs.existsSync(path.join(root, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // Only the files present at start-up get routes; everything else falls through to the handler below.
    wildcard: false,
    index: false,
    setHeaders(reply, filePath) {
      // Vite names assets by content hash, so they never change; index.html, the service worker (sw.js) and the
      // manifest must always be revalidated, or a browser could keep an old app (and its worker) for a year.
      const immutable = path.relative(root, filePath).startsWith(`assets${path.sep}`);
      void reply.headers({
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        'content-security-policy': contentSecurityPolicy,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
    },
  });
  app.get('/*', { config: { public: true }, schema: { hide: true } }, (request, reply) => {
    // Unknown API routes and missing build files are real 404s, not pages of the app.
    if (/^\/(api|assets)(\/|$|\?)/.test(request.url)) return reply.callNotFound();
    return reply.sendFile('index.html');
  });
  app.get('/', { config: { public: true }, schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html'));
  return true;
}
