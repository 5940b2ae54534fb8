import { describe, expect, it } from 'vitest';
import { drawAugment } from '../../../../src-main/core/train/data/augment';
import { type Batch, type BatchOptions, batchCount, batches, epochOrder } from '../../../../src-main/core/train/data/batches';
import { DatasetError } from '../../../../src-main/core/train/data/errors';
import { toSeed } from '../../../../src-main/core/train/data/random';
import { asLoader, pixelValue, syntheticDataset } from './fixtures';

const identity = { mean: [0], std: [1] };
const ds = syntheticDataset(23, 2, 5, 6);

/** Copies of every batch of an epoch (buffers are reused between batches). */
function collect(dataset = ds, options: Partial<BatchOptions> = {}): Batch[] {
  const out: Batch[] = [];
  for (const b of batches(dataset, { batchSize: 5, normalize: identity, ...options })) {
    out.push({ ...b, x: b.x.slice(), y: b.y.slice(), indices: b.indices.slice() });
  }
  return out;
}

/** Sample `index`'s image as a batch would hold it, found by its position in the epoch. */
function imageOf(all: Batch[], index: number): Float32Array {
  const n = ds.channels * ds.height * ds.width;
  for (const b of all) {
    const i = b.indices.indexOf(index);
    if (i >= 0) return b.x.subarray(i * n, (i + 1) * n);
  }
  throw new Error(`sample ${index} not found`);
}

function caught(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return (e as Error).message;
  }
  throw new Error('expected a DatasetError');
}

describe('batches', () => {
  it('visits every sample exactly once per epoch, with its own label, last batch partial', () => {
    const all = collect(ds, { seed: 3 });
    expect(all.map((b) => b.size)).toEqual([5, 5, 5, 5, 3]);
    expect(all.length).toBe(batchCount(23, 5));
    const seen = all.flatMap((b) => Array.from(b.indices)).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => i));
    for (const b of all) {
      expect(b.dims).toEqual([b.size, 2, 5, 6]);
      expect(b.x.length).toBe(b.size * 60);
      expect(Array.from(b.y)).toEqual(Array.from(b.indices, (i) => BigInt(ds.labels[i])));
      b.indices.forEach((index, k) => expect(b.x[k * 60 + 30 + 6 + 2]).toBeCloseTo(pixelValue(index, 1, 1, 2) / 255, 6));
    }
  });

  it('drops the partial batch on request', () => {
    expect(collect(ds, { dropLast: true }).map((b) => b.size)).toEqual([5, 5, 5, 5]);
    expect(batchCount(23, 5, true)).toBe(4);
  });

  it('shuffles deterministically by seed and epoch; no shuffle keeps dataset order', () => {
    const order = (seed: number, epoch: number) => collect(ds, { seed, epoch }).flatMap((b) => Array.from(b.indices));
    expect(order(1, 0)).toEqual(order(1, 0));
    expect(order(1, 0)).not.toEqual(order(2, 0));
    expect(order(1, 0)).not.toEqual(order(1, 1));
    expect(order(1, 0)).toEqual(Array.from(epochOrder(23, 1, 0)));
    expect(collect(ds, { shuffle: false }).flatMap((b) => Array.from(b.indices))).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });

  it('normalises as ((byte / 255) - mean) / std per channel', () => {
    const mean = [0.25, 0.5];
    const std = [0.5, 2];
    const [first] = collect(ds, { shuffle: false, normalize: { mean, std } });
    for (let i = 0; i < first.size; i++) {
      for (let c = 0; c < 2; c++) {
        for (let k = 0; k < 30; k++) {
          const byte = (ds.images as Uint8Array)[i * 60 + c * 30 + k];
          expect(first.x[i * 60 + c * 30 + k]).toBeCloseTo((byte / 255 - mean[c]) / std[c], 6);
        }
      }
    }
    // One value for every channel.
    const [single] = collect(ds, { shuffle: false, normalize: { mean: [0.5], std: [0.25] } });
    expect(single.x[35]).toBeCloseTo(((ds.images as Uint8Array)[35] / 255 - 0.5) / 0.25, 6);
  });

  it('reuses its buffers by default and allocates fresh ones on request', () => {
    const reused = [...batches(ds, { batchSize: 5, normalize: identity })];
    expect(reused[0].x.buffer).toBe(reused[1].x.buffer);
    expect(reused[4].x.buffer).toBe(reused[0].x.buffer); // the partial batch is a view
    const fresh = [...batches(ds, { batchSize: 5, normalize: identity, reuseBuffers: false })];
    expect(fresh[0].x.buffer).not.toBe(fresh[1].x.buffer);
    expect(fresh[4].x.length).toBe(3 * 60);
    expect(fresh.map((b) => Array.from(b.x))).toEqual(collect().map((b) => Array.from(b.x)));
  });

  it('reads loader datasets exactly like in-memory ones', () => {
    const options = { seed: 9, augment: { randomCrop: 2, flip: true } };
    expect(collect(asLoader(ds), options)).toEqual(collect(ds, options));
  });
});

