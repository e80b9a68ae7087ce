import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { DomainError } from '../../errors.js';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { requireRole } from '../access/service.js';
import { idParamsSchema } from '../../http/params.js';
import { profileFileSuffix, profileHeader, profileOptionsOf, profileQuerySchema } from '../export/profiles.js';
import { instanceSigner } from '../signing/instance-key.js';
import { jobAcceptedSchema } from '../jobs/schema.js';
import { enqueueJob } from '../jobs/service.js';
import { queueDerivatives } from '../media/service.js';
import { bagImportResultSchema, importBag } from './import.js';
import { BAG_EXPORT_JOB } from './jobs.js';
import { exportBag } from './service.js';
import { extractTar, listTarEntries, tarLength, tarStream } from './tar.js';

export function registerBagRoutes(app: ApiApp, { db, config, store, jobs }: RouteDeps): void {
  // A bag arrives as the tar archive `bag.tar` sends; the route reads it as a stream.
  app.addContentTypeParser('application/x-tar', (_request, payload, done) => {
    done(null, payload);
  });
  app.get(
    '/investigations/:id/bag.tar',
    {
      schema: {
        tags: ['export'],
        summary:
          'The investigation as a BagIt bag (RFC 8493) in one tar file: records, originals, checksum manifests, audit-chain head, the instance’s signature of the tag manifest and, with a TSA configured, an RFC 3161 token over the tag manifest (header x-armtrace-timestamp: token, timestamp_failed or not_configured); its length is sent first',
        params: idParamsSchema,
        querystring: profileQuerySchema,
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
        const profile = profileOptionsOf(request.query);
        const name = `investigation-${investigationId}${profileFileSuffix(profile.profile)}-bag`;
        const bag = path.join(folder, randomUUID());
        const written = await exportBag(
          db,
          store,
          actor,
          investigationId,
          { timestamping: config.timestamping, profile },
          bag,
          instanceSigner(config),
        );
        const entries = await listTarEntries(bag, name);
        return await reply
          .header('content-type', 'application/x-tar')
          .header(profileHeader, profile.profile)
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
  app.post(
    '/investigations/:id/bag-jobs',
    {
      schema: {
        tags: ['export'],
        summary:
          'Export the investigation as a bag in the background: 202 with the job to follow (GET /jobs/{id}, with progress); the tar file of GET bag.tar is its result. The same request while one waits or runs returns that job',
        params: idParamsSchema,
        body: profileQuerySchema,
        response: { 202: jobAcceptedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const investigationId = request.params.id;
      await requireRole(db, actor, investigationId, 'viewer');
      const { profile, gridKm } = profileOptionsOf(request.body);
      const accepted = await enqueueJob(
        jobs,
        BAG_EXPORT_JOB,
        { investigationId, profile, gridKm },
        {
          investigationId,
          createdBy: actor.userId,
          singletonKey: `${actor.userId}:${investigationId}:${profile}:${gridKm}`,
        },
      );
      return reply.status(202).send(accepted);
    },
  );
  app.post(
    '/investigations/:id/bag-imports',
    {
      schema: {
        tags: ['imports'],
        summary:
          'Import a partner’s signed bag (the tar archive of another armtrace’s bag.tar, sent as application/x-tar): payload hashes and signature checked first, the signer must be this instance or a trusted partner; all or nothing; importing the same bag again creates nothing (200) (editor)',
        params: idParamsSchema,
        consumes: ['application/x-tar'],
        response: { 200: bagImportResultSchema, 201: bagImportResultSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      // Refused before a byte of the archive is written to disk.
      await requireRole(db, actor, request.params.id, 'editor');
      // Only an application/x-tar body arrives as a stream; JSON, a form or no body at all is not a bag.
      if (!(request.body instanceof Readable)) {
        throw new DomainError('validation_failed', 'Send the bag as the request body, as application/x-tar.', [
          { field: 'body', message: 'expected a tar archive (Content-Type: application/x-tar)' },
        ]);
      }
      const folder = await fsp.mkdtemp(path.join(os.tmpdir(), 'armtrace-bag-import-'));
      try {
        await extractTar(request.body, folder, config.maxBagImportBytes, 'body');
        const result = await importBag(
          db,
          store,
          actor,
          request.params.id,
          folder,
          instanceSigner(config),
          queueDerivatives(jobs),
        );
        return await reply.status(result.already_imported ? 200 : 201).send(result);
      } finally {
        await fsp.rm(folder, { recursive: true, force: true });
      }
    },
  );
}
