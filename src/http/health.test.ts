import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { buildApp } from './app.js';

describe('GET /api/v1/health', () => {
  it('answers without a session and without asking the database (closed here)', async () => {
    const database = await openDatabase({ kind: 'pglite-memory' });
    const app = await buildApp({ db: database.db, config: loadConfig({}), logger: false });
    await app.ready();
    // A load balancer asks every few seconds: a database that is slow or gone must not change the answer.
    await database.close();
    try {
      const response = await app.inject({ method: 'GET', url: '/api/v1/health' });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), { status: 'ok' });
      const guarded = await app.inject({ method: 'GET', url: '/api/v1/investigations' });
      assert.equal(guarded.statusCode, 401, 'other routes still need a session');
    } finally {
      await app.close();
    }
  });
});
