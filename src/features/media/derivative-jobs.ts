import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { MediaConfig } from '../../config/config.js';
import type { DB } from '../../db/tables.js';
import { DomainError } from '../../errors.js';
import type { JobQueue, PeriodicJob } from '../../jobs/index.js';
import type { EvidenceStore } from '../../storage/evidence-store.js';
import { decodableImageTypes } from '../../storage/sniff.js';
import type { Actor } from '../access/schema.js';
import { recordChange } from '../audit/service.js';
import { jobActor } from '../jobs/service.js';
import { derivativeFileName, renderDerivative } from './derivatives.js';
import { perceptualHashOf } from './inspect.js';
import * as repository from './repository.js';

/**
 * Media derivatives as jobs (docs/jobs.md): after an upload commits its record, a `media.derivatives` job per
 * original (singleton key: its SHA-256, so never twice at once) reads the original from the evidence store (any
 * server can run it), makes the WebP thumbnail and preview, computes the perceptual hash, keeps the copies beside
 * the original and writes the hash into the records of that file (audited). `media_derivatives` says where it is.
 */
export const MEDIA_DERIVATIVES_JOB = 'media.derivatives';
/** Tries in all: a store that cannot be read is tried again; an image the decoder rejects is not. */
export const DERIVATIVE_ATTEMPTS = 3;

const payloadSchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export type DerivativesState = 'pending' | 'ready' | 'failed' | 'none';

/** A newly stored original whose derivatives are to be made, and the investigation of the record that asked. */
export interface NewOriginal {
  sha256: string;
  investigationId: string;
}

/**
 * What makes the derivatives of new originals once their records are committed: queued as jobs (a server, or a
 * CLI command sent to one) or made before the command ends (the CLI without a server: nothing else would).
 */
export type DerivativesMaker = (files: readonly NewOriginal[], actor: Actor) => Promise<void>;

/** Only images the decoder may read get derivatives; other files have none. */
export function hasDerivatives(mediaType: string): boolean {
  return decodableImageTypes.has(mediaType);
}

function distinct(files: readonly NewOriginal[]): NewOriginal[] {
  return [...new Map(files.map((file) => [file.sha256, file])).values()];
}

/**
 * Derivatives queued as jobs. A failure to queue does not undo the upload (its record is committed): the file
 * stays `pending` and the next `armtrace serve` queues it ({@link queuePendingDerivatives}).
 *
 * @example
 * const derivatives = queueDerivatives(deps.jobs);
 */
export function queueDerivatives(queue: JobQueue): DerivativesMaker {
  return async (files, actor) => {
    for (const file of distinct(files)) {
      try {
        await queue.enqueue(
          MEDIA_DERIVATIVES_JOB,
          { sha256: file.sha256 },
          {
            singletonKey: file.sha256,
            investigationId: file.investigationId,
            createdBy: actor.userId,
            maxAttempts: DERIVATIVE_ATTEMPTS,
          },
        );
      } catch (error) {
        process.stderr.write(
          `armtrace: could not queue the derivatives of ${file.sha256} (${String(error)}); the next server start queues them\n`,
        );
      }
    }
  };
}

/**
 * The derivatives of a CLI command's new files: inside `armtrace serve` its queue makes them; without a server
 * this process makes them before the command ends (docs/jobs.md: nothing else would until a server starts, and
 * `media similar`, exports and bags read the hash).
 */
export function derivativesForCommand(session: {
  inServer: boolean;
  jobs: JobQueue;
  db: Kysely<DB>;
  store: EvidenceStore;
  config: { media: MediaConfig };
}): DerivativesMaker {
  return session.inServer
    ? queueDerivatives(session.jobs)
    : makeDerivativesHere(session.db, session.store, session.config.media);
}

/**
 * Derivatives made here and now, by the same work a job does (the CLI without a server). A file the decoder
 * rejects ends `failed`, as in a job; the command still succeeds (its original and record are kept).
 */
