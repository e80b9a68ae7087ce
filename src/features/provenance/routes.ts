import { z } from 'zod';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { archiveBodySchema, idParamsSchema } from '../../http/params.js';
import {
  createProvenanceClaimBodySchema,
  itemProvenanceSchema,
  lotProvenanceQuerySchema,
  lotProvenanceSchema,
  provenanceClaimListQuerySchema,
  provenanceClaimPageSchema,
  provenanceClaimSchema,
  updateProvenanceClaimBodySchema,
} from './schema.js';
import * as service from './service.js';

const tags = ['tracing'];

/** Provenance claims about items and lots, an item's provenance and its W3C PROV-JSON export. */
export function registerProvenanceRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/investigations/:id/provenance-claims',
    {
      schema: {
        tags,
        summary: 'List the provenance claims of an investigation',
        params: idParamsSchema,
        querystring: provenanceClaimListQuerySchema,
        response: { 200: provenanceClaimPageSchema, ...problemResponses },
      },
    },
    (request) => service.listProvenanceClaims(db, requireActor(request), request.params.id, request.query),
  );
  app.post(
    '/investigations/:id/provenance-claims',
    {
      schema: {
        tags,
        summary: 'Record a provenance claim about an item or a lot',
        params: idParamsSchema,
        body: createProvenanceClaimBodySchema,
        response: { 201: provenanceClaimSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.createProvenanceClaim(db, requireActor(request), request.params.id, request.body)),
  );
  app.get(
    '/provenance-claims/:id',
    {
      schema: {
        tags,
        summary: 'Get a provenance claim',
        params: idParamsSchema,
        response: { 200: provenanceClaimSchema, ...problemResponses },
      },
    },
    (request) => service.getProvenanceClaim(db, requireActor(request), request.params.id),
  );
  app.patch(
    '/provenance-claims/:id',
    {
      schema: {
        tags,
        summary: 'Update a provenance claim',
        params: idParamsSchema,
        body: updateProvenanceClaimBodySchema,
        response: { 200: provenanceClaimSchema, ...problemResponses },
      },
    },
    (request) => service.updateProvenanceClaim(db, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/provenance-claims/:id/archive',
    {
      schema: {
        tags,
        summary: 'Archive a provenance claim',
        params: idParamsSchema,
        body: archiveBodySchema,
        response: { 200: provenanceClaimSchema, ...problemResponses },
      },
    },
    (request) => service.archiveProvenanceClaim(db, requireActor(request), request.params.id, request.body),
  );
  app.get(
    '/items/:id/provenance',
    {
      schema: {
        tags,
        summary: 'The provenance of an item: its own claims and those about lots it carries',
        params: idParamsSchema,
        response: { 200: itemProvenanceSchema, ...problemResponses },
      },
    },
    (request) => service.getItemProvenance(db, requireActor(request), request.params.id),
  );
  app.get(
    '/items/:id/provenance.prov.json',
    {
      schema: {
        tags,
        summary: 'The provenance of an item as a W3C PROV-JSON document',
        params: idParamsSchema,
        response: { 200: z.record(z.string(), z.unknown()), ...problemResponses },
      },
    },
    async (request, reply) => {
      const document = await service.exportItemProvenance(db, requireActor(request), request.params.id);
      void reply.header('content-disposition', `attachment; filename="item-${request.params.id}.prov.json"`);
      return document as unknown as Record<string, unknown>;
    },
  );
  app.get(
    '/investigations/:id/lot-provenance',
    {
      schema: {
        tags,
        summary: 'The provenance of a lot: the items carrying it wherever found, and the claims about it',
        params: idParamsSchema,
        querystring: lotProvenanceQuerySchema,
        response: { 200: lotProvenanceSchema, ...problemResponses },
      },
    },
    (request) => service.getLotProvenance(db, requireActor(request), request.params.id, request.query.lot_marking),
  );
}
