import { DetailedError, Upload } from 'tus-js-client';
import { syncPath, uploadsPath, type SyncProblem, type SyncRequest, type SyncResponse } from './contract';
import type { MediaLinkMeta, PhotoMeta } from './outbox';
import { SyncSignedOutError, SyncUnavailableError, UploadRefusedError, type SyncTransport } from './sync';

// The sync engine's connection to the real server: fetch for the batch endpoint, tus for photos.

/** Chunks small enough to make progress on a poor link, large enough not to waste round trips. */
const uploadChunkBytes = 4 * 1024 * 1024;

/** The server has no batch endpoint (an older server): the app saves through the REST routes instead. */
export class SyncEndpointMissingError extends Error {
  constructor() {
    super('The server has no sync endpoint');
    this.name = 'SyncEndpointMissingError';
  }
}

async function problemOf(response: Response): Promise<SyncProblem> {
  try {
    const body = (await response.json()) as Partial<SyncProblem>;
    if (typeof body.code === 'string') return { code: body.code, detail: body.detail ?? '', fields: body.fields ?? [] };
  } catch {
    // Not JSON: described from the status below.
  }
  return { code: `http_${response.status}`, detail: response.statusText };
}

/**
 * Sends a batch of operations; 401 → SyncSignedOutError (the outbox stays), no answer or a 5xx →
 * SyncUnavailableError (retried later). `fetcher` and `baseUrl` are for tests.
 *
 * @example
 * const response = await postBatch({ device_id, device_time, operations });
 */