export function makeDerivativesHere(
  db: Kysely<DB>,
  store: EvidenceStore,
  config: Pick<MediaConfig, 'maxImagePixels'>,
): DerivativesMaker {
  return async (files, actor) => {
    for (const file of distinct(files)) {
      try {
        await makeDerivatives(db, store, config.maxImagePixels, file.sha256, actor, { jobId: null, lastTry: true });
      } catch (error) {
        if (!(error instanceof DomainError))
          process.stderr.write(`armtrace: the derivatives of ${file.sha256} were not made (${String(error)})\n`);
      }
    }
  };
}

type Rendered = { hash: string; thumbnail: Buffer; preview: Buffer } | { rejected: string };

async function render(store: EvidenceStore, sha256: string, maxPixels: number): Promise<Rendered> {
  // A missing original is not the image's fault: thrown, so the job tries again (a store briefly unreachable).
  if (!(await store.has(sha256))) throw new Error(`the original ${sha256} is not in the evidence store`);
  return store.withLocalFile(sha256, async (file) => {
    try {
      return {
        hash: await perceptualHashOf(file, maxPixels),
        thumbnail: await renderDerivative(file, sha256, 'thumbnail', maxPixels),
        preview: await renderDerivative(file, sha256, 'preview', maxPixels),
      };
    } catch (error) {
      return { rejected: error instanceof Error ? error.message : String(error) };
    }
  });
}

/**
 * The work of one `media.derivatives` job: makes the thumbnail and preview of an original, keeps them beside it
 * and writes its perceptual hash into every record of that file that lacks it (each change audited as `actor`),
 * then marks the file `ready`. An image the decoder rejects is marked `failed` with the problem and throws a
 * refusal (not tried again); the original and its records are left as they are. Any other error is thrown to be
 * tried again; on the last try (`lastTry`) the file is marked `failed` first.
 *
 * @example
 * await makeDerivatives(db, store, config.media.maxImagePixels, media.sha256, actor, { jobId: null, lastTry: true });
 */
