/**
 * Decodes an image file by its content (not its name): PNG with Joule's own decoder, JPEG with
 * jpeg-js (pure JavaScript, baseline and progressive).
 */
import jpeg from 'jpeg-js';
import { DatasetError } from './errors';
import { decodePng, type DecodedImage } from './png';

/** Largest JPEG Joule decodes, in megapixels: a guard against decompression bombs. */
const MAX_JPEG_MEGAPIXELS = 100;

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

export function decodeImage(bytes: Uint8Array, file: string): DecodedImage {
  if (!isJpeg(bytes)) return decodePng(bytes, file);
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: MAX_JPEG_MEGAPIXELS });
  } catch (error) {
    throw new DatasetError(`JPEG image '${file}' cannot be decoded: ${(error as Error).message}.`);
  }
  return { width: decoded.width, height: decoded.height, channels: 3, data: decoded.data };
}
