import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../../../src-main/core/train/data/errors';
import { type DatasetSpec, type DatasetSplit, loadDataset } from '../../../../src-main/core/train/data/load';

describe('loadDataset option errors', () => {
  it('names the unknown dataset, split or shape', async () => {
    await expect(loadDataset('cifar' as DatasetSpec, { split: 'train' })).rejects.toThrow(
      new DatasetError(`Unknown dataset "cifar"; use 'fashion-mnist', 'mnist' or { folder: '<path>' }.`),
    );
    await expect(loadDataset('mnist', { split: 'valid' as DatasetSplit })).rejects.toThrow(`Unknown split "valid"; use 'train', 'test' or 'all'.`);
    await expect(loadDataset('mnist', { split: 'train', channels: 2 })).rejects.toThrow(`Channels 2 requested for dataset 'mnist' must be 1 (grey) or 3 (RGB).`);
    await expect(loadDataset('mnist', { split: 'train', width: 1.5 })).rejects.toThrow(`Width 1.5 requested for dataset 'mnist' must be an integer from 1 to 16384.`);
  });
});
