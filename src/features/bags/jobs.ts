import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { JobQueue } from '../../jobs/index.js';
import { exportProfileSchema, profileFileSuffix } from '../export/profiles.js';
import { jobActor } from '../jobs/service.js';
import { instanceSigner } from '../signing/instance-key.js';
import { exportBag } from './service.js';
import { listTarEntries, tarStream } from './tar.js';

export const BAG_EXPORT_JOB = 'bag.export';

export const bagExportJobPayloadSchema = z.object({
  investigationId: z.uuid(),
  profile: exportProfileSchema,
  gridKm: z.number().optional(),
});
export type BagExportJobPayload = z.infer<typeof bagExportJobPayloadSchema>;

/**
 * The bag export as a job: the same exportBag as GET bag.tar, run as who asked, written as one tar file and
 * kept as the job's result in the evidence store (any server serves it).
 *
 * @example
 * registerBagJobs(queue, { config });
 */
export function registerBagJobs(queue: JobQueue, { config }: { config: Config }): void {
  queue.register(BAG_EXPORT_JOB, async (payload, context) => {
    const { investigationId, profile, gridKm } = bagExportJobPayloadSchema.parse(payload);
    const actor = await jobActor(context.db, context.createdBy);
    const folder = await fsp.mkdtemp(path.join(os.tmpdir(), 'armtrace-bag-job-'));
    try {
      await context.progress(0, 3, 'writing the bag');
      const bag = path.join(folder, randomUUID());
      await exportBag(
        context.db,
        context.store,
        actor,
        investigationId,
        { timestamping: config.timestamping, profile: { profile, gridKm } },
        bag,
        instanceSigner(config),
      );
      await context.progress(1, 3, 'packing the bag');
      const name = `investigation-${investigationId}${profileFileSuffix(profile)}-bag`;
      const tar = path.join(folder, `${name}.tar`);
      const entries = await listTarEntries(bag, name);
      await pipeline(
        tarStream(entries, () => undefined),
        createWriteStream(tar, { flags: 'wx' }),
      );
      await context.progress(2, 3, 'keeping the bag');
      const kept = await context.keepResult({ path: tar }, `${name}.tar`, 'application/x-tar');
      await context.progress(3, 3, 'done');
      return kept;
    } finally {
      await fsp.rm(folder, { recursive: true, force: true });
    }
  });
}
