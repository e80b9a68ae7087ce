import { DomainError } from '../../errors.js';
import { openImage } from './inspect.js';
import { decodableImageTypes } from '../../storage/sniff.js';
import type { EvidenceStore } from '../../storage/evidence-store.js';

/** Working copies made from an original; the original itself is never changed. */
export const derivativeKinds = {
  thumbnail: { size: 320, quality: 75 },
  preview: { size: 1600, quality: 82 },
} as const;
export type DerivativeKind = keyof typeof derivativeKinds;

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * XMP carried inside the derivative: Dublin Core `source` names the
 * original's hash, so a copy that leaves armtrace still says what it was made from.
 */
function derivedFromXmp(parentSha256: string, kind: DerivativeKind): string {
  return (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
    `<dc:source>urn:sha256:${escapeXml(parentSha256)}</dc:source>` +
    `<dc:description>armtrace ${kind} (working copy); the evidentiary original is urn:sha256:${escapeXml(parentSha256)}</dc:description>` +
    '</rdf:Description></rdf:RDF></x:xmpmeta>'
  );
}

export interface Derivative {
  kind: DerivativeKind;
  parentSha256: string;
  mediaType: 'image/webp';
  bytes: Buffer;
}

/**
 * Encodes one derivative of a local copy of an original: oriented upright, no EXIF of the original (no GPS in
 * working copies), its parent's hash in XMP. Throws the decoder's error for an image it rejects.
 */
export async function renderDerivative(
  file: string,
  parentSha256: string,
  kind: DerivativeKind,
  maxPixels: number,
): Promise<Buffer> {
  const { size, quality } = derivativeKinds[kind];
  return (await openImage(file, maxPixels))
    .rotate()
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality })
    .withXmp(derivedFromXmp(parentSha256, kind))
    .toBuffer();
}

/** The name a derivative is kept under beside its original in the evidence store. */
export function derivativeFileName(kind: DerivativeKind): string {
  return `${kind}.webp`;
}

/**
 * A WebP thumbnail or preview of an original: the one the derivatives job kept in the store or, for a file
 * stored before derivatives were jobs (or whose copies are missing), made now and cached.
 *
 * @example
 * const thumbnail = await getDerivative(store, media, 'thumbnail', config.media.maxImagePixels);
 */
export async function getDerivative(
  store: EvidenceStore,
  media: { id: string; sha256: string; media_type: string },
  kind: DerivativeKind,
  maxPixels: number,
): Promise<Derivative> {
  const name = derivativeFileName(kind);
  const cached = await store.getDerivative(media.sha256, name);
  if (cached !== undefined) return { kind, parentSha256: media.sha256, mediaType: 'image/webp', bytes: cached };
  if (!decodableImageTypes.has(media.media_type)) {
    throw new DomainError(
      'not_found',
      `Media file ${media.id} is ${media.media_type}: there is no ${kind}; download the original instead.`,
    );
  }
  if (!(await store.has(media.sha256))) {
    throw new DomainError(
      'not_found',
      `The original of media file ${media.id} is missing from the store; run \`armtrace verify\`.`,
    );
  }
  let bytes: Buffer;
  try {
    // The decoder reads a file: the stored one in a folder store, a temporary copy from an object store.
    bytes = await store.withLocalFile(media.sha256, (file) => renderDerivative(file, media.sha256, kind, maxPixels));
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError(
      'not_found',
      `Media file ${media.id} could not be decoded to make a ${kind} (e.g. HEVC-coded HEIC); download the original instead.`,
    );
  }
  await store.putDerivative(media.sha256, name, bytes);
  return { kind, parentSha256: media.sha256, mediaType: 'image/webp', bytes };
}
