import { describe, expect, it } from 'vitest';
import { checkDataset, readImage, selectSamples } from '../../../../src-main/core/train/data/dataset';
import { DatasetError } from '../../../../src-main/core/train/data/errors';
import { splitTrainValidation } from '../../../../src-main/core/train/data/split';
import { channelStats } from '../../../../src-main/core/train/data/stats';
import { asLoader, syntheticDataset } from './fixtures';

/** Identifies each sample by its first pixel (31 * index mod 256 is unique below 256). */
function firstPixels(ds: ReturnType<typeof syntheticDataset>): number[] {
  const one = new Uint8Array(ds.channels * ds.height * ds.width);
  return Array.from({ length: ds.size }, (_, i) => (readImage(ds, i, one), one[0]));
}

describe('splitTrainValidation', () => {
  const ds = syntheticDataset(100, 1, 2, 2, 4); // 25 per class

  it('holds out the fraction of every class, disjoint and covering', () => {
    const { train, validation } = splitTrainValidation(ds, 0.2, 5);
    expect([train.size, validation.size]).toEqual([80, 20]);
    for (let c = 0; c < 4; c++) expect(validation.labels.filter((l) => l === c).length).toBe(5);
    const all = [...firstPixels(train), ...firstPixels(validation)].sort((a, b) => a - b);
    expect(all).toEqual(firstPixels(ds).sort((a, b) => a - b));
    expect(train.name).toBe('synthetic/train');
    // Labels travel with their images: sample i has label i % 4 and first pixel 31 i mod 256.
    const inverse = new Map(Array.from({ length: 100 }, (_, i) => [(31 * i) % 256, i]));
    firstPixels(validation).forEach((p, k) => expect(validation.labels[k]).toBe(inverse.get(p)! % 4));
  });

  it('is deterministic by seed', () => {
    const a = firstPixels(splitTrainValidation(ds, 0.2, 5).validation);
    expect(firstPixels(splitTrainValidation(ds, 0.2, 5).validation)).toEqual(a);
    expect(firstPixels(splitTrainValidation(ds, 0.2, 6).validation)).not.toEqual(a);
  });

  it('works on loader datasets without decoding anything up front', () => {
    const lazy = splitTrainValidation(asLoader(ds), 0.2, 5);
    expect(lazy.validation.images).not.toBeInstanceOf(Uint8Array);
    expect(firstPixels(lazy.validation)).toEqual(firstPixels(splitTrainValidation(ds, 0.2, 5).validation));
  });

  it('rejects fractions outside (0, 1)', () => {
    for (const f of [0, 1, -0.1, Number.NaN]) {
      expect(() => splitTrainValidation(ds, f, 1)).toThrow(DatasetError);
    }
    expect(() => splitTrainValidation(ds, 1, 1)).toThrow(`Validation fraction 1 for dataset 'synthetic' must be between 0 and 1 (exclusive).`);
  });
});

describe('selectSamples and channelStats', () => {
  it('copies the chosen samples in order and names bad indices', () => {
    const ds = syntheticDataset(10, 2, 3, 3);
    const picked = selectSamples(ds, Uint32Array.of(7, 2), 'two');
    expect(picked).toMatchObject({ name: 'two', size: 2, channels: 2, height: 3, width: 3 });
    expect(Array.from(picked.labels)).toEqual([ds.labels[7], ds.labels[2]]);
    expect((picked.images as Uint8Array).subarray(18)).toEqual((ds.images as Uint8Array).subarray(36, 54));
    expect(() => selectSamples(ds, Uint32Array.of(10))).toThrow(`Sample index 10 is out of range for dataset 'synthetic' of 10 samples.`);
  });

  it('checks a dataset against its declared shape', () => {
    const ds = syntheticDataset(4, 1, 2, 2, 2);
    expect(() => checkDataset(ds)).not.toThrow();
    expect(() => checkDataset({ ...ds, size: 5 })).toThrow(`Dataset 'synthetic' has 4 labels for 5 samples.`);
    expect(() => checkDataset({ ...ds, images: new Uint8Array(15) })).toThrow(`Dataset 'synthetic' has 15 image bytes; 4 images of 1x2x2 need 16.`);
    expect(() => checkDataset({ ...ds, labels: Uint8Array.of(0, 1, 2, 0) })).toThrow(`Dataset 'synthetic' has label 2 at sample 2 but only 2 classes.`);
  });

  it('computes per-channel mean and population std in [0, 1] units', () => {
    const ds = { ...syntheticDataset(2, 2, 1, 2), images: Uint8Array.of(0, 255, 10, 10, 255, 255, 20, 30) };
    const stats = channelStats(ds);
    expect(stats.byteSum).toEqual([765, 70]);
    expect(stats.mean[0]).toBeCloseTo(0.75, 12);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(0.1875), 12);
    expect(stats.mean[1]).toBeCloseTo(17.5 / 255, 12);
    expect(stats.std[1]).toBeCloseTo(Math.sqrt(68.75) / 255, 12);
  });
});
