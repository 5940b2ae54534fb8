import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../../src-main/core/train/data/dataset';
import { FASHION_MNIST_CLASSES } from '../../../../src-main/core/train/data/fashion-mnist';
import { loadDataset } from '../../../../src-main/core/train/data/load';
import { channelStats } from '../../../../src-main/core/train/data/stats';

// The real package: the first load parses its 149 MB of JSON (about 3 s), the rest hit the cache.
const cacheDir = mkdtempSync(path.join(tmpdir(), 'joule-fmnist-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

function recorder() {
  const messages: string[] = [];
  return { messages, progress: { report: (_f: number | null, m: string) => void messages.push(m), checkpoint() {} } };
}

function digest(ds: Dataset): string {
  return createHash('sha256')
    .update(ds.images as Uint8Array)
    .update(ds.labels)
    .digest('hex');
}

function classCounts(ds: Dataset): number[] {
  const counts = new Array(ds.classes.length).fill(0);
  for (const label of ds.labels) counts[label]++;
  return counts;
}

describe('Fashion-MNIST', () => {
  let train: Dataset;
  let built: string[];

  beforeAll(async () => {
    const { messages, progress } = recorder();
    train = await loadDataset('fashion-mnist', { split: 'train', cacheDir, progress });
    built = messages;
  }, 60_000);

  it('has the standard 60,000 train images, 6,000 per class', () => {
    expect(train).toMatchObject({ name: 'fashion-mnist/train', size: 60_000, channels: 1, height: 28, width: 28 });
    expect(train.classes).toEqual(FASHION_MNIST_CLASSES);
    expect((train.images as Uint8Array).length).toBe(60_000 * 784);
    expect(classCounts(train)).toEqual(new Array(10).fill(6_000));
    expect(built[0]).toMatch(/^Building the Fashion-MNIST cache '.*fashion-mnist\.bin' because it does not exist yet/);
  });

  it('has a known pixel statistic (pinned: the sum of every train and test byte)', async () => {
    const stats = channelStats(train);
    expect(stats.byteSum).toEqual([3_431_889_312]);
    expect(stats.mean[0]).toBeCloseTo(0.28611, 5);
    expect(stats.std[0]).toBeCloseTo(0.35281, 5);
    const test = await loadDataset('fashion-mnist', { split: 'test', cacheDir });
    expect(channelStats(test).byteSum).toEqual([573_580_711]);
  });

  it('has the standard 10,000 test images, 1,000 per class, starting with the package\'s first T-shirt', async () => {
    const test = await loadDataset('fashion-mnist', { split: 'test', cacheDir });
    expect(test.size).toBe(10_000);
    expect(classCounts(test)).toEqual(new Array(10).fill(1_000));
    // The first entry of the package's 0.json.
    expect(Array.from((test.images as Uint8Array).subarray(0, 16))).toEqual([0, 0, 0, 0, 0, 0, 0, 9, 8, 0, 0, 34, 29, 7, 0, 11]);
    const all = await loadDataset('fashion-mnist', { split: 'all', cacheDir });
    expect(all.size).toBe(70_000);
  });

  it('loads identical data from the cache the second time', async () => {
    const { messages, progress } = recorder();
    const again = await loadDataset('fashion-mnist', { split: 'train', cacheDir, progress });
    expect(messages).toEqual([`Loaded Fashion-MNIST from the cache '${path.join(cacheDir, 'fashion-mnist.bin')}'.`]);
    expect(digest(again)).toBe(digest(train));
  });

  it('converts to a model input shape (3x32x32) on request', async () => {
    const test = await loadDataset('fashion-mnist', { split: 'test', cacheDir });
    const rgb = await loadDataset('fashion-mnist', { split: 'test', cacheDir, channels: 3, height: 32, width: 32 });
    expect(rgb).toMatchObject({ size: 10_000, channels: 3, height: 32, width: 32 });
    const images = rgb.images as Uint8Array;
    expect(images.length).toBe(10_000 * 3 * 1024);
    expect(images.subarray(1024, 2048)).toEqual(images.subarray(0, 1024));
    expect(rgb.labels).toEqual(test.labels);
    // Bilinear upscaling keeps the mean brightness within a fraction of a grey level.
    expect(channelStats(rgb).mean[0]).toBeCloseTo(channelStats(test).mean[0], 2);
  });
});
