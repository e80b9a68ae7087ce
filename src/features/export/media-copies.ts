/**
 * Photo copies for partner and public outputs (issue 13, item 3): each photo is decoded and re-encoded with sharp,
 * which writes no EXIF, XMP, IPTC or ICC metadata unless asked to (and it is not), after turning the pixels the
 * way the EXIF orientation said, so the copy looks the same without it. A copy is named by its own SHA-256; the
 * manifest links it to the original's SHA-256. The original is only read, never altered, and never leaves in
 * these profiles. Videos, documents and images sharp cannot read are withheld and listed as such.
 */
import { createHash } from 'node:crypto';
import type { EvidenceStore } from '../../storage/evidence-store.js';

export interface MediaCopy {
  /** The copy's own SHA-256 (its file name). */
  sha256: string;
  path: string;
  media_type: string;
  size_bytes: number;
  /** The original's SHA-256: the link a partner can check against the organisation's evidence on request. */
  original_sha256: string;
  media_ids: string[];
  pixel_width: number;
  pixel_height: number;
}

export interface WithheldMedia {
  media_id: string;
  original_sha256: string;
  media_type: string;
  reason: 'not_a_photo' | 'unreadable_image';
}

export interface MediaCopies {
  copies: MediaCopy[];
  withheld: WithheldMedia[];
  /** The bytes of each copy, by its SHA-256. */
  bytes: Map<string, Buffer>;
}

async function readAll(store: EvidenceStore, sha256: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(sha256)) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * Re-encodes one photo without any metadata: JPEG stays JPEG, PNG stays PNG, WebP stays WebP, anything else
 * becomes JPEG.
 *
 * @example
 * const { bytes, mediaType } = await cleanPhotoCopy(originalBytes, 'image/jpeg');
 */
export async function cleanPhotoCopy(
  original: Buffer,
  mediaType: string,
): Promise<{ bytes: Buffer; mediaType: string; extension: string; width: number; height: number }> {
  const { default: sharp } = await import('sharp');
  // rotate() with no angle applies the EXIF orientation to the pixels; nothing else of the metadata is kept.
  const image = sharp(original, { failOn: 'error' }).rotate();
  const encoded =
    mediaType === 'image/png'
      ? { pipeline: image.png({ compressionLevel: 9 }), mediaType: 'image/png', extension: '.png' }
      : mediaType === 'image/webp'
        ? { pipeline: image.webp({ quality: 90 }), mediaType: 'image/webp', extension: '.webp' }
        : { pipeline: image.jpeg({ quality: 90 }), mediaType: 'image/jpeg', extension: '.jpg' };
  const { data, info } = await encoded.pipeline.toBuffer({ resolveWithObject: true });
  return {
    bytes: data,
    mediaType: encoded.mediaType,
    extension: encoded.extension,
    width: info.width,
    height: info.height,
  };
}

/**
 * Clean copies of the photos among `media` (rows as exported), each original read once; the rest withheld.
 *
 * @example
 * const { copies, withheld, bytes } = await makeMediaCopies(store, document.records.media, 'media/');
 */
export async function makeMediaCopies(
  store: EvidenceStore,
  media: Record<string, unknown>[],
  directory: string,
): Promise<MediaCopies> {
  const byOriginal = new Map<string, { mediaType: string; ids: string[] }>();
  const withheld: WithheldMedia[] = [];
  for (const row of media) {
    const sha256 = String(row.sha256);
    const mediaType = String(row.media_type);
    if (!mediaType.startsWith('image/')) {
      withheld.push({
        media_id: String(row.id),
        original_sha256: sha256,
        media_type: mediaType,
        reason: 'not_a_photo',
      });
      continue;
    }
    const entry = byOriginal.get(sha256) ?? { mediaType, ids: [] };
    entry.ids.push(String(row.id));
    byOriginal.set(sha256, entry);
  }
  const copies: MediaCopy[] = [];
  const bytes = new Map<string, Buffer>();
  for (const [originalSha256, entry] of [...byOriginal].sort(([a], [b]) => a.localeCompare(b))) {
    let copy;
    try {
      copy = await cleanPhotoCopy(await readAll(store, originalSha256), entry.mediaType);
    } catch {
      for (const id of entry.ids) {
        withheld.push({
          media_id: id,
          original_sha256: originalSha256,
          media_type: entry.mediaType,
          reason: 'unreadable_image',
        });
      }
      continue;
    }
    const sha256 = createHash('sha256').update(copy.bytes).digest('hex');
    bytes.set(sha256, copy.bytes);
    copies.push({
      sha256,
      path: `${directory}${sha256}${copy.extension}`,
      media_type: copy.mediaType,
      size_bytes: copy.bytes.length,
      original_sha256: originalSha256,
      media_ids: entry.ids,
      pixel_width: copy.width,
      pixel_height: copy.height,
    });
  }
  withheld.sort((a, b) => a.media_id.localeCompare(b.media_id));
  return { copies, withheld, bytes };
}
