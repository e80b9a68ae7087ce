import { pageQuerySchema, pageSchema } from '../../db/pagination.js';
import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import {
  addMemberBodySchema,
  createInvestigationBodySchema,
  investigationPageSchema,
  investigationSchema,
  memberParamsSchema,
  membershipSchema,
  overviewSchema,
  updateInvestigationBodySchema,
  updateMemberBodySchema,
  memberListQuerySchema,
} from './schema.js';
import { archiveBodySchema, idParamsSchema } from '../../http/params.js';
import * as service from './service.js';

const tags = ['investigations'];

export function registerInvestigationRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/investigations',
    {
      schema: {
        tags,
        summary: 'List your investigations',
        querystring: pageQuerySchema,
        response: { 200: investigationPageSchema, ...problemResponses },
      },
    },
    (request) => service.listInvestigations(db, requireActor(request), request.query),
  );
  app.post(
    '/investigations',
    {
      schema: {
        tags,
        summary: 'Create an investigation (you become its owner)',
        body: createInvestigationBodySchema,
        response: { 201: investigationSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createInvestigation(db, requireActor(request), request.body)),
  );
  app.get(
    '/investigations/:id',
    {
      schema: {
        tags,
        summary: 'Get an investigation',
        params: idParamsSchema,
        response: { 200: investigationSchema, ...problemResponses },
      },
    },
    (request) => service.getInvestigation(db, requireActor(request), request.params.id),
  );
  app.patch(
    '/investigations/:id',
    {
      schema: {
        tags,
        summary: 'Update an investigation',
        params: idParamsSchema,
        body: updateInvestigationBodySchema,
        response: { 200: investigationSchema, ...problemResponses },
      },
    },
    (request) => service.updateInvestigation(db, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/investigations/:id/archive',
    {
      schema: {
        tags,
        summary: 'Archive an investigation (owner)',
        params: idParamsSchema,
        body: archiveBodySchema,
        response: { 200: investigationSchema, ...problemResponses },
      },
    },
    (request) => service.archiveInvestigation(db, requireActor(request), request.params.id, request.body),
  );
  app.get(
    '/investigations/:id/overview',
    {
      schema: {
        tags,
        summary: 'Counts by category, condition and production type',
        params: idParamsSchema,
        response: { 200: overviewSchema, ...problemResponses },
      },
    },
    (request) => service.getOverview(db, requireActor(request), request.params.id),
  );
  app.get(
    '/investigations/:id/members',
    {
      schema: {
        tags,
        summary: 'List members and their roles (sorted and paginated)',
        params: idParamsSchema,
        querystring: memberListQuerySchema,
        response: { 200: pageSchema(membershipSchema), ...problemResponses },
      },
    },
    (request) => service.listMembersPage(db, requireActor(request), request.params.id, request.query),
  );
  app.post(
    '/investigations/:id/members',
    {
      schema: {
        tags,
        summary: 'Add a member (owner)',
        params: idParamsSchema,
        body: addMemberBodySchema,
        response: { 201: membershipSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.addMember(db, requireActor(request), request.params.id, request.body)),
  );
  app.patch(
    '/investigations/:id/members/:membershipId',
    {
      schema: {
        tags,
        summary: 'Change a member’s role (owner)',
        params: memberParamsSchema,
        body: updateMemberBodySchema,
        response: { 200: membershipSchema, ...problemResponses },
      },
    },
    (request) =>
      service.changeMember(db, requireActor(request), request.params.id, request.params.membershipId, {
        version: request.body.version,
        role: request.body.role,
      }),
  );
  app.post(
    '/investigations/:id/members/:membershipId/archive',
    {
      schema: {
        tags,
        summary: 'Remove a member (owner); the membership is kept as archived',
        params: memberParamsSchema,
        body: archiveBodySchema,
        response: { 200: membershipSchema, ...problemResponses },
      },
    },
    (request) =>
      service.changeMember(db, requireActor(request), request.params.id, request.params.membershipId, {
        version: request.body.version,
        archiveReason: request.body.reason,
      }),
  );
}
