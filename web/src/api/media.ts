import type { paths } from './schema';
import {
  api,
  ApiError,
  call,
  readAllPages,
  signedOutEvent,
  type Media,
  type Problem,
  type UploadedMedia,
} from './client';

/** The text fields an upload may carry, as the API documents them (the file goes apart). */
export type UploadFields = Omit<
  NonNullable<
    NonNullable<paths['/api/v1/investigations/{id}/media']['post']['requestBody']>['content']['multipart/form-data']
  >,
  'file'
>;

export interface UploadProgress {
  loaded: number;
  total: number;
}

function problemOf(request: XMLHttpRequest): Problem {
  try {
    const body = JSON.parse(request.responseText) as Partial<Problem>;
    if (typeof body.code === 'string' && typeof body.detail === 'string') return body as Problem;
  } catch {
    // Not JSON (a proxy's error page): described below from the status.
  }
  return {
    type: 'about:blank',
    title: request.statusText,
    status: request.status,
    detail: request.statusText,
    code: request.status >= 500 ? 'internal' : 'unexpected',
  };
}

/**
 * Uploads one file as multipart/form-data. XMLHttpRequest rather than fetch,
 * because only it reports upload progress; errors are {@link ApiError}s like
 * those of {@link call}, so the server's `fields` can be shown by their field.
 *
 * @example
 * const media = await uploadMedia(investigationId, file, { item_id }, ({ loaded, total }) => show(loaded / total));
 */
export function uploadMedia(
  investigationId: string,
  file: File,
  fields: UploadFields,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<UploadedMedia> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value === 'string' && value.trim() !== '') form.append(name, value.trim());
    }
    form.append('file', file, file.name);
    const request = new XMLHttpRequest();
    request.open('POST', `/api/v1/investigations/${encodeURIComponent(investigationId)}/media`);
    request.setRequestHeader('accept', 'application/json');
    request.upload.addEventListener('progress', (event) => {
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    });
    request.addEventListener('load', () => {
      if (request.status === 201) {
        resolve(JSON.parse(request.responseText) as UploadedMedia);
        return;
      }
      if (request.status === 401) window.dispatchEvent(new Event(signedOutEvent));
      reject(new ApiError(request.status, problemOf(request)));
    });
    const failed = (detail: string, code: string) => () =>
      reject(new ApiError(0, { type: 'about:blank', title: detail, status: 0, detail, code }));
    request.addEventListener('error', failed('The upload failed: the server cannot be reached.', 'network'));
    request.addEventListener('abort', failed('The upload was cancelled.', 'aborted'));
    signal?.addEventListener('abort', () => request.abort());
    request.send(form);
  });
}

export type MediaTarget = { itemId: string; markingIds?: readonly string[] } | { siteId: string };

function linkedTo(media: Media, target: MediaTarget): boolean {
  return media.links.some((link) =>
    'siteId' in target
      ? link.site_id === target.siteId
      : link.item_id === target.itemId || (link.marking_id !== null && target.markingIds?.includes(link.marking_id)),
  );
}

/**
 * The active media of an investigation linked to a site, or to an item or its
 * markings, oldest first.
 */
export async function listMediaOf(investigationId: string, target: MediaTarget): Promise<Media[]> {
  const filters =
    'siteId' in target
      ? [{ site_id: target.siteId }]
      : [{ item_id: target.itemId }, ...(target.markingIds ?? []).map((markingId) => ({ marking_id: markingId }))];
  const ids = new Set<string>();
  for (const filter of filters) {
    const { rows } = await readAllPages((after) =>
      call(
        api.GET('/api/v1/investigations/{id}/media', {
          params: { path: { id: investigationId }, query: { limit: 500, after, ...filter } },
        }),
      ),
    );
    for (const row of rows) ids.add(row.id);
  }
  // Each record with its links (for credits and review flags); only this target's media are read.
  const withLinks = await Promise.all(
    [...ids].sort().map((id) => call(api.GET('/api/v1/media/{id}', { params: { path: { id } } }))),
  );
  return withLinks.filter((media) => linkedTo(media, target));
}

export const mediaUrls = {
  thumbnail: (id: string) => `/api/v1/media/${id}/thumbnail`,
  preview: (id: string) => `/api/v1/media/${id}/preview`,
  original: (id: string) => `/api/v1/media/${id}/original`,
};

/** Images have thumbnails; other files (PDF, video, text) are listed by name. */
export const isImage = (media: Pick<Media, 'media_type'>) => media.media_type.startsWith('image/');
