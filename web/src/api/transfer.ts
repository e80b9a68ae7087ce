import { ApiError, type Problem } from './client';

/** Bytes moved so far and, when the other side announced it, how many in all. */
export interface TransferProgress {
  loaded: number;
  total: number | undefined;
}

export interface TransferOptions {
  method?: 'GET' | 'POST';
  body?: FormData | undefined;
  /** Upload progress (a file sent) or download progress (a file received), whichever this request does. */
  onProgress?: ((progress: TransferProgress) => void) | undefined;
}

function problemOf(status: number, statusText: string, text: string): Problem {
  try {
    const parsed = JSON.parse(text) as Partial<Problem>;
    if (typeof parsed.code === 'string') return parsed as Problem;
  } catch {
    // Not problem+json: described below.
  }
  return {
    type: 'about:blank',
    title: statusText,
    status,
    detail: statusText,
    code: status >= 500 ? 'internal' : 'unexpected',
  };
}

function send(url: string, options: TransferOptions, responseType: 'blob' | 'text'): Promise<XMLHttpRequest> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(options.method ?? 'GET', url);
    request.responseType = responseType;
    request.setRequestHeader('accept', responseType === 'text' ? 'application/json' : '*/*');
    const report = (event: ProgressEvent) =>
      options.onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : undefined });
    if (options.body !== undefined) request.upload.addEventListener('progress', report);
    else request.addEventListener('progress', report);
    request.addEventListener('load', () => resolve(request));
    request.addEventListener('error', () =>
      reject(
        new ApiError(0, {
          type: 'about:blank',
          title: 'Network error',
          status: 0,
          detail: 'The server could not be reached.',
          code: 'network',
        }),
      ),
    );
    request.send(options.body ?? null);
  });
}

/**
 * A JSON request whose upload reports its progress (XMLHttpRequest: fetch cannot); an {@link ApiError} when the
 * server refuses it.
 *
 * @example
 * const form = new FormData(); form.set('file', file);
 * const answer = await sendJson<Preview>(url, { method: 'POST', body: form, onProgress: setProgress });
 */
export async function sendJson<Data>(url: string, options: TransferOptions = {}): Promise<Data> {
  const request = await send(url, options, 'text');
  const text = request.responseText;
  if (request.status < 200 || request.status >= 300) {
    throw new ApiError(request.status, problemOf(request.status, request.statusText, text));
  }
  return JSON.parse(text) as Data;
}

/** The file name the server suggests in Content-Disposition, else `fallback`. */
function suggestedName(request: XMLHttpRequest, fallback: string): string {
  const disposition = request.getResponseHeader('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded?.[1] !== undefined) return decodeURIComponent(encoded[1]);
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? fallback;
}

/**
 * Downloads a file with its progress shown, then hands it to the browser to save.
 *
 * @example
 * await downloadFile('/api/v1/investigations/42/bag.tar', 'bag.tar', setProgress);
 */
export async function downloadFile(
  url: string,
  fallbackName: string,
  onProgress: (progress: TransferProgress) => void,
): Promise<{ name: string; bytes: number; header: (name: string) => string | null }> {
  const request = await send(url, { onProgress }, 'blob');
  const blob = request.response as Blob;
  if (request.status < 200 || request.status >= 300) {
    throw new ApiError(request.status, problemOf(request.status, request.statusText, await blob.text()));
  }
  const name = suggestedName(request, fallbackName);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file; the object URL can go once the click is handled.
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  return { name, bytes: blob.size, header: (header) => request.getResponseHeader(header) };
}
