/**
 * A small PNG decoder (node:zlib for the compressed stream): non-interlaced images of every
 * colour type, 8-bit, 16-bit (reduced to the high byte) and 1/2/4-bit grey or palette. Enough
 * for training images; written here because the app ships no image library.
 */
import { crc32, inflateSync } from 'node:zlib';
import { DatasetError } from './errors';

export interface DecodedImage {
  width: number;
  height: number;
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA; palettes are expanded to RGB (transparency dropped). */
  channels: 1 | 2 | 3 | 4;
  /** height * width * channels bytes, interleaved (HWC). */
  data: Uint8Array;
}

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
/** Samples per pixel in the file, by colour type. */
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Bit depths the PNG specification allows, by colour type. */
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
/** Refuse absurd sizes before allocating: 16k x 16k is far beyond any training image. */
const MAX_SIDE = 16384;

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * Decodes a PNG file's bytes; `name` (the file path) is quoted in errors.
 *
 * @example const { width, height, channels, data } = decodePng(readFileSync(file), file);
 */
export function decodePng(bytes: Uint8Array, name: string): DecodedImage {
  const fail = (why: string): never => {
    throw new DatasetError(`Cannot decode image '${name}': ${why}.`);
  };
  if (!isPng(bytes)) fail('it is not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: { width: number; height: number; depth: number; colorType: number } | null = null;
  let palette: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let pos = 8;
  let ended = false;
  while (!ended) {
    if (pos + 12 > bytes.length) fail('the file is truncated');
    const length = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    const end = pos + 8 + length;
    if (end + 4 > bytes.length) fail(`the file is truncated inside chunk '${type}'`);
    if (crc32(bytes.subarray(pos + 4, end)) !== view.getUint32(end)) fail(`chunk '${type}' fails its CRC check`);
    const data = bytes.subarray(pos + 8, end);
    switch (type) {
      case 'IHDR': {
        if (length !== 13) fail('its IHDR chunk has the wrong length');
        const [width, height] = [view.getUint32(pos + 8), view.getUint32(pos + 12)];
        const [depth, colorType, compression, filter, interlace] = data.subarray(8, 13);
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) fail(`its size ${width}x${height} is out of range`);
        if (!DEPTHS[colorType]?.includes(depth)) fail(`colour type ${colorType} with bit depth ${depth} is not valid PNG`);
        if (compression !== 0 || filter !== 0) fail('it uses an unknown compression or filter method');
        if (interlace !== 0) fail('interlaced (Adam7) PNGs are not supported; save it without interlacing');
        header = { width, height, depth, colorType };
        break;
      }
      case 'PLTE':
        palette = data;
        break;
      case 'IDAT':
        idat.push(data);
        break;
      case 'IEND':
        ended = true;
        break;
      default:
        // Ancillary chunks (gamma, text, transparency...) do not change the stored samples.
        break;
    }
    pos = end + 4;
  }
  if (!header) return fail('it has no IHDR chunk');
  if (idat.length === 0) fail('it has no image data');
  if (header.colorType === 3 && !palette) fail('it is a palette image without a palette');
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (error) {
    return fail(`its compressed data is corrupt (${(error as Error).message})`);
  }
  const { width, height, depth, colorType } = header;
  const samples = SAMPLES[colorType];
  const stride = Math.ceil((width * samples * depth) / 8);
  if (raw.length < height * (stride + 1)) fail(`its image data is too short for ${width}x${height} pixels`);
  const rows = unfilter(raw, height, stride, Math.max(1, (samples * depth) >> 3), fail);
  return expand(rows, header, samples, stride, palette, fail);
}

/** Undoes the per-row filters; returns the rows without their filter bytes. */
function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number, fail: (why: string) => never): Uint8Array {
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    const up = row - stride;
    switch (filter) {
      case 0:
        out.set(raw.subarray(src, src + stride), row);
        break;
      case 1:
        for (let i = 0; i < stride; i++) out[row + i] = raw[src + i] + (i >= bpp ? out[row + i - bpp] : 0);
        break;
      case 2:
        for (let i = 0; i < stride; i++) out[row + i] = raw[src + i] + (y > 0 ? out[up + i] : 0);
        break;
      case 3:
        for (let i = 0; i < stride; i++) {
          const left = i >= bpp ? out[row + i - bpp] : 0;
          const above = y > 0 ? out[up + i] : 0;
          out[row + i] = raw[src + i] + ((left + above) >> 1);
        }
        break;
      case 4:
        for (let i = 0; i < stride; i++) {
          const a = i >= bpp ? out[row + i - bpp] : 0;
          const b = y > 0 ? out[up + i] : 0;
          const c = i >= bpp && y > 0 ? out[up + i - bpp] : 0;
          out[row + i] = raw[src + i] + paeth(a, b, c);
        }
        break;
      default:
        fail(`row ${y} has unknown filter type ${filter}`);
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

/** Turns filtered-out rows into 8-bit interleaved samples, expanding palettes and low depths. */
function expand(
  rows: Uint8Array,
  header: { width: number; height: number; depth: number; colorType: number },
  samples: number,
  stride: number,
  palette: Uint8Array | null,
  fail: (why: string) => never,
): DecodedImage {
  const { width, height, depth, colorType } = header;
  const channels = (colorType === 3 ? 3 : samples) as DecodedImage['channels'];
  const data = new Uint8Array(width * height * channels);
  if (depth === 8 && colorType !== 3) {
    for (let y = 0; y < height; y++) data.set(rows.subarray(y * stride, y * stride + width * samples), y * width * samples);
    return { width, height, channels, data };
  }
  if (depth === 16) {
    // The high byte of each big-endian sample is the 8-bit value rounded down.
    for (let k = 0, y = 0; y < height; y++) {
      for (let i = 0; i < width * samples; i++) data[k++] = rows[y * stride + 2 * i];
    }
    return { width, height, channels, data };
  }
  const perByte = 8 / depth;
  const mask = (1 << depth) - 1;
  const greyScale = 255 / mask;
  const entries = palette ? palette.length / 3 : 0;
  for (let k = 0, y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const byte = rows[y * stride + Math.floor(x / perByte)];
      const value = depth === 8 ? byte : (byte >> (8 - depth * ((x % perByte) + 1))) & mask;
      if (colorType === 0) {
        data[k++] = value * greyScale;
      } else {
        if (value >= entries) fail(`pixel (${x}, ${y}) uses palette entry ${value} of ${entries}`);
        data[k++] = palette![3 * value];
        data[k++] = palette![3 * value + 1];
        data[k++] = palette![3 * value + 2];
      }
    }
  }
  return { width, height, channels, data };
}
