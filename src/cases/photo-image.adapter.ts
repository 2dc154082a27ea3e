import sharp, { type Metadata } from 'sharp';
import { AppError } from '../shared/app-error.js';

/** A reference photo as it is stored: decoded once, upright, in a format every browser shows. */
export interface NormalisedPhoto {
  data: Buffer;
  mimeType: 'image/jpeg' | 'image/png' | 'image/webp';
  extension: 'jpg' | 'png' | 'webp';
  width: number;
  height: number;
}

const KEPT_AS_IS = {
  jpeg: { mimeType: 'image/jpeg', extension: 'jpg' },
  png: { mimeType: 'image/png', extension: 'png' },
  webp: { mimeType: 'image/webp', extension: 'webp' },
} as const;

/** Raster formats a camera or phone produces; SVG, PDF and the like are not photos. */
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif']);

function unsupported(): AppError {
  return new AppError(
    'UNSUPPORTED_IMAGE',
    'The file is not a photo that can be decoded (JPEG, PNG, WebP, GIF, TIFF or AVIF)',
  );
}

/**
 * Validates a photo by decoding it (never by its name or declared type). JPEG, PNG and WebP
 * without an EXIF rotation are kept byte for byte; anything else is re-encoded upright as JPEG,
 * so the face box the engine reports is in pixels of the stored image. A picture of more than
 * `maxPixels` (a decompression bomb: a few KB declaring gigabytes of pixels) is refused from its
 * header, before anything is decoded, with MEDIA_LIMIT_EXCEEDED.
 */
export async function normalisePhoto(
  input: Buffer,
  { maxPixels }: { maxPixels: number },
): Promise<NormalisedPhoto> {
  let metadata: Metadata;
  try {
    // The header only: the size is checked below, where the refusal can say why.
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw unsupported();
  }
  const { format, width, height, orientation } = metadata;
  if (!format || !ACCEPTED_FORMATS.has(format) || !width || !height) throw unsupported();
  if (width * height > maxPixels) {
    throw new AppError(
      'MEDIA_LIMIT_EXCEEDED',
      `The photo has ${width}×${height} pixels, more than MAX_PHOTO_PIXELS (${maxPixels})`,
      { limit: 'MAX_PHOTO_PIXELS', max: maxPixels, actual: width * height },
    );
  }
  const kept = format in KEPT_AS_IS ? KEPT_AS_IS[format as keyof typeof KEPT_AS_IS] : undefined;
  try {
    if (kept && (orientation ?? 1) === 1) {
      // Decoding every pixel, not only the header, catches truncated and corrupt files.
      await sharp(input, { limitInputPixels: maxPixels, failOn: 'error' }).stats();
      return { data: input, ...kept, width, height };
    }
    const { data, info } = await sharp(input, { limitInputPixels: maxPixels, failOn: 'error' })
      .rotate()
      .jpeg({ quality: 92 })
      .toBuffer({ resolveWithObject: true });
    return {
      data,
      mimeType: 'image/jpeg',
      extension: 'jpg',
      width: info.width,
      height: info.height,
    };
  } catch {
    throw unsupported();
  }
}
