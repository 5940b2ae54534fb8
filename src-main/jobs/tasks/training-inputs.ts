/**
 * What training and evaluation resolve the same way: the input normalization (the command line,
 * else the model card, else the zoo's, else none) and the dataset converted to the model's input.
 */
import type { DatasetChoice, DatasetName } from '../../common/api/training';
import type { Model } from '../../core/onnx/ir';
import type { Progress } from '../../core/progress';
import type { Dataset } from '../../core/train/data/dataset';
import { loadImageFolder } from '../../core/train/data/image-folder';
import { loadDataset } from '../../core/train/data/load';
import type { Normalization } from '../../core/train/data/pixels';
import { classifierShape } from '../../core/train/evaluate';
import { ZOO_PREFIX } from '../../core/zoo/resolve';
import type { ModelCard } from '../../core/zoo/small/card';
import { FASHION_MNIST_NORMALIZATION, isSmallZooName } from '../../core/zoo/small/registry';
import type { JobEnvironment } from '../environment';

/** Explicit mean/std, else the model card's, else the zoo's, else mean 0 and std 1. */
export function normalizationFor(request: { mean?: number[]; std?: number[] }, card: ModelCard | null, modelSpec: string): Normalization {
  const zooName = modelSpec.startsWith(ZOO_PREFIX) ? modelSpec.slice(ZOO_PREFIX.length) : null;
  const fallback = card?.input ?? (zooName && isSmallZooName(zooName) ? FASHION_MNIST_NORMALIZATION : { mean: [0], std: [1] });
  return { mean: request.mean ?? [...fallback.mean], std: request.std ?? [...fallback.std] };
}

/** A split of the dataset, its images converted to the model's input channels and size. */
export async function datasetFor(choice: DatasetChoice, split: 'train' | 'test' | 'all', model: Model, env: JobEnvironment, progress: Progress): Promise<Dataset> {
  const input = classifierShape(model).input;
  const [channels, height, width] = input.slice(1).map((d) => (typeof d === 'number' ? d : undefined));
  return loadDataset(choice, { split, cacheDir: env.datasetCacheDir, channels, height, width, progress });
}

/** Images without labels, converted to the model's input: a packaged dataset's training images (labels dropped) or every image under a folder. */
export async function unlabeledFor(source: DatasetName | { folder: string }, model: Model, env: JobEnvironment, progress: Progress): Promise<Dataset> {
  if (typeof source === 'object') {
    const input = classifierShape(model).input;
    const [channels, height, width] = input.slice(1).map((d) => (typeof d === 'number' ? d : undefined));
    return loadImageFolder(source.folder, { unlabeled: true, channels, height, width, progress });
  }
  const images = await datasetFor(source, 'train', model, env, progress);
  return { ...images, classes: ['unlabeled'], labels: new Uint8Array(images.size) };
}
