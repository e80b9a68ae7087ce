import { api, call, type ResponseOf } from '../../api/client';

export type ReviewStatus = ResponseOf<'/api/v1/records/{kind}/{id}/review'>;
export type ReviewKind = ReviewStatus['kind'];
export type ReviewQueueEntry = ResponseOf<'/api/v1/investigations/{id}/review-queue'>['items'][number];
export type ReviewSettings = ResponseOf<'/api/v1/investigations/{id}/review-settings'>;
export type ReviewStep = 'submit' | 'verify' | 'publish';

export const reviewKinds: readonly ReviewKind[] = ['site', 'item', 'marking', 'provenance_claim', 'media'];

/**
 * Runs one review step on a record at the version the user saw (the server refuses it when the record changed).
 *
 * @example
 * await reviewStep('verify', 'site', site.id, site.version);
 */
export function reviewStep(step: ReviewStep, kind: ReviewKind, id: string, version: number): Promise<ReviewStatus> {
  const options = { params: { path: { kind, id } }, body: { version } };
  if (step === 'submit') return call(api.POST('/api/v1/records/{kind}/{id}/review/submit', options));
  if (step === 'verify') return call(api.POST('/api/v1/records/{kind}/{id}/review/verify', options));
  return call(api.POST('/api/v1/records/{kind}/{id}/review/publish', options));
}

/**
 * Takes a published record back (owners), with the reason the server keeps on the record and in the audit log.
 *
 * @example
 * await unpublishRecord('site', site.id, status.version, 'The location is too precise to publish');
 */
export function unpublishRecord(kind: ReviewKind, id: string, version: number, reason: string): Promise<ReviewStatus> {
  return call(
    api.POST('/api/v1/records/{kind}/{id}/review/unpublish', {
      params: { path: { kind, id } },
      body: { version, reason },
    }),
  );
}
