import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MemoryLocker, Server, type Upload } from '@tus/server';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { JobQueue } from '../../jobs/index.js';
import { requireUnusedRecordId } from '../../db/record-ids.js';
import type { DB } from '../../db/tables.js';
import { DomainError, toProblem } from '../../errors.js';
import { requireActor } from '../../http/auth.js';
import type { ApiApp } from '../../http/types.js';
import type { Actor } from '../access/schema.js';
import { uploadFieldsSchema } from '../media/schema.js';
import {
  addMedia,
  queueDerivatives,
  receiveMediaFile,
  requireCanAddMedia,
  type DerivativesMaker,
} from '../media/service.js';
import type { EvidenceStore } from '../../storage/evidence-store.js';
import { createUploadDatastore, uploadsFolderOf, type UploadDatastore } from './upload-datastore.js';
import { PostgresUploadLocker } from './upload-locker.js';

/** Where the tus endpoint is mounted; the upload URL is this path plus the media id. */
export const UPLOADS_PATH = '/api/v1/uploads';

/** An unfinished upload is kept this long after it was created, then removed (HTTP 410 on resume). */
export const UNFINISHED_UPLOAD_LIFETIME_MS = 7 * 24 * 3600 * 1000;

/** Upload-Metadata keys set by the server, never taken from the client. */
const OWNER_KEY = 'armtrace_user_id';

/** What the device says about the file (tus Upload-Metadata); the link and description fields are the multipart form's. */
const uploadMetadataSchema = z
  .object({
    investigation_id: z.uuid(),
    media_id: z.uuid().describe('The id the media record gets (UUIDv7 from the device)'),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'the SHA-256 of the file in hex')
      .transform((hex) => hex.toLowerCase()),
    filename: z.string().trim().min(1).max(500),
  })
  .loose();
type UploadMetadata = z.output<typeof uploadMetadataSchema>;

const ownKeys = new Set(['investigation_id', 'media_id', 'sha256', 'filename', 'filetype', OWNER_KEY]);

/** The multipart form's optional fields (link target, captured_at, credit…) carried in the metadata. */
function uploadFields(metadata: Record<string, string | null | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata).filter(
      (entry): entry is [string, string] => !ownKeys.has(entry[0]) && typeof entry[1] === 'string',
    ),
  );
}

function parseMetadata(metadata: Record<string, string | null | undefined> | undefined): UploadMetadata {
  const parsed = uploadMetadataSchema.safeParse(metadata ?? {});
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || 'Upload-Metadata',
      message: issue.message,
    }));
    throw new DomainError(
      'validation_failed',
      `Upload-Metadata needs investigation_id, media_id, sha256 and filename: ${fields.map((field) => `${field.field}: ${field.message}`).join('; ')}`,
      fields,
    );
  }
  const fields = uploadFieldsSchema.safeParse(uploadFields(metadata ?? {}));
  if (!fields.success) throw fields.error;
  return parsed.data;
}

/** The tus hooks get a web Request; the Node request under it carries the actor the auth hook found. */
const actors = new WeakMap<IncomingMessage, Actor>();

interface NodeBacked {
  runtime?: { node?: { req: IncomingMessage; res: ServerResponse } };
}

function nodeOf(request: unknown): { req: IncomingMessage; res: ServerResponse } {
  const node = (request as NodeBacked).runtime?.node;
  if (node === undefined) throw new Error('tus request without its Node request');
  return node;
}

function actorOf(request: unknown): Actor {
  const actor = actors.get(nodeOf(request).req);
  if (actor === undefined) throw new DomainError('unauthenticated', 'Sign in or send an API token.');
  return actor;
}

/** Responses that carry a problem document; tus itself would call every body text/plain. */
const problemResponses = new WeakSet<ServerResponse>();

type WriteHead = (status: number, ...rest: unknown[]) => ServerResponse;

/** Sends problem documents from tus hooks as application/problem+json, like every other route. */
function typeProblemResponses(response: ServerResponse): void {
  const writeHead = response.writeHead.bind(response) as WriteHead;
  (response as unknown as { writeHead: WriteHead }).writeHead = (status, ...rest) => {
    if (problemResponses.has(response)) {
      for (const headers of rest) {
        if (!Array.isArray(headers)) continue;
        for (let index = 0; index < headers.length; index += 2) {
          if (String(headers[index]).toLowerCase() === 'content-type') headers[index + 1] = 'application/problem+json';
        }
      }
    }
    return writeHead(status, ...rest);
  };
}

