import path from 'node:path';
import { DomainError } from '../errors.js';

/** The types armtrace recognises by their content. Anything else is stored as application/octet-stream. */
export const sniffedTypes = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'image/avif',
  'image/tiff',
  'video/mp4',
  'video/quicktime',
  'application/pdf',
  'text/plain',
] as const;
export type SniffedType = (typeof sniffedTypes)[number] | 'application/octet-stream';

/** Images that sharp can read for dimensions, perceptual hash and derivatives. */
export const decodableImageTypes: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/tiff',
  'image/heic',
  'image/avif',
]);

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);
const QUICKTIME_ATOMS = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

function ascii(bytes: Buffer, start: number, end: number): string {
  return bytes.subarray(start, end).toString('latin1');
}

/**
 * Plain text: valid UTF-8 (the sample may end inside a character) without
 * NUL bytes or control characters other than tab, line feed, form feed,
 * carriage return and escape.
 */
function looksLikeText(head: Buffer): boolean {
  if (head.length === 0) return false;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 0x20 && ![0x09, 0x0a, 0x0c, 0x0d, 0x1b].includes(byte)) return false;
  }
  let end = head.length;
  // Drop an incomplete UTF-8 sequence at the end of the sample.
  for (let back = 1; back <= 3 && back <= head.length; back += 1) {
    const byte = head[head.length - back]!;
    if ((byte & 0xc0) === 0xc0) {
      const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      if (back < needed) end = head.length - back;
      break;
    }
    if ((byte & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * The type of a file from its first bytes (magic numbers), never from its
 * name or what the sender claims.
 *
 * @example
 * sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xe0])); // 'image/jpeg'
 */
export function sniffType(head: Buffer): SniffedType {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'image/webp';
  if (head.length >= 4) {
    const start = ascii(head, 0, 4);
    // Classic TIFF (42) and BigTIFF (43), both byte orders.
    if (start === 'II*\0' || start === 'MM\0*' || start === 'II+\0' || start === 'MM\0+') return 'image/tiff';
  }
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') {
    const size = head.readUInt32BE(0);
    const brands = [ascii(head, 8, 12)];
    // Compatible brands follow the major brand and the minor version.
    for (let offset = 16; offset + 4 <= Math.min(size, head.length); offset += 4)
      brands.push(ascii(head, offset, offset + 4));
    if (brands[0] === 'qt  ') return 'video/quicktime';
    if (AVIF_BRANDS.has(brands[0]!)) return 'image/avif';
    if (HEIF_BRANDS.has(brands[0]!)) return 'image/heic';
    if (brands.some((brand) => AVIF_BRANDS.has(brand))) return 'image/avif';
    if (brands.some((brand) => HEIF_BRANDS.has(brand)) && !brands.some((brand) => /^(iso|mp4|avc|M4V)/.test(brand)))
      return 'image/heic';
    return 'video/mp4';
  }
  if (head.length >= 8 && QUICKTIME_ATOMS.has(ascii(head, 4, 8))) return 'video/quicktime';
  // PDF readers accept the header anywhere in the first kilobyte.
  if (head.subarray(0, 1024).includes('%PDF-')) return 'application/pdf';
  if (looksLikeText(head)) return 'text/plain';
  return 'application/octet-stream';
}

/** Declared types (and their aliases) that agree with each sniffed type. */
const compatibleDeclarations: Record<Exclude<SniffedType, 'application/octet-stream'>, readonly string[]> = {
  'image/jpeg': ['image/jpeg', 'image/jpg', 'image/pjpeg'],
  'image/png': ['image/png', 'image/x-png'],
  'image/webp': ['image/webp'],
  'image/heic': ['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence'],
  'image/avif': ['image/avif'],
  'image/tiff': ['image/tiff', 'image/tiff-fx', 'image/x-adobe-dng', 'image/dng'],
  'video/mp4': ['video/mp4', 'video/x-m4v', 'video/quicktime', 'video/3gpp', 'audio/mp4', 'application/mp4'],
  'video/quicktime': ['video/quicktime', 'video/mp4'],
  'application/pdf': ['application/pdf', 'application/x-pdf'],
  'text/plain': ['text/plain', 'text/csv', 'text/markdown', 'application/json', 'text/tab-separated-values'],
};

/** What a file name's extension claims. */
const extensionTypes: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.jpe': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.avif': 'image/avif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.dng': 'image/x-adobe-dng',
  '.mp4': 'video/mp4',
  '.m4v': 'video/x-m4v',
  '.mov': 'video/quicktime',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.md': 'text/markdown',
  '.json': 'application/json',
};

/** Claims that say nothing about the content. */
const noClaim = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown']);

const everyRecognisedDeclaration = new Set(Object.values(compatibleDeclarations).flat());

function contradicts(sniffed: SniffedType, declared: string): boolean {
  if (noClaim.has(declared)) return false;
  if (sniffed === 'application/octet-stream') {
    // Unknown content only contradicts a claim armtrace could have confirmed.
    return everyRecognisedDeclaration.has(declared);
  }
  if (sniffed === 'text/plain' && declared.startsWith('text/')) return false;
  return !compatibleDeclarations[sniffed].includes(declared);
}

/**
 * The stored type of a file: what its content is. Refuses the file, naming the
 * field `file`, when the declared type or the file name's extension says
 * something else (a PDF sent as `photo.jpg`, an executable sent as image/png).
 *
 * @example
 * checkDeclaredType(head, { declaredType: 'image/jpeg', filename: 'IMG_0412.JPG' }); // 'image/jpeg'
 */
export function checkDeclaredType(
  head: Buffer,
  claims: { declaredType?: string | undefined; filename?: string | undefined },
): SniffedType {
  const sniffed = sniffType(head);
  const declared = (claims.declaredType ?? '').split(';')[0]!.trim().toLowerCase();
  const extension = claims.filename === undefined ? '' : path.extname(claims.filename).toLowerCase();
  const byExtension = extensionTypes[extension];
  const described = sniffed === 'application/octet-stream' ? 'not a recognised format' : sniffed;
  if (contradicts(sniffed, declared)) {
    throw new DomainError(
      'validation_failed',
      `The file was declared as ${declared} but its content is ${described}; send it with its true type.`,
      [{ field: 'file', message: `content is ${described}, not ${declared}` }],
    );
  }
  if (byExtension !== undefined && contradicts(sniffed, byExtension)) {
    throw new DomainError(
      'validation_failed',
      `The file name ends in ${extension} but its content is ${described}; rename it or send the right file.`,
      [{ field: 'file', message: `content is ${described}, not ${byExtension}` }],
    );
  }
  return sniffed;
}

/** The usual extension of a type, for file names in exports. */
export function extensionFor(mediaType: string): string {
  const known: Record<string, string> = {
    'image/jpeg': '.jpg',
    'image/png': '.png',
    'image/webp': '.webp',
    'image/heic': '.heic',
    'image/avif': '.avif',
    'image/tiff': '.tif',
    'video/mp4': '.mp4',
    'video/quicktime': '.mov',
    'application/pdf': '.pdf',
    'text/plain': '.txt',
  };
  return known[mediaType] ?? '.bin';
}
