import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver, { type S3rverContext } from 's3rver';

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
  addMultipartListing(server, directory);
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

/**
 * s3rver 3.7 implements multipart uploads without ListParts and AbortMultipartUpload, which @tus/s3-store (uploads
 * in progress) needs and every production store has. These two answer them from s3rver's own files
 * (`<bucket>/._S3rver_uploads/<upload id>/<part number>` and `.md5`), before its router sees the request.
 */
function addMultipartListing(server: S3rver, directory: string): void {
  const handler = async (context: S3rverContext, next: () => Promise<void>): Promise<void> => {
    const uploadId = context.query.uploadId;
    const match = /^\/([^/]+)\/(.+)$/.exec(context.path);
    if (typeof uploadId !== 'string' || match === null || !['GET', 'DELETE'].includes(context.method)) return next();
    const [, bucket, key] = match;
    const uploadDir = path.join(directory, bucket!, '._S3rver_uploads', uploadId);
    if (!fs.existsSync(uploadDir)) {
      context.status = 404;
      context.body = { Error: { Code: 'NoSuchUpload', Message: 'The specified upload does not exist.' } };
      return;
    }
    if (context.method === 'DELETE') {
      await fsp.rm(uploadDir, { recursive: true, force: true });
      context.status = 204;
      context.body = null;
      return;
    }
    const numbers = (await fsp.readdir(uploadDir))
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .sort((a, b) => a - b);
    const parts = await Promise.all(
      numbers.map(async (number) => {
        const file = path.join(uploadDir, String(number));
        const [stats, md5] = await Promise.all([fsp.stat(file), fsp.readFile(`${file}.md5`, 'utf8')]);
        return { PartNumber: number, LastModified: stats.mtime.toISOString(), ETag: `"${md5}"`, Size: stats.size };
      }),
    );
    context.body = {
      ListPartsResult: {
        Bucket: bucket,
        Key: decodeURIComponent(key!),
        UploadId: uploadId,
        IsTruncated: false,
        ...(parts.length === 0 ? {} : { Part: parts }),
      },
    };
  };
  server.middleware.splice(server.middleware.length - 1, 0, handler);
}