export async function postBatch(
  request: SyncRequest,
  fetcher: typeof fetch = fetch,
  baseUrl = '',
): Promise<SyncResponse> {
  let response: Response;
  try {
    response = await fetcher(`${baseUrl}${syncPath}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(request),
    });
  } catch (cause) {
    throw new SyncUnavailableError(cause instanceof Error ? cause.message : String(cause));
  }
  if (response.status === 401) throw new SyncSignedOutError();
  if (response.status === 404 || response.status === 405) throw new SyncEndpointMissingError();
  if (!response.ok) {
    const problem = await problemOf(response);
    // A 4xx other than 401 means this client and the server disagree on the envelope: not worth a quick retry,
    // but the records stay in the outbox all the same.
    throw new SyncUnavailableError(`${response.status} ${problem.code}: ${problem.detail}`);
  }
  return (await response.json()) as SyncResponse;
}

/**
 * Whether the media record exists (the upload was completed and made evidence).
 *
 * @example
 * if (!(await mediaExists(mediaId))) await uploadPhoto(…);
 */
export async function mediaExists(mediaId: string, fetcher: typeof fetch = fetch, baseUrl = ''): Promise<boolean> {
  let response: Response;
  try {
    response = await fetcher(`${baseUrl}/api/v1/media/${encodeURIComponent(mediaId)}`, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
  } catch (cause) {
    throw new SyncUnavailableError(cause instanceof Error ? cause.message : String(cause));
  }
  if (response.status === 401) throw new SyncSignedOutError();
  if (response.status === 404) return false;
  if (response.ok) return true;
  throw new SyncUnavailableError(`${response.status} while checking media ${mediaId}`);
}

/** The tus Upload-Metadata of a photo, as the contract names it. */
export function uploadMetadata(photo: PhotoMeta): Record<string, string> {
  const metadata: Record<string, string> = {
    investigation_id: photo.investigation_id,
    media_id: photo.media_id,
    sha256: photo.sha256,
    filename: photo.filename,
    captured_at: photo.captured_at,
  };
  // One link at most: the item, else the marking, else the site.
  const link: [string, string | undefined][] = [
    ['item_id', photo.item_id],
    ['marking_id', photo.marking_id],
    ['site_id', photo.site_id],
  ];
  const chosen = link.find(([, value]) => value !== undefined);
  if (chosen !== undefined) metadata[chosen[0]] = chosen[1]!;
  for (const key of ['credit', 'licence', 'captured_by', 'sensitivity', 'sensitivity_reason'] as const) {
    const value = photo[key];
    if (value !== undefined && value.trim() !== '') metadata[key] = value.trim();
  }
  return metadata;
}

function statusOf(error: unknown): number | undefined {
  return error instanceof DetailedError ? (error.originalResponse?.getStatus() ?? undefined) : undefined;
}

function refusalOf(error: DetailedError): SyncProblem {
  try {
    const body = JSON.parse(error.originalResponse?.getBody() ?? '') as Partial<SyncProblem>;
    if (typeof body.code === 'string') return { code: body.code, detail: body.detail ?? '', fields: body.fields ?? [] };
  } catch {
    // Not JSON.
  }
  return { code: statusOf(error) === 460 ? 'hash_mismatch' : 'upload_refused', detail: error.message };
}

/** The server refused to create the upload because this very file (same media id and hash) is evidence already. */
function alreadyStored(error: Error): boolean {
  return error instanceof DetailedError && statusOf(error) === 409 && refusalOf(error).code === 'already_exists';
}

/**
 * Uploads a photo's bytes with tus, resuming an upload this device started before (the server reports the
 * offset). A refusal that retrying cannot change (hash mismatch, validation, access) → UploadRefusedError; a
 * lost connection → SyncUnavailableError (the next attempt resumes where this one stopped).
 *
 * @example
 * await uploadPhoto(photo, bytes, (sent, total) => show(sent / total));
 */
export function uploadPhoto(
  photo: PhotoMeta,
  bytes: ArrayBuffer,
  onProgress: (sent: number, total: number) => void,
  /** For tests in Node, where tus-js-client reads a Buffer and needs an absolute endpoint. */
  environment: { endpoint?: string; source?: (bytes: ArrayBuffer) => Blob } = {},
): Promise<void> {
  const source = environment.source?.(bytes) ?? new Blob([bytes], { type: photo.media_type });
  return new Promise((resolve, reject) => {
    const upload = new Upload(source, {
      endpoint: environment.endpoint ?? uploadsPath,
      metadata: uploadMetadata(photo),
      chunkSize: uploadChunkBytes,
      retryDelays: [0, 1000, 3000],
      // One upload per media record, whatever the file was called.
      fingerprint: () => Promise.resolve(`armtrace-media-${photo.media_id}`),
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onShouldRetry: (error) => {
        const status = statusOf(error);
        if (alreadyStored(error)) return false;
        return status === undefined || status >= 500 || status === 409 || status === 423;
      },
      onProgress,
      onSuccess: () => resolve(),
      onError: (error) => {
        const status = statusOf(error);
        // An earlier attempt finished on the server (its answer was lost on the way): the photo is there, once.
        if (alreadyStored(error)) resolve();
        else if (status === 401) reject(new SyncSignedOutError());
        // The record it is linked to is not on the server yet: tried again after the next batch.
        else if (status === 424) reject(new SyncUnavailableError(error.message));
        // No upload endpoint (an older server): not a refusal of this file; it waits for a server that has one.
        else if (status === 404 || status === 405) reject(new SyncUnavailableError(error.message));
        else if (status !== undefined && status >= 400 && status < 500 && error instanceof DetailedError)
          reject(new UploadRefusedError(refusalOf(error)));
        else reject(new SyncUnavailableError(error.message));
      },
    });
    upload
      .findPreviousUploads()
      .then((previous) => {
        const [last] = previous;
        if (last !== undefined) upload.resumeFromPreviousUpload(last);
        upload.start();
      })
      .catch(() => upload.start());
  });
}

/**
 * Links an uploaded photo to a record that was stored from the outbox. The server refuses a second identical
 * link (409 already_exists): that means an earlier attempt made it and its answer was lost, so it counts as done.
 * 401 → SyncSignedOutError; no answer or a 5xx → SyncUnavailableError; any other refusal → UploadRefusedError.
 *
 * @example
 * await linkMedia({ link_id, media_id, investigation_id, item_id, captured_at });
 */
export async function linkMedia(link: MediaLinkMeta, fetcher: typeof fetch = fetch, baseUrl = ''): Promise<void> {
  const target = Object.fromEntries(
    (['item_id', 'marking_id', 'site_id'] as const).flatMap((key) =>
      link[key] === undefined ? [] : [[key, link[key]]],
    ),
  );
  let response: Response;
  try {
    response = await fetcher(`${baseUrl}/api/v1/media/${encodeURIComponent(link.media_id)}/links`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(target),
    });
  } catch (cause) {
    throw new SyncUnavailableError(cause instanceof Error ? cause.message : String(cause));
  }
  if (response.ok) return;
  if (response.status === 401) throw new SyncSignedOutError();
  const problem = await problemOf(response);
  if (response.status === 409 && problem.code === 'already_exists') return;
  // The record it names may still be on its way (another device's batch): tried again later.
  if (response.status >= 500 || response.status === 424) throw new SyncUnavailableError(problem.detail);
  throw new UploadRefusedError(problem);
}

/** The transport the app uses. */
export const browserTransport: SyncTransport = {
  sendBatch: (request) => postBatch(request),
  mediaExists: (mediaId) => mediaExists(mediaId),
  uploadPhoto: (photo, bytes, onProgress) => uploadPhoto(photo, bytes, onProgress),
  linkMedia: (link) => linkMedia(link),
};
