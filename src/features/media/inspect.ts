import exifr from 'exifr';
import type { Metadata, Sharp } from 'sharp';
import { DomainError } from '../../errors.js';
import { decodableImageTypes } from '../../storage/sniff.js';

/** What the bytes of a file say about themselves, read once when it is stored. */
export interface FileFacts {
  perceptual_hash: string | null;
  pixel_width: number | null;
  pixel_height: number | null;
  exif_captured_at: Date | null;
  exif_latitude: number | null;
  exif_longitude: number | null;
  exif_device: string | null;
}

const noFacts: FileFacts = {
  perceptual_hash: null,
  pixel_width: null,
  pixel_height: null,
  exif_captured_at: null,
  exif_latitude: null,
  exif_longitude: null,
  exif_device: null,
};

// Each decoder opens one image at a time here; thumbnails are small, so the
// decoded-image cache only costs memory.
// sharp (libvips) is loaded on first use, not by every command that loads this module.
async function loadSharp() {
  const { default: sharp } = await import('sharp');
  sharp.cache(false);
  return sharp;
}

/**
 * An image decoder bounded by the pixel limit: an image that claims more
 * pixels is refused by libvips before any pixel is decoded.
 */
export async function openImage(file: string, maxPixels: number): Promise<Sharp> {
  const sharp = await loadSharp();
  return sharp(file, { limitInputPixels: maxPixels, failOn: 'error', sequentialRead: true });
}

/**
 * 64-bit difference hash (dHash): the image in grey at 9×8, one bit per pair
 * of horizontal neighbours (is the left one brighter?). Re-encoding, resizing
 * and mild colour changes keep most bits; unrelated images differ in about
 * half of them.
 */
export async function differenceHash(image: Sharp): Promise<string> {
  const pixels = await image
    .rotate()
    .greyscale()
    .resize(9, 8, { fit: 'fill', fastShrinkOnLoad: false })
    .raw()
    .toBuffer();
  let bits = 0n;
  for (let row = 0; row < 8; row += 1) {
    for (let column = 0; column < 8; column += 1) {
      const left = pixels[row * 9 + column]!;
      const right = pixels[row * 9 + column + 1]!;
      bits = (bits << 1n) | (left > right ? 1n : 0n);
    }
  }
  return bits.toString(16).padStart(16, '0');
}

/** Hamming distance between two 16-hex-digit perceptual hashes. */
export function hammingDistance(a: string, b: string): number {
  let difference = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (difference > 0n) {
    count += Number(difference & 1n);
    difference >>= 1n;
  }
  return count;
}

interface ExifFields {
  Make?: unknown;
  Model?: unknown;
  DateTimeOriginal?: unknown;
  CreateDate?: unknown;
  OffsetTimeOriginal?: unknown;
  latitude?: unknown;
  longitude?: unknown;
}

/**
 * An EXIF time ("2017:03:02 10:15:00") with its offset ("+03:00") when the
 * file gives one, else read as UTC: cameras rarely record their time zone.
 */
export function parseExifTime(value: unknown, offset: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (match === null) return null;
  const zone = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : 'Z';
  const date = new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}${zone}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

function textOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // EXIF strings are often padded with NULs or spaces.
  const text = value.replace(/\0/g, '').trim();
  return text === '' ? undefined : text;
}

async function readExif(exif: Buffer | undefined): Promise<Partial<FileFacts>> {
  if (exif === undefined || exif.length < 8) return {};
  // libvips hands over the APP1 payload: "Exif\0\0" then the TIFF structure exifr reads.
  const tiff = exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
  let fields: ExifFields | undefined;
  try {
    fields = (await exifr.parse(tiff, {
      reviveValues: false,
      translateValues: false,
      gps: true,
      pick: [
        'Make',
        'Model',
        'DateTimeOriginal',
        'CreateDate',
        'OffsetTimeOriginal',
        'GPSLatitude',
        'GPSLatitudeRef',
        'GPSLongitude',
        'GPSLongitudeRef',
      ],
    })) as ExifFields | undefined;
  } catch {
    // Damaged EXIF is not a reason to refuse evidence; the photo simply has none.
    return {};
  }
  if (fields === undefined) return {};
  const latitude = typeof fields.latitude === 'number' && Number.isFinite(fields.latitude) ? fields.latitude : null;
  const longitude = typeof fields.longitude === 'number' && Number.isFinite(fields.longitude) ? fields.longitude : null;
  const hasPosition = latitude !== null && longitude !== null && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180;
  const make = textOf(fields.Make);
  const model = textOf(fields.Model);
  const device =
    make !== undefined && model !== undefined && !model.startsWith(make) ? `${make} ${model}` : (model ?? make);
  return {
    exif_captured_at: parseExifTime(fields.DateTimeOriginal ?? fields.CreateDate, fields.OffsetTimeOriginal),
    exif_latitude: hasPosition ? latitude : null,
    exif_longitude: hasPosition ? longitude : null,
    exif_device: device === undefined ? null : device.slice(0, 300),
  };
}

function pixelBomb(width: number, height: number, maxPixels: number): DomainError {
  return new DomainError(
    'validation_failed',
    `The image claims ${width}×${height} pixels, more than the limit of ${maxPixels} (ARMTRACE_MAX_IMAGE_PIXELS); it was not decoded.`,
    [{ field: 'file', message: `image too large to decode (${width}×${height} pixels)` }],
  );
}

/**
 * Reads what a file says about itself in its header, without decoding any pixel (so an upload stays quick): for
 * images the size in pixels and the EXIF capture time, position and device. Refuses an image whose header claims
 * more pixels than allowed (a decompression bomb); a damaged image is still accepted, without the facts that could
 * not be read. The perceptual hash needs the pixels: the derivatives job computes it (derivative-jobs.ts).
 */
export async function inspectFile(file: string, mediaType: string, maxPixels: number): Promise<FileFacts> {
  if (!decodableImageTypes.has(mediaType)) return noFacts;
  let metadata: Metadata;
  try {
    // Reads the header only.
    metadata = await (await loadSharp())(file, { limitInputPixels: false }).metadata();
  } catch {
    return noFacts;
  }
  const { width, height } = metadata;
  if (width * height > maxPixels) {
    throw pixelBomb(width, height, maxPixels);
  }
  const exif = await readExif(metadata.exif);
  return {
    ...noFacts,
    ...exif,
    pixel_width: width > 0 ? width : null,
    pixel_height: height > 0 ? height : null,
  };
}

/** The perceptual hash of an image file (decoded within the pixel limit); throws what the decoder throws. */
export async function perceptualHashOf(file: string, maxPixels: number): Promise<string> {
  return differenceHash(await openImage(file, maxPixels));
}