describe('augmentation', () => {
  const options = { seed: 11, epoch: 4, augment: { randomCrop: 2, flip: true } };

  it('keeps the shape and is the same for a sample whatever the batch size', () => {
    const a = collect(ds, { ...options, batchSize: 5 });
    const b = collect(ds, { ...options, batchSize: 7 });
    for (const batch of a) expect(batch.x.length).toBe(batch.size * 60);
    for (let i = 0; i < ds.size; i++) expect(imageOf(b, i)).toEqual(imageOf(a, i));
    expect(collect(ds, { ...options, batchSize: 5 })).toEqual(a);
  });

  it('shifts and mirrors each sample by its (seed, epoch, index) draw, padding with zeros', () => {
    const all = collect(ds, options);
    const draws = Array.from({ length: ds.size }, (_, i) => drawAugment(toSeed(11), 4, i, options.augment, { dx: 0, dy: 0, flip: false }));
    expect(draws.some((d) => d.flip) && draws.some((d) => !d.flip)).toBe(true);
    expect(draws.some((d) => d.dx !== 0 || d.dy !== 0)).toBe(true);
    for (const d of draws) expect(Math.max(Math.abs(d.dx), Math.abs(d.dy))).toBeLessThanOrEqual(2);
    draws.forEach((d, i) => {
      const image = imageOf(all, i);
      for (let c = 0; c < 2; c++) {
        for (let y = 0; y < 5; y++) {
          for (let x = 0; x < 6; x++) {
            const sy = y + d.dy;
            const sx = (d.flip ? 5 - x : x) + d.dx;
            const expected = sy >= 0 && sy < 5 && sx >= 0 && sx < 6 ? pixelValue(i, c, sy, sx) / 255 : 0;
            expect(image[c * 30 + y * 6 + x]).toBeCloseTo(expected, 6);
          }
        }
      }
    });
  });

  it('draws anew each epoch', () => {
    const a = collect(ds, options);
    const b = collect(ds, { ...options, epoch: 5 });
    const differs = Array.from({ length: ds.size }, (_, i) => imageOf(a, i).some((v, k) => v !== imageOf(b, i)[k]));
    expect(differs.filter(Boolean).length).toBeGreaterThan(ds.size / 2);
  });
});

describe('batch option errors', () => {
  it.each([
    [{ batchSize: 0 }, 'Batch size 0 must be a positive integer.'],
    [{ epoch: -1 }, 'Epoch -1 must be a non-negative integer.'],
    [{ normalize: { mean: [0, 0, 0], std: [1] } }, 'Normalization mean has 3 values; give 1 or one per channel (2).'],
    [{ normalize: { mean: [0], std: [0] } }, 'Normalization std 0 for channel 0 must be a positive number.'],
    [{ augment: { randomCrop: 6 } }, 'Random crop padding 6 must be smaller than the 5x6 image.'],
    [{ augment: { randomCrop: 1.5 } }, 'Random crop padding 1.5 must be a non-negative integer.'],
    [{ seed: 0.5 }, 'Seed 0.5 is not an integer.'],
  ] as [Partial<BatchOptions>, string][])('%j', (options, message) => {
    expect(caught(() => batches(ds, { batchSize: 4, normalize: identity, ...options }).next())).toBe(message);
  });
});
