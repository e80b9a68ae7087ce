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

  it('keeps finished jobs 7 days unless ARMTRACE_JOB_RESULTS_DAYS says otherwise; names a bad value', () => {
    assert.equal(loadConfig({}).jobs.resultsDays, 7);
    assert.equal(loadConfig({ ARMTRACE_JOB_RESULTS_DAYS: '30' }).jobs.resultsDays, 30);
    for (const days of ['0', '-3', '2.5', 'week', '4000']) {
      assert.throws(
        () => loadConfig({ ARMTRACE_JOB_RESULTS_DAYS: days }),
        (error: unknown) => error instanceof ConfigError && error.message.includes('ARMTRACE_JOB_RESULTS_DAYS'),
        `days ${days}`,
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

  it('keeps evidence in the folder store by default', () => {
    assert.deepEqual(loadConfig({}).store, { kind: 'folder' });
  });

  it('reads an S3-compatible store: prefix ends in a slash, path-style by default with an endpoint', () => {
    assert.deepEqual(
      loadConfig({
        ARMTRACE_STORE: 's3',
        ARMTRACE_S3_BUCKET: 'armtrace-evidence',
        ARMTRACE_S3_PREFIX: 'unit-3',
        ARMTRACE_S3_ENDPOINT: 'https://minio.example.org:9000',
        ARMTRACE_S3_ACCESS_KEY_ID: 'armtrace',
        ARMTRACE_S3_SECRET_ACCESS_KEY: 'a long secret',
      }).store,
      {
        kind: 's3',
        bucket: 'armtrace-evidence',
        prefix: 'unit-3/',
        endpoint: 'https://minio.example.org:9000',
        region: 'us-east-1',
        credentials: { accessKeyId: 'armtrace', secretAccessKey: 'a long secret' },
        forcePathStyle: true,
      },
    );
    // AWS S3: no endpoint, host-style addressing, the SDK's default credential chain.
    assert.deepEqual(
      loadConfig({ ARMTRACE_STORE: 's3', ARMTRACE_S3_BUCKET: 'evidence.example', ARMTRACE_S3_REGION: 'eu-west-1' })
        .store,
      {
        kind: 's3',
        bucket: 'evidence.example',
        prefix: '',
        endpoint: undefined,
        region: 'eu-west-1',
        credentials: undefined,
        forcePathStyle: false,
      },
    );
  });

  it('names each missing or contradictory store setting', () => {
    const refuses = (env: Record<string, string>, ...needles: string[]) =>
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => error instanceof ConfigError && needles.every((needle) => error.message.includes(needle)),
        JSON.stringify(env),
      );
    refuses({ ARMTRACE_STORE: 'disk' }, 'ARMTRACE_STORE: must be folder or s3');
    refuses({ ARMTRACE_STORE: 's3' }, 'ARMTRACE_S3_BUCKET: required with ARMTRACE_STORE=s3');
    refuses(
      { ARMTRACE_STORE: 's3', ARMTRACE_S3_BUCKET: 'Evidence_Bucket' },
      'ARMTRACE_S3_BUCKET: must be a bucket name',
    );
    refuses(
      { ARMTRACE_STORE: 's3', ARMTRACE_S3_BUCKET: 'evidence', ARMTRACE_S3_ACCESS_KEY_ID: 'armtrace' },
      'ARMTRACE_S3_ACCESS_KEY_ID, ARMTRACE_S3_SECRET_ACCESS_KEY: set both',
    );
    refuses(
      { ARMTRACE_STORE: 's3', ARMTRACE_S3_BUCKET: 'evidence', ARMTRACE_S3_ENDPOINT: 'minio:9000' },
      'ARMTRACE_S3_ENDPOINT',
    );
    refuses(
      { ARMTRACE_STORE: 's3', ARMTRACE_S3_BUCKET: 'evidence', ARMTRACE_S3_PREFIX: '/cases' },
      'ARMTRACE_S3_PREFIX',
    );
    // S3 settings while the folder store is in use would let an operator believe evidence goes to the bucket.
    refuses({ ARMTRACE_S3_BUCKET: 'evidence' }, 'ARMTRACE_S3_BUCKET: is set, but ARMTRACE_STORE is folder');
  });

  it('reads ARMTRACE_TRUST_PROXY: off by default, a hop count, or proxy addresses and CIDR ranges', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ ARMTRACE_TRUST_PROXY: 'off' }).trustProxy, false);
    assert.equal(loadConfig({ ARMTRACE_TRUST_PROXY: '1' }).trustProxy, 1);
    assert.deepEqual(loadConfig({ ARMTRACE_TRUST_PROXY: '10.0.0.30, 10.0.1.0/24,::1' }).trustProxy, [
      '10.0.0.30',
      '10.0.1.0/24',
      '::1',
    ]);
    for (const bad of ['yes', '11', '10.0.0.300', '10.0.0.0/33', 'haproxy.local', '10.0.0.1,']) {
      assert.throws(
        () => loadConfig({ ARMTRACE_TRUST_PROXY: bad }),
        (error: unknown) => error instanceof ConfigError && error.message.includes('ARMTRACE_TRUST_PROXY: must be off'),
        bad,
      );
    }
  });
});
