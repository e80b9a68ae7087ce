import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type * as ClientS3 from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type * as LibStorage from '@aws-sdk/lib-storage';
import type { S3StoreConfig } from '../config/config.js';
import { DomainError } from '../errors.js';
import {
  checkDerivativeName,
  checkHash,
  checkJobResult,
  checkStagingId,
  missingJobResult,
  missingStaging,
  hashStream,
  missingOriginal,
  removeOldPartialFiles,
  settleOnce,
  stageToFile,
  type ByteRange,
  type EvidenceStore,
  type StagedFile,
  type StagedOriginal,
  type StageOptions,
  type StoredObject,
} from './evidence-store.js';

/** Files up to this size go up in one PutObject (with their whole SHA-256 checked by the server); larger in parts. */
const SINGLE_PUT_BYTES = 16 * 1024 * 1024;
// The AWS SDK is loaded when an S3 store is used, not by every command that loads this module.
const loadPackage = createRequire(import.meta.url);
const sdk = (): typeof ClientS3 => loadPackage('@aws-sdk/client-s3') as typeof ClientS3;
const storage = (): typeof LibStorage => loadPackage('@aws-sdk/lib-storage') as typeof LibStorage;

const PART_BYTES = 16 * 1024 * 1024;
const HASH_KEY = /^[0-9a-f]{64}$/;

function isNotFound(error: unknown): boolean {
  if (!(error instanceof sdk().S3ServiceException)) return false;
  return error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404;
}

function isPreconditionFailed(error: unknown): boolean {
  return error instanceof sdk().S3ServiceException && error.$metadata.httpStatusCode === 412;
}

/**
 * Makes the SDK client of an S3-compatible store. Checksums are computed only when an operation asks for one
 * (and this store asks for SHA-256 on every original it writes): the SDK's default of a CRC on every request
 * is refused by several S3-compatible servers.
 *
 * @example
 * const client = createS3Client(config.store);
 */
export function createS3Client(config: S3StoreConfig): S3Client {
  return new (sdk().S3Client)({
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    // Without keys in the configuration the SDK's default chain applies (environment, profile, instance role).
    ...(config.credentials === undefined ? {} : { credentials: config.credentials }),
  });
}

/**
 * Originals as objects `<prefix>sha256/<hash>` in one bucket of an S3-compatible store (AWS S3, MinIO, Ceph
 * RGW, Garage), derivatives as `<prefix>derivatives/<parent hash>/<name>`. A file is received into a local
 * staging folder and hashed there first (the media feature reads its metadata from that copy), then uploaded
 * straight to the key named by its hash: nothing is written under a key before the hash is known, so no
 * temporary objects need copying or cleaning, and the bytes under a key are always the bytes that were hashed.
 * Write-once: an existing key is never written again (HeadObject first, and `If-None-Match: *` on a single
 * PUT for stores that support conditional writes); the server checks the SHA-256 of what arrived
 * (`x-amz-checksum-sha256` of the whole object on a single PUT, of each part in a multipart upload), and the
 * stored size is compared with the staged size before the original counts as stored.
 *
 * @example
 * const store = new S3EvidenceStore(createS3Client(config.store), config.store, '/srv/armtrace/staging');
 * const { sha256 } = await store.put(fs.createReadStream('IMG_0412.JPG'), { maxBytes: 200e6 });
 */
export class S3EvidenceStore implements EvidenceStore {
  readonly kind = 's3' as const;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(
    readonly client: S3Client,
    config: Pick<S3StoreConfig, 'bucket' | 'prefix'>,
    /** Local folder for staging received files and temporary copies (not evidence; swept when abandoned). */
    readonly stagingDir: string,
  ) {
    this.bucket = config.bucket;
    this.prefix = config.prefix;
  }

  /** The object key of an original. */
  key(sha256: string): string {
    return `${this.prefix}sha256/${checkHash(sha256)}`;
  }

