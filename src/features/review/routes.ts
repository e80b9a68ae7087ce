import { requireActor } from '../../http/auth.js';
import { problemResponses } from '../../http/responses.js';
import type { ApiApp, RouteDeps } from '../../http/types.js';
import { idParamsSchema } from '../../http/params.js';
import {
  reviewActionBodySchema,
  reviewQueueQuerySchema,
  reviewQueueSchema,
  reviewRecordParamsSchema,
  reviewSettingsSchema,
  reviewStatusSchema,
  reviewUnpublishBodySchema,
  updateReviewSettingsBodySchema,
} from './schema.js';
import * as service from './service.js';

const tags = ['review'];

export function registerReviewRoutes(app: ApiApp, { db }: RouteDeps): void {
  app.get(
    '/records/:kind/:id/review',
    {
      schema: {
        tags,
        summary: 'A record’s review state, who verified and published it when, and what you may do',
        params: reviewRecordParamsSchema,
        response: { 200: reviewStatusSchema, ...problemResponses },
      },
    },
    (request) => service.getReviewStatus(db, requireActor(request), request.params.kind, request.params.id),
  );
  const steps = [
    ['submit', 'Submit a draft for review (anyone who may edit it)', service.submitRecord],
    [
      'verify',
      'Verify a submitted record (owners and editors who neither created nor changed it; 403 review_own_record)',
      service.verifyRecord,
    ],
    [
      'publish',
      'Publish a verified record (owners and editors; 409 publication_not_allowed under the investigation’s rule)',
      service.publishRecord,
    ],
  ] as const;
  for (const [step, summary, run] of steps) {
    app.post(
      `/records/:kind/:id/review/${step}`,
      {
        schema: {
          tags,
          summary,
          params: reviewRecordParamsSchema,
          body: reviewActionBodySchema,
          response: { 200: reviewStatusSchema, ...problemResponses },
        },
      },
      (request) => run(db, requireActor(request), request.params.kind, request.params.id, request.body),
    );
  }
  app.post(
    '/records/:kind/:id/review/unpublish',
    {
      schema: {
        tags,
        summary:
          'Take a publication back, with a reason (owners; published → verified, or submitted when never verified; 409 not_published)',
        params: reviewRecordParamsSchema,
        body: reviewUnpublishBodySchema,
        response: { 200: reviewStatusSchema, ...problemResponses },
      },
    },
    (request) =>
      service.unpublishRecord(db, requireActor(request), request.params.kind, request.params.id, request.body),
  );
  app.get(
    '/investigations/:id/review-queue',
    {
      schema: {
        tags,
        summary: 'Records awaiting your review: submitted, not created or changed by you (owners and editors)',
        params: idParamsSchema,
        querystring: reviewQueueQuerySchema,
        response: { 200: reviewQueueSchema, ...problemResponses },
      },
    },
    (request) => service.listReviewQueue(db, requireActor(request), request.params.id, request.query),
  );
  app.get(
    '/investigations/:id/review-settings',
    {
      schema: {
        tags,
        summary: 'What may be published in an investigation',
        params: idParamsSchema,
        response: { 200: reviewSettingsSchema, ...problemResponses },
      },
    },
    (request) => service.getReviewSettings(db, requireActor(request), request.params.id),
  );
  app.put(
    '/investigations/:id/review-settings',
    {
      schema: {
        tags,
        summary: 'Change what may be published in an investigation (owners; audited)',
        params: idParamsSchema,
        body: updateReviewSettingsBodySchema,
        response: { 200: reviewSettingsSchema, ...problemResponses },
      },
    },
    (request) => service.updateReviewSettings(db, requireActor(request), request.params.id, request.body),
  );
}
