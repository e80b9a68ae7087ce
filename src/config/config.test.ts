import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    const config = loadConfig({});
    const { dataDir, databaseUrl, host, port, secureCookies, sessionHours, logLevel } = config;
    assert.deepEqual(
      { dataDir, databaseUrl, host, port, secureCookies, sessionHours, logLevel },
      {
        dataDir: path.resolve('./armtrace-data'),
        databaseUrl: undefined,
        host: '127.0.0.1',
        port: 8470,
        secureCookies: 'auto',
        sessionHours: 24 * 14,
        logLevel: 'info',
      },
    );
  });

  it('reads the environment and treats empty values as unset', () => {
    const config = loadConfig({
      ARMTRACE_DATA: '/srv/armtrace',
      ARMTRACE_PORT: '8080',
      DATABASE_URL: 'postgresql://armtrace@db.example/armtrace',
      ARMTRACE_HOST: '',
      UNRELATED: 'ignored',
    });
    assert.equal(config.dataDir, '/srv/armtrace');
    assert.equal(config.port, 8080);
    assert.equal(config.databaseUrl, 'postgresql://armtrace@db.example/armtrace');
    assert.equal(config.host, '127.0.0.1');
  });

  it('names a bad ARMTRACE_PORT', () => {
    for (const port of ['eighty', '70000', '-1', '80.5']) {
      assert.throws(
        () => loadConfig({ ARMTRACE_PORT: port }),
        (error: unknown) => error instanceof ConfigError && error.message.includes('ARMTRACE_PORT'),
        `port ${port}`,
      );
    }
  });

  it('names a bad DATABASE_URL', () => {
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'mysql://localhost/armtrace' }),
      (error: unknown) =>
        error instanceof ConfigError && error.message.includes('DATABASE_URL') && !error.message.includes('PORT'),
    );
  });

  it('names every bad variable at once', () => {
    assert.throws(
      () => loadConfig({ ARMTRACE_LOG_LEVEL: 'loud', ARMTRACE_SECURE_COOKIES: 'sometimes' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.includes('ARMTRACE_LOG_LEVEL') &&
        error.message.includes('ARMTRACE_SECURE_COOKIES'),
    );
  });
});
