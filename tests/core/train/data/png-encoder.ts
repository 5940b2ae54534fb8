/**
 * A tiny PNG encoder for tests: writes images in any colour type and bit depth, with a chosen
 * filter per row, so the decoder can be checked against known pixels.
 */
import { crc32, deflateSync } from 'node:zlib';

export interface PngSpec {
  width: number;
  height: number;
  /** 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA. */
  colorType: 0 | 2 | 3 | 4 | 6;
  /** Default 8. */
  depth?: 1 | 2 | 4 | 8 | 16;
  /** Samples row by row, one number per sample at the file's depth (palette: indices). */
  samples: ArrayLike<number>;
  /** RGB triples for colour type 3. */
  palette?: ArrayLike<number>;
  /** Filter type of row y is filters(y); default cycles through all five. */
  filter?: (y: number) => number;
  interlace?: boolean;
}

const SAMPLES = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const;

export function encodePng(spec: PngSpec): Buffer {
  const depth = spec.depth ?? 8;
  const perPixel = SAMPLES[spec.colorType];
  const stride = Math.ceil((spec.width * perPixel * depth) / 8);
  const bpp = Math.max(1, (perPixel * depth) >> 3);
  const rows = packRows(spec, depth, perPixel, stride);
  const raw = Buffer.alloc(spec.height * (stride + 1));
  for (let y = 0; y < spec.height; y++) {
    const filter = spec.filter ? spec.filter(y) : y % 5;
    raw[y * (stride + 1)] = filter;
    for (let i = 0; i < stride; i++) {
      const cur = rows[y * stride + i];
      const left = i >= bpp ? rows[y * stride + i - bpp] : 0;
      const up = y > 0 ? rows[(y - 1) * stride + i] : 0;
      const upLeft = y > 0 && i >= bpp ? rows[(y - 1) * stride + i - bpp] : 0;
      const predicted = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      raw[y * (stride + 1) + 1 + i] = (cur - predicted) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(spec.width, 0);
  ihdr.writeUInt32BE(spec.height, 4);
  ihdr.set([depth, spec.colorType, 0, 0, spec.interlace ? 1 : 0], 8);
  const chunks = [chunk('IHDR', ihdr)];
  if (spec.palette) chunks.push(chunk('PLTE', Buffer.from(Array.from(spec.palette))));
  // Two IDAT chunks: decoders must concatenate them.
  const compressed = deflateSync(raw);
  const half = compressed.length >> 1;
  chunks.push(chunk('IDAT', compressed.subarray(0, half)), chunk('tEXt', Buffer.from('Comment\0test')), chunk('IDAT', compressed.subarray(half)));
  chunks.push(chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
}

function packRows(spec: PngSpec, depth: number, perPixel: number, stride: number): Uint8Array {
  const rows = new Uint8Array(spec.height * stride);
  const perRow = spec.width * perPixel;
  for (let y = 0; y < spec.height; y++) {
    for (let i = 0; i < perRow; i++) {
      const v = spec.samples[y * perRow + i];
      if (depth === 16) {
        rows[y * stride + 2 * i] = v >> 8;
        rows[y * stride + 2 * i + 1] = v & 0xff;
      } else if (depth === 8) {
        rows[y * stride + i] = v;
      } else {
        const bit = i * depth;
        rows[y * stride + (bit >> 3)] |= v << (8 - depth - (bit & 7));
      }
    }
  }
  return rows;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An 8-bit image from a pixel function: `pixel(x, y)` returns the samples of one pixel. */
export function pngFrom(width: number, height: number, colorType: 0 | 2 | 4 | 6, pixel: (x: number, y: number) => number[]): Buffer {
  const samples: number[] = [];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) samples.push(...pixel(x, y));
  return encodePng({ width, height, colorType, samples });
}
