import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { idParamsSchema } from '../investigations/schema.js';
import { createMediaStore } from '../media/store.js';
import { exportBag } from './service.js';
import { listTarEntries, tarLength, tarStream } from './tar.js';

export function registerBagRoutes(app: ApiApp, { db, config }: RouteDeps): void {
  const store = createMediaStore(config);
  app.get(
    '/investigations/:id/bag.tar',
    {
      schema: {
        tags: ['export'],
        summary:
          'The investigation as a BagIt bag (RFC 8493) in one tar file: records, originals, checksum manifests, audit-chain head and, with a TSA configured, an RFC 3161 token over the tag manifest (header x-armtrace-timestamp: token, timestamp_failed or not_configured); its length is sent first',
        params: idParamsSchema,
        produces: ['application/x-tar'],
        response: { 200: z.unknown().describe('The tar archive of the bag'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const investigationId = request.params.id;
      const folder = await fsp.mkdtemp(path.join(os.tmpdir(), 'armtrace-bag-'));
      const removeFolder = () => void fsp.rm(folder, { recursive: true, force: true });
      try {
        const name = `investigation-${investigationId}-bag`;
        const bag = path.join(folder, randomUUID());
        const written = await exportBag(db, store, actor, investigationId, { timestamping: config.timestamping }, bag);
        const entries = await listTarEntries(bag, name);
        return await reply
          .header('content-type', 'application/x-tar')
          .header('content-length', tarLength(entries))
          .header('content-disposition', `attachment; filename="${name}.tar"`)
          // No token: none configured, or the TSA failed (the bag is sent all the same).
          .header(
            'x-armtrace-timestamp',
            written.timestamp.file !== null ? 'token' : (written.timestamp.problem_code ?? 'not_configured'),
          )
          .send(tarStream(entries, removeFolder));
      } catch (error) {
        removeFolder();
        throw error;
      }
    },
  );
}
