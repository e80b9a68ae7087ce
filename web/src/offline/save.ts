import { v7 } from 'uuid';
import { ApiError, signedOutEvent, type Problem, type UploadedMedia } from '../api/client';
import type { UploadFields, UploadProgress } from '../api/media';
import { doneStatuses, type OperationType, type SyncOperation, type SyncResult } from './contract';
import { outboxEntries, syncSoon } from './controller';
import { sha256Hex } from './crypto';
import { recordOf } from './localRecords';
import { getOutboxEntry, queueLink, queueOperation, queuePhoto, updateOutboxEntry, waitingRecordIdsOf } from './outbox';
import { SyncSignedOutError, SyncUnavailableError } from './sync';
import { postBatch, SyncEndpointMissingError } from './transport';
import { vault } from './vault';

// The one way the capture pages save. With offline use set up, a write goes to the server as an operation of the
// sync contract (so a lost answer can be replayed without creating it twice); when the server cannot be reached
// it is kept in the encrypted outbox under the same op_id, and the page goes on with the record as it will be.
// Without offline use set up, the page's own REST call is made, as before.

export interface Write<Result> {
  type: OperationType;
  investigationId: string;
  /** For updates, disposal and appends to an existing record: that record's id. Creates get a new UUIDv7. */
  recordId?: string;
  baseVersion?: number;
  body: Record<string, unknown>;
  /** A short description for the outbox screen. */
  label: string;
  /** The page's REST call: used when offline use is not set up or the server has no sync endpoint. */
  rest: () => Promise<Result>;
}

export interface Saved<Result> {
  record: Result;
  /** True when kept on the device, not yet on the server. */
  queued: boolean;
}

function problemFrom(result: SyncResult, status: number): Problem {
  return {
    type: 'about:blank',
    title: result.problem?.code ?? result.status,
    status,
    detail: result.problem?.detail ?? result.status,
    code: result.status === 'conflict' ? 'version_conflict' : (result.problem?.code ?? 'validation'),
    fields: (result.problem?.fields ?? []).map((field) => ({
      field: field.field,
      message: field.message,
      code: field.code ?? 'invalid',
      params: field.params ?? {},
    })),
  };
}

async function keep<Result>(operation: SyncOperation, label: string): Promise<Saved<Result>> {
  await queueOperation(vault, operation, label);
  syncSoon();
  return { record: recordOf(operation) as Result, queued: true };
}

/**
 * Saves through the server, or keeps the write in the outbox when the server cannot be reached.
 * Throws an ApiError (with field problems) when the server refuses it, like the REST call would.
 *
 * @example
 * const { record, queued } = await saveOrQueue({ type: 'zone.create', investigationId, body, label, rest });
 */
export async function saveOrQueue<Result>(write: Write<Result>): Promise<Saved<Result>> {
  if (!vault.isUnlocked()) return { record: await write.rest(), queued: false };
  const operation: SyncOperation = {
    op_id: v7(),
    captured_at: new Date().toISOString(),
    type: write.type,
    investigation_id: write.investigationId,
    record_id: write.recordId ?? v7(),
    body: write.body,
  };
  if (write.baseVersion !== undefined) operation.base_version = write.baseVersion;
  if (!navigator.onLine) return keep(operation, write.label);
  let result: SyncResult | undefined;
  try {
    const response = await postBatch({
      device_id: await vault.deviceId(),
      device_time: new Date().toISOString(),
      operations: [operation],
    });
    result = response.results[0];
  } catch (error) {
    if (error instanceof SyncEndpointMissingError) return { record: await write.rest(), queued: false };
    // Unreachable, or the session ended while typing: nothing typed is lost, it waits in the outbox.
    if (error instanceof SyncUnavailableError || error instanceof SyncSignedOutError) {
      const saved = await keep<Result>(operation, write.label);
      if (error instanceof SyncSignedOutError) window.dispatchEvent(new Event(signedOutEvent));
      return saved;
    }
    throw error;
  }
  if (result === undefined) return keep(operation, write.label);
  if (doneStatuses.has(result.status))
    return { record: (result.record ?? recordOf(operation)) as Result, queued: false };
  // It depends on a record still in the outbox: it waits with it.
  if (result.status === 'blocked') return keep(operation, write.label);
  throw new ApiError(
    result.status === 'conflict' ? 409 : 422,
    problemFrom(result, result.status === 'conflict' ? 409 : 422),
  );
}

