import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../../../src-main/core/train/data/errors';
import { decodePng } from '../../../../src-main/core/train/data/png';
import { encodePng } from './png-encoder';

/** Deterministic pseudo-random samples below `limit`. */
function samples(count: number, limit: number, salt = 1): number[] {
  return Array.from({ length: count }, (_, i) => (i * 7919 + salt * 104729 + ((i * i) % 13)) % limit);
}

function decodeError(bytes: Uint8Array): string {
  try {
    decodePng(bytes, 'x.png');
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return (e as Error).message;
  }
  throw new Error('expected a DatasetError');
}

describe('decodePng', () => {
  it.each([
    [0, 1],
    [2, 3],
    [4, 2],
    [6, 4],
  ] as const)('reads 8-bit colour type %i through all five row filters', (colorType, perPixel) => {
    const width = 7;
    const height = 10;
    const values = samples(width * height * perPixel, 256, colorType);
    const image = decodePng(encodePng({ width, height, colorType, samples: values }), 'x.png');
    expect(image).toMatchObject({ width, height, channels: perPixel });
    expect(Array.from(image.data)).toEqual(values);
  });

  it('reads 16-bit samples as their high byte', () => {
    const values = samples(5 * 3 * 3, 65536);
    const image = decodePng(encodePng({ width: 5, height: 3, colorType: 2, depth: 16, samples: values }), 'x.png');
    expect(Array.from(image.data)).toEqual(values.map((v) => v >> 8));
  });

  it.each([1, 2, 4] as const)('scales %i-bit grey to 0..255', (depth) => {
    const max = (1 << depth) - 1;
    const values = samples(9 * 4, max + 1);
    const image = decodePng(encodePng({ width: 9, height: 4, colorType: 0, depth, samples: values }), 'x.png');
    expect(Array.from(image.data)).toEqual(values.map((v) => Math.round((v * 255) / max)));
  });

  it.each([1, 2, 4, 8] as const)('expands %i-bit palette images to RGB', (depth) => {
    const entries = 1 << depth;
    const palette = samples(entries * 3, 256, 5);
    const indices = samples(11 * 3, entries, 3);
    const image = decodePng(encodePng({ width: 11, height: 3, colorType: 3, depth, samples: indices, palette }), 'x.png');
    expect(image.channels).toBe(3);
    expect(Array.from(image.data)).toEqual(indices.flatMap((i) => palette.slice(3 * i, 3 * i + 3)));
  });

  it('names the file and the problem for broken files', () => {
    const good = encodePng({ width: 2, height: 2, colorType: 0, samples: [1, 2, 3, 4] });
    expect(decodeError(Buffer.from('GIF89a....'))).toBe(`Cannot decode image 'x.png': it is not a PNG file.`);
    expect(decodeError(good.subarray(0, 40))).toMatch(/^Cannot decode image 'x.png': the file is truncated/);
    const badCrc = Buffer.from(good);
    badCrc[20] ^= 0xff; // inside IHDR's data
    expect(decodeError(badCrc)).toBe(`Cannot decode image 'x.png': chunk 'IHDR' fails its CRC check.`);
    const interlaced = encodePng({ width: 2, height: 2, colorType: 0, samples: [1, 2, 3, 4], interlace: true });
    expect(decodeError(interlaced)).toBe(`Cannot decode image 'x.png': interlaced (Adam7) PNGs are not supported; save it without interlacing.`);
    const badFilter = encodePng({ width: 2, height: 2, colorType: 0, samples: [1, 2, 3, 4], filter: () => 5 });
    expect(decodeError(badFilter)).toBe(`Cannot decode image 'x.png': row 0 has unknown filter type 5.`);
  });

  it('reports corrupt compressed data', () => {
    const png = encodePng({ width: 4, height: 4, colorType: 0, samples: samples(16, 256) });
    // Rewrite the first IDAT's payload with garbage and fix its CRC so only zlib can notice.
    const idat = png.indexOf('IDAT');
    const length = png.readUInt32BE(idat - 4);
    png.fill(0xee, idat + 4, idat + 4 + length);
    png.writeUInt32BE(crc32(png.subarray(idat, idat + 4 + length)), idat + 4 + length);
    expect(decodeError(png)).toMatch(/^Cannot decode image 'x.png': its compressed data is corrupt \(/);
  });
});