/** A problem as tus hooks throw it: the status and a problem+json body. */
function tusError(request: unknown, error: unknown): { status_code: number; body: string } {
  const problem = toProblem(error, new URL((request as { url: string }).url).pathname);
  problemResponses.add(nodeOf(request).res);
  return { status_code: problem.status, body: JSON.stringify(problem) };
}

async function guard<T>(request: unknown, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // @tus/server aborts the request with the status and body of a thrown plain object.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw tusError(request, error);
  }
}

const uploadIdSchema = z.uuid();

function isNotFound(error: unknown): boolean {
  return (
    (error as { status_code?: number }).status_code === 404 || (error as { status_code?: number }).status_code === 410
  );
}

/**
 * Before an upload is created: the metadata is complete, the user may add
 * media to the investigation and the media id is free (or already this very
 * file, which is then not uploaded again).
 */
async function checkNewUpload(db: Kysely<DB>, actor: Actor, metadata: UploadMetadata): Promise<void> {
  await requireCanAddMedia(db, actor, metadata.investigation_id);
  // A photo of a record still in the device's outbox waits for it, before its bytes are sent.
  for (const [field, table] of [
    ['site_id', 'sites'],
    ['item_id', 'items'],
    ['marking_id', 'markings'],
  ] as const) {
    const target = metadata[field];
    if (typeof target !== 'string' || !uploadIdSchema.safeParse(target).success) continue;
    const found = await db
      .selectFrom(table as 'items')
      .select('id')
      .where('id', '=', target)
      .executeTakeFirst();
    if (found === undefined) {
      throw new DomainError(
        'dependency_missing',
        `${field} ${target} is not on the server yet; sync the record first, then upload the file.`,
        [{ field, message: 'not on the server yet' }],
      );
    }
  }
  const existing = await db
    .selectFrom('media')
    .select(['investigation_id', 'sha256'])
    .where('id', '=', metadata.media_id)
    .executeTakeFirst();
  // A ProofMode bundle made the record of its photo: the bundle's hash is that of one of the record's proof files.
  const fromSameBundle =
    existing?.investigation_id === metadata.investigation_id &&
    existing.sha256 !== metadata.sha256 &&
    (await db
      .selectFrom('media_proofs')
      .select('id')
      .where('media_id', '=', metadata.media_id)
      .where(sql<boolean>`files @> ${JSON.stringify([{ role: 'bundle', sha256: metadata.sha256 }])}::jsonb`)
      .executeTakeFirst()) !== undefined;
  if (
    existing?.investigation_id === metadata.investigation_id &&
    (existing.sha256 === metadata.sha256 || fromSameBundle)
  ) {
    throw new DomainError(
      'already_exists',
      `Media ${metadata.media_id} was uploaded before and is evidence: GET /api/v1/media/${metadata.media_id}.`,
      [{ field: 'media_id', message: 'already uploaded' }],
    );
  }
  await requireUnusedRecordId(db, metadata.media_id, 'media_id');
}

/**
 * The tus 1.0 resumable upload endpoint: a device sends a photo or video in
 * as many requests as its connection allows, resuming from the offset the
 * server reports. Access is checked before any byte is accepted; the bytes
 * wait beside the evidence store until complete (upload-datastore.ts: any
 * server can continue an upload, under a lock shared through PostgreSQL), then
 * are hashed, compared with the SHA-256 the device computed and made evidence
 * by the same service as the multipart upload, with the device's media id.
 */
