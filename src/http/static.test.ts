import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { registerWebApp } from './static.js';
import type { ApiApp } from './types.js';

// The installable app's files: the service worker must never be cached for long (a stale worker would keep an
// old app forever), the hashed assets may be cached for good, and the manifest needs its own media type.
describe('serving the built web app', () => {
  let root: string;
  let app: ApiApp;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-static-'));
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>armtrace</title>');
    fs.writeFileSync(path.join(root, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    fs.writeFileSync(path.join(root, 'workbox-abc123.js'), '// workbox');
    fs.writeFileSync(path.join(root, 'manifest.webmanifest'), '{"name":"armtrace"}');
    fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    app = Fastify();
    assert.equal(await registerWebApp(app, root), true);
    await app.ready();
  });

  after(async () => {
    await app.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('serves the service worker as JavaScript that is revalidated on every visit', async () => {
    const response = await app.inject({ method: 'GET', url: '/sw.js' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /javascript/);
    assert.equal(response.headers['cache-control'], 'no-cache');
    const workbox = await app.inject({ method: 'GET', url: '/workbox-abc123.js' });
    assert.equal(workbox.headers['cache-control'], 'no-cache');
  });

  it('serves the manifest with the web app manifest media type', async () => {
    const response = await app.inject({ method: 'GET', url: '/manifest.webmanifest' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^application\/manifest\+json/);
  });

  it('keeps hashed assets immutable and the app page fresh', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc.js' });
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    const page = await app.inject({ method: 'GET', url: '/investigations/x/map' });
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-cache');
  });
});