/** A photo kept on the device, shaped like an uploaded one so the page can link it. */
export type QueuedMedia = UploadedMedia & { queued: true };

/**
 * Uploads a file as before; when the server cannot be reached and offline use is set up, keeps the file
 * (encrypted, with its SHA-256 computed now) for a resumable tus upload later.
 *
 * @example
 * const media = await uploadOrQueuePhoto(upload, investigationId, file, fields);
 */
export async function uploadOrQueuePhoto(
  upload: () => Promise<UploadedMedia>,
  investigationId: string,
  file: File,
  fields: UploadFields,
): Promise<UploadedMedia | QueuedMedia> {
  if (!vault.isUnlocked()) return upload();
  // A photo of a record still in the outbox cannot be linked on the server yet: it waits behind that record.
  const waitsForRecord = await isWaitingInOutbox([fields.item_id, fields.site_id]);
  if (navigator.onLine && !waitsForRecord) {
    try {
      return await upload();
    } catch (error) {
      if (!isNetworkError(error)) throw error;
    }
  }
  const bytes = await file.arrayBuffer();
  const mediaId = v7();
  const text = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
  const optional = Object.fromEntries(
    (['item_id', 'site_id', 'credit', 'licence', 'captured_by', 'sensitivity', 'sensitivity_reason'] as const).flatMap(
      (key) => {
        const value = text((fields as Record<string, string | undefined>)[key]);
        return value === undefined ? [] : [[key, value]];
      },
    ),
  );
  await queuePhoto(
    vault,
    {
      media_id: mediaId,
      investigation_id: investigationId,
      filename: file.name,
      media_type: file.type === '' ? 'application/octet-stream' : file.type,
      size: file.size,
      sha256: await sha256Hex(bytes),
      captured_at: new Date().toISOString(),
      ...optional,
    },
    bytes,
  );
  syncSoon();
  return { id: mediaId, queued: true } as unknown as QueuedMedia;
}

/** Whether any of these record ids is a create still waiting in the outbox. */
async function isWaitingInOutbox(ids: readonly (string | undefined)[]): Promise<boolean> {
  const named = ids.filter((id): id is string => id !== undefined && id.trim() !== '');
  if (named.length === 0) return false;
  const waiting = waitingRecordIdsOf(await outboxEntries());
  return named.some((id) => waiting.has(id));
}

const isNetworkError = (error: unknown) =>
  error instanceof ApiError && error.status === 0 && error.problem.code === 'network';

/** Whether this media record is still in the outbox. */
export function isQueuedMedia(media: UploadedMedia): media is QueuedMedia {
  return (media as Partial<QueuedMedia>).queued === true;
}

/**
 * Links a photo to an item: a photo still on the device gets the link in its upload; an uploaded one is linked
 * through the API (`link`), unless the item is still in the outbox or the server cannot be reached: then the link
 * waits in the outbox and is made once, after the item is stored.
 *
 * @example
 * await linkPhotoOrQueue(photo, itemId, investigationId, 'IMG_0001.jpg', () => call(api.POST('/api/v1/media/{id}/links', …)));
 */
export async function linkPhotoOrQueue(
  media: UploadedMedia,
  itemId: string,
  investigationId: string,
  label: string,
  link: () => Promise<unknown>,
): Promise<void> {
  if (!vault.isUnlocked()) {
    await link();
    return;
  }
  if (isQueuedMedia(media)) {
    const entry = await getOutboxEntry(vault, media.id);
    if (entry?.photo !== undefined) {
      await updateOutboxEntry(vault, { ...entry, photo: { ...entry.photo, item_id: itemId } });
      return;
    }
  }
  const queue = async () => {
    const captured_at = new Date().toISOString();
    await queueLink(
      vault,
      { link_id: v7(), media_id: media.id, investigation_id: investigationId, item_id: itemId, captured_at },
      label,
    );
    syncSoon();
  };
  if (!navigator.onLine || (await isWaitingInOutbox([itemId]))) {
    await queue();
    return;
  }
  try {
    await link();
  } catch (error) {
    if (!isNetworkError(error)) throw error;
    await queue();
  }
}

export type { UploadProgress };