  get location(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  locate(sha256: string): string {
    return `s3://${this.bucket}/${this.key(sha256)}`;
  }

  async stage(source: Readable, options: StageOptions): Promise<StagedOriginal> {
    const staged = await stageToFile(this.stagingDir, source, options);
    return settleOnce(staged, (file) => this.commitStaged(file));
  }

  private async commitStaged(staged: StagedFile): Promise<{ created: boolean }> {
    try {
      return await this.upload(staged);
    } finally {
      await fsp.rm(staged.localPath, { force: true });
    }
  }

  private async upload({ localPath, sha256, sizeBytes }: StagedFile): Promise<{ created: boolean }> {
    const existing = await this.stat(sha256);
    if (existing !== undefined) return this.alreadyStored(sha256, sizeBytes, existing.sizeBytes);
    const Key = this.key(sha256);
    const Metadata = { sha256 };
    if (sizeBytes <= SINGLE_PUT_BYTES) {
      try {
        await this.client.send(
          new (sdk().PutObjectCommand)({
            Bucket: this.bucket,
            Key,
            Body: await fsp.readFile(localPath),
            ContentLength: sizeBytes,
            ContentType: 'application/octet-stream',
            ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
            IfNoneMatch: '*',
            Metadata,
          }),
        );
      } catch (error) {
        // Another writer stored the same hash between our HeadObject and this PUT.
        if (isPreconditionFailed(error)) return { created: false };
        throw this.unavailable('store', sha256, error);
      }
    } else {
      try {
        await new (storage().Upload)({
          client: this.client,
          params: {
            Bucket: this.bucket,
            Key,
            Body: fs.createReadStream(localPath, { highWaterMark: 1024 * 1024 }),
            ContentType: 'application/octet-stream',
            ChecksumAlgorithm: 'SHA256',
            Metadata,
          },
          partSize: PART_BYTES,
          queueSize: 4,
          leavePartsOnError: false,
        }).done();
      } catch (error) {
        throw this.unavailable('store', sha256, error);
      }
    }
    const stored = await this.stat(sha256);
    if (stored?.sizeBytes !== sizeBytes) {
      throw new Error(
        `The upload of ${this.locate(sha256)} ended with ${stored === undefined ? 'no object' : `${stored.sizeBytes} bytes`} instead of ${sizeBytes}; the file was not stored.`,
      );
    }
    return { created: true };
  }

  private alreadyStored(sha256: string, sizeBytes: number, storedBytes: number): { created: boolean } {
    // Same hash, same size: the same bytes; the object is never written again.
    if (storedBytes === sizeBytes) return { created: false };
    throw new DomainError(
      'constraint_violated',
      `The stored original ${this.locate(sha256)} is damaged (size ${storedBytes}, expected ${sizeBytes}); run \`armtrace verify\` and restore it from a backup.`,
    );
  }

  private unavailable(action: string, sha256: string, error: unknown): Error {
    if (error instanceof DomainError) return error;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new Error(`The evidence store could not ${action} ${this.locate(sha256)} (${reason}).`, { cause: error });
  }

  async put(source: Readable, options: StageOptions): Promise<{ sha256: string; sizeBytes: number; created: boolean }> {
    const staged = await this.stage(source, options);
    const { created } = await staged.commit();
    return { sha256: staged.sha256, sizeBytes: staged.sizeBytes, created };
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== undefined;
  }

  async stat(sha256: string): Promise<{ sizeBytes: number } | undefined> {
    try {
      const head = await this.client.send(
        new (sdk().HeadObjectCommand)({ Bucket: this.bucket, Key: this.key(sha256) }),
      );
      return { sizeBytes: head.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw this.unavailable('read', sha256, error);
    }
  }

  async get(sha256: string, range?: ByteRange): Promise<Readable> {
    try {
      const object = await this.client.send(
        new (sdk().GetObjectCommand)({
          Bucket: this.bucket,
          Key: this.key(sha256),
          ...(range === undefined ? {} : { Range: `bytes=${range.start}-${range.end}` }),
        }),
      );
      if (!(object.Body instanceof Readable)) throw new Error('the S3 client returned no Node.js stream');
      return object.Body;
    } catch (error) {
      if (isNotFound(error)) throw missingOriginal(sha256);
      throw this.unavailable('read', sha256, error);
    }
  }

  async withLocalFile<T>(sha256: string, use: (file: string) => Promise<T>): Promise<T> {
    await fsp.mkdir(this.stagingDir, { recursive: true });
    const file = path.join(this.stagingDir, `${randomUUID()}.partial`);
    try {
      await pipeline(await this.get(sha256), fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
      return await use(file);
    } finally {
      await fsp.rm(file, { force: true });
    }
  }

  async rehash(sha256: string): Promise<StoredObject | undefined> {
    let stream: Readable;
    try {
      stream = await this.get(sha256);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not_found') return undefined;
      throw error;
    }
    return hashStream(stream);
  }

  async *list(after?: string): AsyncIterable<StoredObject> {
    const prefix = `${this.prefix}sha256/`;
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new (sdk().ListObjectsV2Command)({
          Bucket: this.bucket,
          Prefix: prefix,
          ...(continuationToken === undefined
            ? after === undefined
              ? {}
              : { StartAfter: `${prefix}${checkHash(after)}` }
            : { ContinuationToken: continuationToken }),
        }),
      );
      for (const object of page.Contents ?? []) {
        const name = object.Key?.slice(prefix.length) ?? '';
        if (HASH_KEY.test(name)) yield { sha256: name, sizeBytes: object.Size ?? 0 };
      }
      continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
  }

  private derivativeKey(parentSha256: string, name: string): string {
    return `${this.prefix}derivatives/${checkHash(parentSha256)}/${checkDerivativeName(name)}`;
  }

  async getDerivative(parentSha256: string, name: string): Promise<Buffer | undefined> {
    try {
      const object = await this.client.send(
        new (sdk().GetObjectCommand)({ Bucket: this.bucket, Key: this.derivativeKey(parentSha256, name) }),
      );
      return object.Body === undefined ? undefined : Buffer.from(await object.Body.transformToByteArray());
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async putDerivative(parentSha256: string, name: string, bytes: Buffer): Promise<void> {
    // Derivatives can always be made again: a later PUT of the same name may replace one.
    await this.client.send(
      new (sdk().PutObjectCommand)({
        Bucket: this.bucket,
        Key: this.derivativeKey(parentSha256, name),
        Body: bytes,
        ContentType: 'image/webp',
      }),
    );
  }

  private jobResultKey(jobId: string, file: string): string {
    checkJobResult(jobId, file);
    return `${this.prefix}job-results/${jobId}/${file}`;
  }

  async putJobResult(jobId: string, file: string, localPath: string): Promise<void> {
    // Results can be large (a bag): multipart from the file. Not evidence, so a later try may replace one.
    await new (storage().Upload)({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: this.jobResultKey(jobId, file),
        Body: fs.createReadStream(localPath, { highWaterMark: 1024 * 1024 }),
        ContentType: 'application/octet-stream',
      },
      partSize: PART_BYTES,
      queueSize: 4,
      leavePartsOnError: false,
    }).done();
  }

  async getJobResult(jobId: string, file: string): Promise<Readable> {
    try {
      const object = await this.client.send(
        new (sdk().GetObjectCommand)({ Bucket: this.bucket, Key: this.jobResultKey(jobId, file) }),
      );
      if (!(object.Body instanceof Readable)) throw new Error('the S3 client returned no Node.js stream');
      return object.Body;
    } catch (error) {
      if (isNotFound(error)) throw missingJobResult(jobId, file);
      throw error;
    }
  }

  private stagingKey(id: string): string {
    return `${this.prefix}staging/${checkStagingId(id)}`;
  }

  async putStaging(id: string, localPath: string): Promise<void> {
    await new (storage().Upload)({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: this.stagingKey(id),
        Body: fs.createReadStream(localPath, { highWaterMark: 1024 * 1024 }),
        ContentType: 'application/octet-stream',
      },
      partSize: PART_BYTES,
      queueSize: 4,
      leavePartsOnError: false,
    }).done();
  }

  async withStagingFile<T>(id: string, use: (file: string) => Promise<T>): Promise<T> {
    await fsp.mkdir(this.stagingDir, { recursive: true });
    const file = path.join(this.stagingDir, `${randomUUID()}.partial`);
    try {
      let body: Readable;
      try {
        const object = await this.client.send(
          new (sdk().GetObjectCommand)({ Bucket: this.bucket, Key: this.stagingKey(id) }),
        );
        if (!(object.Body instanceof Readable)) throw new Error('the S3 client returned no Node.js stream');
        body = object.Body;
      } catch (error) {
        if (isNotFound(error)) throw missingStaging(id);
        throw error;
      }
      await pipeline(body, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
      return await use(file);
    } finally {
      await fsp.rm(file, { force: true });
    }
  }

  async removeStaging(id: string): Promise<void> {
    // Deleting a key that is gone already succeeds: two servers may sweep the same file.
    await this.client.send(new (sdk().DeleteObjectCommand)({ Bucket: this.bucket, Key: this.stagingKey(id) }));
  }

  async deleteJobResult(jobId: string, file: string): Promise<void> {
    // Only ever a key under <prefix>job-results/ (jobResultKey checks both names); S3 answers a missing key as done.
    await this.client.send(
      new (sdk().DeleteObjectCommand)({ Bucket: this.bucket, Key: this.jobResultKey(jobId, file) }),
    );
  }

  /**
   * Removes this server's abandoned staging files, and staged objects (`<prefix>staging/`, listed alone, never the
   * rest of the bucket) older than `before`. Multipart uploads cut off by a crash are left to the bucket's
   * lifecycle rule (AbortIncompleteMultipartUpload, docs/deploy.md).
   */
  async removeAbandonedFiles(before: Date): Promise<number> {
    let removed = await removeOldPartialFiles([this.stagingDir], before);
    const prefix = `${this.prefix}staging/`;
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new (sdk().ListObjectsV2Command)({
          Bucket: this.bucket,
          Prefix: prefix,
          ...(continuationToken === undefined ? {} : { ContinuationToken: continuationToken }),
        }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || object.LastModified === undefined || object.LastModified >= before) continue;
        await this.client.send(new (sdk().DeleteObjectCommand)({ Bucket: this.bucket, Key: object.Key }));
        removed += 1;
      }
      continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
    return removed;
  }
}
