/**
 * HTTP Range requests (RFC 9110 §14) for downloads: one range of bytes, so a
 * video can be sought and a large original resumed. Anything else (several
 * ranges, other units, a range past the end) is answered with the whole file,
 * which the RFC allows.
 */

/** Bytes `start` to `end` of a file, both included. */
export interface RequestedRange {
  start: number;
  end: number;
}

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * The one byte range a `Range` header asks for within a file of `size`
 * bytes, or undefined to send the whole file.
 *
 * @example
 * parseByteRange('bytes=0-1023', 5000); // { start: 0, end: 1023 }
 * parseByteRange('bytes=-500', 5000);   // the last 500 bytes: { start: 4500, end: 4999 }
 * parseByteRange('bytes=4000-', 5000);  // { start: 4000, end: 4999 }
 */
export function parseByteRange(header: string | undefined, size: number): RequestedRange | undefined {
  if (header === undefined || size === 0) return undefined;
  const match = SINGLE_RANGE.exec(header.trim());
  if (match === null) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    // A suffix: the last N bytes.
    const length = Number(last);
    if (length === 0) return undefined;
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return undefined;
  return { start, end };
}