export function createUploadServer(
  db: Kysely<DB>,
  config: Config,
  mediaStore: EvidenceStore,
  derivatives: DerivativesMaker,
): { server: Server; uploads: UploadDatastore } {
  const uploads = createUploadDatastore(config, UNFINISHED_UPLOAD_LIFETIME_MS);
  const { datastore, idPrefix } = uploads;
  const server = new Server({
    path: UPLOADS_PATH,
    datastore,
    // Several servers on one PostgreSQL share the lock of an upload; the embedded database has one process.
    locker: config.databaseUrl === undefined ? new MemoryLocker() : new PostgresUploadLocker(db),
    maxSize: config.media.maxUploadBytes,
    relativeLocation: true,
    // The web app is served from the same origin; no other origin is answered.
    allowedOrigins: [],
    // The URL names the media id; the datastore's id may carry a prefix (the upload's S3 key).
    getFileIdFromRequest: (_request, lastPath) =>
      lastPath !== undefined && uploadIdSchema.safeParse(lastPath).success ? `${idPrefix}${lastPath}` : undefined,
    generateUrl: (_request, { path, id }) => `${path}/${id.slice(idPrefix.length)}`,
    namingFunction: (request, metadata) =>
      guard(request, () => Promise.resolve(`${idPrefix}${parseMetadata(metadata).media_id}`)),
    onUploadCreate: (request, upload) =>
      guard(request, async () => {
        const actor = actorOf(request);
        const metadata = parseMetadata(upload.metadata);
        await checkNewUpload(db, actor, metadata);
        // An unfinished upload of the same media id starts over (the device lost its URL): creating truncates it.
        return { metadata: { ...upload.metadata, [OWNER_KEY]: actor.userId } };
      }),
    onIncomingRequest: (request, id) =>
      guard(request, async () => {
        if (request.method === 'POST') return;
        const actor = actorOf(request);
        let upload: Upload;
        try {
          upload = await datastore.getUpload(id);
        } catch (error) {
          if (isNotFound(error)) throw new DomainError('not_found', `No unfinished upload ${id}; create it again.`);
          throw error;
        }
        // Someone else's upload is answered like one that does not exist.
        if (upload.metadata?.[OWNER_KEY] !== actor.userId) {
          throw new DomainError('not_found', `No unfinished upload ${id}; create it again.`);
        }
        await requireCanAddMedia(db, actor, parseMetadata(upload.metadata).investigation_id);
      }),
    onUploadFinish: (request, upload) =>
      guard(request, async () => {
        const actor = actorOf(request);
        const metadata = parseMetadata(upload.metadata);
        let staged: Awaited<ReturnType<typeof receiveMediaFile>> | undefined;
        try {
          staged = await receiveMediaFile(mediaStore, config.media, await uploads.read(upload.id));
          if (staged.sha256 !== metadata.sha256) {
            throw new DomainError(
              'hash_mismatch',
              `The server received ${staged.sizeBytes} bytes with SHA-256 ${staged.sha256}, not ${metadata.sha256}: nothing was kept; upload the file again.`,
              [{ field: 'sha256', message: 'does not match the bytes received' }],
            );
          }
          const created = await addMedia(
            db,
            mediaStore,
            config.media,
            actor,
            metadata.investigation_id,
            staged,
            { filename: metadata.filename, mediaId: metadata.media_id },
            uploadFields(upload.metadata ?? {}),
            derivatives,
          );
          return { headers: { 'Armtrace-Media-Id': created.id, 'Armtrace-Stored': created.stored } };
        } finally {
          await staged?.discard();
          // Made evidence or refused, the partial upload is done with; a retry creates a new one.
          await uploads.remove(upload.id).catch(() => undefined);
        }
      }),
  });
  return { server, uploads };
}

/**
 * Mounts the tus endpoint in the Fastify app (under the /api/v1 prefix): the
 * authentication hook has run, so the actor is known before tus sees the
 * request; tus reads the body stream itself. Unfinished uploads older than
 * {@link UNFINISHED_UPLOAD_LIFETIME_MS} are removed when the app starts.
 */
export function registerUploadRoutes(
  app: ApiApp,
  db: Kysely<DB>,
  config: Config,
  store: EvidenceStore,
  jobs: JobQueue,
): void {
  // Built on first use: the data directory is created only by an upload.
  let upload: ReturnType<typeof createUploadServer> | undefined;
  const uploadServer = () => (upload ??= createUploadServer(db, config, store, queueDerivatives(jobs)));

  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));
  for (const url of ['/uploads', '/uploads/', '/uploads/:uploadId']) {
    app.route({
      method: url.endsWith(':uploadId') ? ['HEAD', 'PATCH', 'DELETE'] : ['POST'],
      url,
      schema: { hide: true },
      handler: async (request, reply) => {
        actors.set(request.raw, requireActor(request));
        // tus answers on the raw response and reads the raw body itself.
        reply.hijack();
        typeProblemResponses(reply.raw);
        await uploadServer().server.handle(request.raw, reply.raw);
      },
    });
  }
  app.addHook('onReady', async () => {
    if (config.store.kind === 'folder' && !fs.existsSync(uploadsFolderOf(config))) return;
    await uploadServer()
      .uploads.removeExpired()
      .catch(() => undefined);
  });
}