export async function makeDerivatives(
  db: Kysely<DB>,
  store: EvidenceStore,
  maxPixels: number,
  sha256: string,
  actor: Actor,
  options: { jobId: string | null; lastTry: boolean },
): Promise<void> {
  // A record of the same bytes added while this ran marks the file pending again: its job may be this one.
  for (let round = 0; round < 3; round += 1) {
    const state = (await repository.findDerivativeStates(db, [sha256])).get(sha256);
    if (state === undefined || state.state !== 'pending') return;
    let rendered: Rendered;
    try {
      rendered = await render(store, sha256, maxPixels);
      if (!('rejected' in rendered)) {
        await store.putDerivative(sha256, derivativeFileName('thumbnail'), rendered.thumbnail);
        await store.putDerivative(sha256, derivativeFileName('preview'), rendered.preview);
      }
    } catch (error) {
      if (options.lastTry) {
        await repository.setDerivativeState(db, sha256, 'failed', options.jobId, {
          code: 'internal',
          detail: `The thumbnail and preview could not be made: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
      throw error;
    }
    if ('rejected' in rendered) {
      const problem = new DomainError(
        'image_not_decodable',
        `The image ${sha256} could not be decoded (${rendered.rejected}); its original is kept as it is, without ` +
          'thumbnail, preview or perceptual hash.',
      );
      await repository.setDerivativeState(db, sha256, 'failed', options.jobId, {
        code: problem.code,
        detail: problem.message,
      });
      throw problem;
    }
    const { hash } = rendered;
    await db.transaction().execute(async (trx) => {
      // The file's row first, as an upload locks it before its audit entries: the two never wait on each other.
      await trx.selectFrom('media_derivatives').select('sha256').where('sha256', '=', sha256).forUpdate().execute();
      for (const before of await repository.lockRowsWithoutHash(trx, sha256)) {
        const after = await repository.setPerceptualHash(trx, before.id, hash);
        await recordChange(trx, actor, {
          action: 'media.perceptual_hash',
          entityType: 'media',
          entityId: before.id,
          investigationId: before.investigation_id,
          before,
          after,
        });
      }
      await repository.setDerivativeState(trx, sha256, 'ready', options.jobId, null);
    });
  }
}

/**
 * Registers the `media.derivatives` job, run as who uploaded the file (the hash's audit entries name them), and
 * its periodic sweep ({@link MEDIA_DERIVATIVES_SWEEP_JOB}).
 *
 * @example
 * registerMediaJobs(queue, { config });
 */
export function registerMediaJobs(queue: JobQueue, { config }: { config: { media: MediaConfig } }): void {
  queue.register(MEDIA_DERIVATIVES_JOB, async (payload, context) => {
    const { sha256 } = payloadSchema.parse(payload);
    const actor = await jobActor(context.db, context.createdBy);
    await context.progress(0, 1, 'making the thumbnail, the preview and the perceptual hash');
    await makeDerivatives(context.db, context.store, config.media.maxImagePixels, sha256, actor, {
      jobId: context.jobId,
      lastTry: context.attempt >= DERIVATIVE_ATTEMPTS,
    });
    await context.progress(1, 1, 'done');
    return null;
  });
  registerDerivativesSweep(queue);
}

/**
 * Queues a job for every file still `pending` with no job waiting or running (its upload's process stopped
 * before queueing it, or the CLI added it without a server): called when `armtrace serve` starts, and by the
 * periodic sweep ({@link MEDIA_DERIVATIVES_SWEEP_JOB}) with `pendingSince`: only files pending since before then.
 */
export async function queuePendingDerivatives(
  db: Kysely<DB>,
  queue: JobQueue,
  options: { pendingSince?: Date } = {},
): Promise<number> {
  let queued = 0;
  for (;;) {
    const waiting = await repository.listPendingWithoutJob(db, MEDIA_DERIVATIVES_JOB, 500, options.pendingSince);
    if (waiting.length === 0) return queued;
    for (const file of waiting) {
      await queue.enqueue(
        MEDIA_DERIVATIVES_JOB,
        { sha256: file.sha256 },
        {
          singletonKey: file.sha256,
          investigationId: file.investigation_id,
          createdBy: file.created_by,
          maxAttempts: DERIVATIVE_ATTEMPTS,
        },
      );
      queued += 1;
    }
    if (waiting.length < 500) return queued;
  }
}

/**
 * The periodic sweep of derivatives left `pending` with no job while the server runs (a server stopped between
 * an upload's commit and its enqueue, a queueing that failed, a CLI command stopped half-way): a job of the
 * instance's own, asked for every {@link DERIVATIVES_SWEEP_INTERVAL_SECONDS} by every server and run once per
 * interval across servers (src/jobs/periodic.ts), which queues a `media.derivatives` job for each file pending
 * for longer than `pending_for_seconds`.
 */
export const MEDIA_DERIVATIVES_SWEEP_JOB = 'media.derivatives.sweep';
export const DERIVATIVES_SWEEP_INTERVAL_SECONDS = 600;
/** A file pending for less is left alone: its upload may be about to queue its own job. */
export const DERIVATIVES_PENDING_FOR_SECONDS = 300;

const sweepPayloadSchema = z.object({ pending_for_seconds: z.number().int().min(0).max(86_400) });

/**
 * The sweep as a periodic job, for `armtrace serve` to ask for (`startPeriodicJob`).
 *
 * @example
 * startPeriodicJob(db, queue, derivativesSweep());
 */
export function derivativesSweep(options: { intervalSeconds?: number; pendingForSeconds?: number } = {}): PeriodicJob {
  return {
    name: MEDIA_DERIVATIVES_SWEEP_JOB,
    payload: { pending_for_seconds: options.pendingForSeconds ?? DERIVATIVES_PENDING_FOR_SECONDS },
    intervalSeconds: options.intervalSeconds ?? DERIVATIVES_SWEEP_INTERVAL_SECONDS,
    description: 'the sweep of media derivatives left pending',
  };
}

function registerDerivativesSweep(queue: JobQueue): void {
  queue.register(MEDIA_DERIVATIVES_SWEEP_JOB, async (payload, context) => {
    const { pending_for_seconds: pendingFor } = sweepPayloadSchema.parse(payload);
    const queued = await queuePendingDerivatives(context.db, queue, {
      pendingSince: new Date(Date.now() - pendingFor * 1000),
    });
    await context.progress(queued, queued, `${queued} media derivatives jobs queued`);
    return null;
  });
}
