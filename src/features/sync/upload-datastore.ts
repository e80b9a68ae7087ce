/**
 * Where tus uploads in progress are kept, so that any server can continue any upload: beside the evidence store.
 * With the folder store, in its folder (`media/tmp/tus`, shared between servers like the rest of that folder);
 * with an S3-compatible store, in the same bucket under `<prefix>uploads/` (@tus/s3-store: the upload is a
 * multipart upload there, its description an `.info` object, a tail shorter than a part a `.part` object).
 */
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { FileStore } from '@tus/file-store';
import { S3Store, type MetadataValue } from '@tus/s3-store';
import type { DataStore, KvStore } from '@tus/server';
import type { Config, S3StoreConfig } from '../../config/config.js';
import { createS3Client } from '../../storage/s3-store.js';

/** A tus datastore with what the upload endpoint needs of it beyond tus: reading a finished upload, cleaning. */
export interface UploadDatastore {
  datastore: DataStore;
  /** Prepended to the device's media id to make the upload's id in the datastore (its S3 key). */
  idPrefix: string;
  /** The bytes of a finished upload. */
  read(id: string): Promise<Readable>;
  /** Removes an upload, finished or not, and everything kept for it; an upload already gone is no error. */
  remove(id: string): Promise<void>;
  /** Removes the uploads created longer than their lifetime ago. */
  removeExpired(): Promise<number>;
}

/** Never keeps anything: every request reads the upload's description from the bucket, as another server left it. */
class NoCache implements KvStore<MetadataValue> {
  get(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  set(): Promise<void> {
    return Promise.resolve();
  }
  delete(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * @tus/s3-store keeps a per-process cache of each upload's description (wrong once another server has changed it)
 * and, on finishing, leaves the object and its `.info`; its own `remove` fails on a finished upload (the multipart
 * upload is gone) before deleting them, and its `deleteExpired` walks every multipart upload of the bucket. This
 * keeps it to its prefix and removes everything.
 */
class PrefixedS3UploadStore extends S3Store {
  constructor(
    private readonly config: S3StoreConfig,
    private readonly idPrefix: string,
    lifetimeMs: number,
  ) {
    super({
      s3ClientConfig: {
        bucket: config.bucket,
        region: config.region,
        forcePathStyle: config.forcePathStyle,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
        ...(config.credentials === undefined ? {} : { credentials: config.credentials }),
      },
      cache: new NoCache(),
      // Expiry is by the upload's creation date (below), not by object tags, which not every store supports.
      useTags: false,
      expirationPeriodInMilliseconds: lifetimeMs,
    });
  }

  override async remove(id: string): Promise<void> {
    const metadata = await this.getMetadata(id).catch(() => undefined);
    if (metadata?.['upload-id'] !== undefined) {
      await this.client
        .abortMultipartUpload({ Bucket: this.bucket, Key: id, UploadId: metadata['upload-id'] })
        .catch(() => undefined); // finished (or already aborted): nothing to abort
    }
    await this.client.deleteObjects({
      Bucket: this.bucket,
      Delete: { Objects: [{ Key: id }, { Key: this.infoKey(id) }, { Key: this.partKey(id, true) }], Quiet: true },
    });
  }

  override async deleteExpired(): Promise<number> {
    const before = Date.now() - this.getExpiration();
    const client = createS3Client(this.config);
    let removed = 0;
    let token: string | undefined;
    try {
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.idPrefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          const key = object.Key ?? '';
          if (!key.endsWith('.info') || (object.LastModified?.getTime() ?? Date.now()) > before) continue;
          await this.remove(key.slice(0, -'.info'.length));
          removed += 1;
        }
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    } finally {
      client.destroy();
    }
    return removed;
  }
}

/**
 * The datastore of uploads in progress for this configuration; see the module comment.
 *
 * @example
 * const uploads = createUploadDatastore(config, UNFINISHED_UPLOAD_LIFETIME_MS);
 * const server = new Server({ path: UPLOADS_PATH, datastore: uploads.datastore });
 */
export function createUploadDatastore(config: Pick<Config, 'dataDir' | 'store'>, lifetimeMs: number): UploadDatastore {
  if (config.store.kind === 's3') {
    const idPrefix = `${config.store.prefix}uploads/`;
    const store = new PrefixedS3UploadStore(config.store, idPrefix, lifetimeMs);
    return {
      datastore: store,
      idPrefix,
      read: (id) => store.read(id),
      remove: (id) => store.remove(id),
      removeExpired: () => store.deleteExpired(),
    };
  }
  const directory = uploadsFolderOf(config);
  const store = new FileStore({ directory, expirationPeriodInMilliseconds: lifetimeMs });
  return {
    datastore: store,
    idPrefix: '',
    read: (id) => Promise.resolve(store.read(id) as Readable),
    remove: (id) => store.remove(id).catch(() => undefined),
    removeExpired: () => store.deleteExpired(),
  };
}

/** The folder of uploads in progress with the folder store: inside the (shared) evidence folder. */
export function uploadsFolderOf(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'media', 'tmp', 'tus');
}
