import { z } from 'zod';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { instanceSigner } from './instance-key.js';
import {
  fingerprintSchema,
  instancePublicKeySchema,
  trustedKeyListQuerySchema,
  trustedKeySchema,
  trustKeyBodySchema,
  withdrawKeyBodySchema,
} from './schema.js';
import * as service from './service.js';

const tags = ['signing'];

export function registerSigningRoutes(app: ApiApp, { db, config }: RouteDeps): void {
  app.get(
    '/instance/public-key',
    {
      schema: {
        tags,
        summary:
          'This instance’s Ed25519 public key, its fingerprint and signer name: give it to partners who check its bags',
        response: { 200: instancePublicKeySchema, ...problemResponses },
      },
    },
    (request) => {
      requireActor(request);
      return service.describeInstanceKey(instanceSigner(config));
    },
  );
  app.get(
    '/signing/trusted-keys',
    {
      schema: {
        tags,
        summary: 'Partner public keys this instance trusts to sign bags, oldest first',
        querystring: trustedKeyListQuerySchema,
        response: { 200: z.object({ items: z.array(trustedKeySchema) }), ...problemResponses },
      },
    },
    async (request) => ({
      items: await service.listTrustedKeys(db, requireActor(request), {
        includeArchived: request.query.include_archived,
      }),
    }),
  );
  app.post(
    '/signing/trusted-keys',
    {
      schema: {
        tags,
        summary: 'Trust a partner’s Ed25519 public key to sign bags (administrators; audited)',
        body: trustKeyBodySchema,
        response: { 201: trustedKeySchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await service.trustKey(db, requireActor(request), request.body)),
  );
  app.post(
    '/signing/trusted-keys/:fingerprint/withdraw',
    {
      schema: {
        tags,
        summary: 'Stop trusting a partner key; it stays listed as withdrawn, with the reason (administrators; audited)',
        params: z.object({ fingerprint: fingerprintSchema }),
        body: withdrawKeyBodySchema,
        response: { 200: trustedKeySchema, ...problemResponses },
      },
    },
    (request) => service.withdrawTrustedKey(db, requireActor(request), request.params.fingerprint, request.body),
  );
}
