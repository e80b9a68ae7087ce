import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

/** An S3-protocol server on loopback for the tests (s3rver, in this process, on a free port, in a temp folder). */
export interface TestS3Server {
  endpoint: string;
  bucket: string;
  /** The configuration that points armtrace at it (ARMTRACE_STORE=s3 and the rest). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts s3rver with one empty bucket. Throws (the test fails) when it cannot start: a test that needs the
 * object store never runs without one.
 *
 * @example
 * const s3 = await startTestS3Server();
 * const config = loadConfig({ ARMTRACE_DATA: dataDir, ...s3.env });
 */
export async function startTestS3Server(options: { prefix?: string } = {}): Promise<TestS3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-s3rver-'));
  const bucket = 'armtrace-evidence';
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  let address;
  try {
    address = await server.run();
  } catch (error) {
    fs.rmSync(directory, { recursive: true, force: true });
    throw new Error(`The test S3 server (s3rver) could not start: ${String(error)}`, { cause: error });
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    bucket,
    env: {
      ARMTRACE_STORE: 's3',
      ARMTRACE_S3_BUCKET: bucket,
      ARMTRACE_S3_ENDPOINT: endpoint,
      ARMTRACE_S3_REGION: 'us-east-1',
      // s3rver's fixed test keys.
      ARMTRACE_S3_ACCESS_KEY_ID: 'S3RVER',
      ARMTRACE_S3_SECRET_ACCESS_KEY: 'S3RVER',
      ...(options.prefix === undefined ? {} : { ARMTRACE_S3_PREFIX: options.prefix }),
    },
    async close() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
