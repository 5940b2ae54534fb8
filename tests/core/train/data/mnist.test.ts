import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../../src-main/core/train/data/dataset';
import { loadDataset } from '../../../../src-main/core/train/data/load';
import { MNIST_CLASSES } from '../../../../src-main/core/train/data/mnist';
import { channelStats } from '../../../../src-main/core/train/data/stats';

const cacheDir = mkdtempSync(path.join(tmpdir(), 'joule-mnist-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/** Images per digit in the package's files. */
const PER_DIGIT = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

function classCounts(ds: Dataset): number[] {
  const counts = new Array(10).fill(0);
  for (const label of ds.labels) counts[label]++;
  return counts;
}

describe('MNIST', () => {
  it('splits each digit 80/20 by file order: 8,000 train and 2,000 test of 10,000', async () => {
    // The first load builds the cache, the others read it.
    const train = await loadDataset('mnist', { split: 'train', cacheDir });
    const test = await loadDataset('mnist', { split: 'test', cacheDir });
    const all = await loadDataset('mnist', { split: 'all', cacheDir });
    expect([train.size, test.size, all.size]).toEqual([8_000, 2_000, 10_000]);
    expect(train).toMatchObject({ name: 'mnist/train', channels: 1, height: 28, width: 28 });
    expect(train.classes).toEqual(MNIST_CLASSES);
    expect(classCounts(train)).toEqual(PER_DIGIT.map((n) => Math.round(0.8 * n)));
    expect(classCounts(test)).toEqual(PER_DIGIT.map((n) => n - Math.round(0.8 * n)));
    expect(channelStats(all).byteSum).toEqual([channelStats(train).byteSum[0] + channelStats(test).byteSum[0]]);
    // Pinned: the package's 10,000 images sum to 262,146,600 grey levels.
    expect(channelStats(all).byteSum).toEqual([262_146_600]);
  });

  it('rejects pixel values outside 0..1, naming the file', async () => {
    const dir = path.join(cacheDir, 'fake-mnist');
    mkdirSync(path.join(dir, 'src', 'digits'), { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{"version":"1.1.0"}');
    for (let d = 0; d < 10; d++) writeFileSync(path.join(dir, 'src', 'digits', `${d}.json`), JSON.stringify({ data: new Array(784).fill(d === 4 ? 2 : 0.5) }));
    const file = path.join(dir, 'src', 'digits', '4.json');
    await expect(loadDataset('mnist', { split: 'all', cacheDir, packageDir: dir })).rejects.toThrow(`MNIST file '${file}' has pixel value 2 at 0; expected a number 0..1.`);
  });
});
