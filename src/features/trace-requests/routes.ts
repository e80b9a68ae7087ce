import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { archiveBodySchema, idParamsSchema, itemLinkParamsSchema } from '../../http/params.js';
import {
  attachDocumentBodySchema,
  createTraceRequestBodySchema,
  documentListQuerySchema,
  linkItemBodySchema,
  remindersQuerySchema,
  remindersSchema,
  traceRequestDocumentListSchema,
  traceRequestDocumentSchema,
  traceRequestHistorySchema,
  traceRequestListQuerySchema,
  traceRequestPageSchema,
  traceRequestSchema,
  updateTraceRequestBodySchema,
} from './schema.js';
import * as service from './service.js';

const tags = ['tracing'];

/** Trace requests and the items they cover. */
export function registerTraceRequestRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/investigations/:id/trace-requests',
    {
      schema: {
        tags,
        summary: 'List the trace requests of an investigation',
        params: idParamsSchema,
        querystring: traceRequestListQuerySchema,
        response: { 200: traceRequestPageSchema, ...problemResponses },
      },
    },
    (request) => service.listTraceRequests(db, requireActor(request), request.params.id, request.query),
  );
  app.post(
    '/investigations/:id/trace-requests',
    {
      schema: {
        tags,
        summary: 'Record a trace request to an actor, optionally covering items',
        params: idParamsSchema,
        body: createTraceRequestBodySchema,
        response: { 201: traceRequestSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.createTraceRequest(db, requireActor(request), request.params.id, request.body)),
  );
  app.get(
    '/trace-requests/:id',
    {
      schema: {
        tags,
        summary: 'Get a trace request with the ids of the items it covers',
        params: idParamsSchema,
        response: { 200: traceRequestSchema, ...problemResponses },
      },
    },
    (request) => service.getTraceRequest(db, requireActor(request), request.params.id),
  );
  app.patch(
    '/trace-requests/:id',
    {
      schema: {
        tags,
        summary: 'Update a trace request; status changes follow the workflow',
        params: idParamsSchema,
        body: updateTraceRequestBodySchema,
        response: { 200: traceRequestSchema, ...problemResponses },
      },
    },
    (request) => service.updateTraceRequest(db, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/trace-requests/:id/archive',
    {
      schema: {
        tags,
        summary: 'Archive a trace request',
        params: idParamsSchema,
        body: archiveBodySchema,
        response: { 200: traceRequestSchema, ...problemResponses },
      },
    },
    (request) => service.archiveTraceRequest(db, requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/trace-requests/:id/items',
    {
      schema: {
        tags,
        summary: 'Add an item to those a trace request covers',
        params: idParamsSchema,
        body: linkItemBodySchema,
        response: { 201: traceRequestSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.linkTraceRequestItem(db, requireActor(request), request.params.id, request.body)),
  );

  app.delete(
    '/trace-requests/:id/items/:itemId',
    {
      schema: {
        tags,
        summary: 'Remove an item a trace request covers in error (the audit log keeps the link and its removal)',
        params: itemLinkParamsSchema,
        response: { 200: traceRequestSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.unlinkTraceRequestItem(db, requireActor(request), request.params.id, request.params.itemId),
  );
}

/** Reminders, the history and the documents of trace requests. Mounted after provenance (`features/routes.ts`). */
export function registerTraceRequestFollowUpRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/investigations/:id/trace-requests/reminders',
    {
      schema: {
        tags,
        summary: 'Trace requests to remind: awaiting an answer past their due date, most overdue first',
        params: idParamsSchema,
        querystring: remindersQuerySchema,
        response: { 200: remindersSchema, ...problemResponses },
      },
    },
    (request) => service.listReminders(db, requireActor(request), request.params.id, request.query),
  );
  app.get(
    '/trace-requests/:id/history',
    {
      schema: {
        tags,
        summary: 'Every change to a trace request, its items and its documents, from the audit log',
        params: idParamsSchema,
        response: { 200: traceRequestHistorySchema, ...problemResponses },
      },
    },
    (request) => service.getTraceRequestHistory(db, requireActor(request), request.params.id),
  );
  app.get(
    '/trace-requests/:id/documents',
    {
      schema: {
        tags,
        summary: 'The documents attached to a trace request (letters, answers, reminders, annexes)',
        params: idParamsSchema,
        querystring: documentListQuerySchema,
        response: { 200: traceRequestDocumentListSchema, ...problemResponses },
      },
    },
    (request) => service.listTraceRequestDocuments(db, requireActor(request), request.params.id, request.query),
  );
  app.post(
    '/trace-requests/:id/documents',
    {
      schema: {
        tags,
        summary: 'Attach a media record to a trace request as its letter, answer, reminder or annex',
        params: idParamsSchema,
        body: attachDocumentBodySchema,
        response: { 201: traceRequestDocumentSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.attachTraceRequestDocument(db, requireActor(request), request.params.id, request.body)),
  );
  app.post(
    '/trace-request-documents/:id/archive',
    {
      schema: {
        tags,
        summary: 'Detach a document from its trace request (the media record stays)',
        params: idParamsSchema,
        body: archiveBodySchema,
        response: { 200: traceRequestDocumentSchema, ...problemResponses },
      },
    },
    (request) => service.archiveTraceRequestDocument(db, requireActor(request), request.params.id, request.body),
  );
}
