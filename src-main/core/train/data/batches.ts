/**
 * Mini-batches for training: shuffled by (seed, epoch), augmented, normalised, as the float32
 * NCHW images and int64 labels an ONNX training graph takes.
 */
import { type AugmentDraw, type AugmentOptions, checkAugment, drawAugment } from './augment';
import { type Dataset, type ImageLoader, imageBytes } from './dataset';
import { DatasetError } from './errors';
import { type Normalization, channelAffine, writeImage } from './pixels';
import { hashInts } from '../../../common/random';
import { permutation, toSeed } from './random';

export interface BatchOptions {
  batchSize: number;
  /** Applied after scaling pixels to [0, 1]: (x - mean) / std per channel. */
  normalize: Normalization;
  /** Visit samples in a (seed, epoch)-dependent order (default true); false keeps dataset order. */
  shuffle?: boolean;
  /** Integer seed for the shuffle and the augmentation (default 0). */
  seed?: number;
  /** Integer epoch number; each epoch has its own order and augmentation draws (default 0). */
  epoch?: number;
  /** Skip the last batch when it has fewer than batchSize samples (default false). */
  dropLast?: boolean;
  augment?: AugmentOptions;
  /**
   * Write every batch into the same two buffers (default true). The yielded arrays then belong
   * to the iterator and are overwritten when the next batch is requested: use a batch (run the
   * ORT step on it) before advancing, and copy it (`x.slice()`) to keep it. False allocates
   * fresh arrays per batch, which the caller owns.
   */
  reuseBuffers?: boolean;
}

export interface Batch {
  /** `size * C * H * W` floats, NCHW. */
  x: Float32Array;
  /** `size` labels. */
  y: BigInt64Array;
  size: number;
  /** Tensor shape of `x`: [size, C, H, W]. */
  dims: [number, number, number, number];
  /** Which dataset samples this batch holds; a view into the epoch's order, do not modify. */
  indices: Uint32Array;
}

/** Keeps the shuffle's random stream apart from the augmentation drawn from the same seed. */
const SHUFFLE_STREAM = 0x5a0ff1e;

/** Labels are uint8: one BigInt per possible value saves a conversion per sample. */
const LABEL_VALUES = Array.from({ length: 256 }, (_, i) => BigInt(i));

/** How many batches an epoch has. */
export function batchCount(size: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);
}

/**
 * The order in which an epoch visits the samples; what `batches` uses, exposed for tests and
 * for resuming an epoch part-way.
 */
export function epochOrder(size: number, seed: number, epoch: number, shuffle = true): Uint32Array {
  if (!shuffle) return Uint32Array.from({ length: size }, (_, i) => i);
  return permutation(size, hashInts(toSeed(seed), SHUFFLE_STREAM, epoch));
}

/**
 * Iterates one epoch of `dataset` in batches. The last partial batch is yielded unless
 * `dropLast`.
 *
 * @example
 * for (const { x, y, dims } of batches(train, { batchSize: 64, seed: 1, epoch, normalize: { mean: [0.286], std: [0.353] } })) {
 *   await session.run({ input: new ort.Tensor('float32', x, dims), labels: new ort.Tensor('int64', y, [dims[0]]) });
 * }
 */
export function* batches(dataset: Dataset, options: BatchOptions): Generator<Batch, void, undefined> {
  const { batchSize, dropLast = false, reuseBuffers = true, augment } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new DatasetError(`Batch size ${batchSize} must be a positive integer.`);
  const epoch = options.epoch ?? 0;
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new DatasetError(`Epoch ${epoch} must be a non-negative integer.`);
  const { channels, height, width, size } = dataset;
  if (augment) checkAugment(augment, height, width);
  const affine = channelAffine(options.normalize, channels);
  const seed = toSeed(options.seed ?? 0);
  const order = epochOrder(size, options.seed ?? 0, epoch, options.shuffle ?? true);
  const sampleLength = imageBytes(dataset);
  const inMemory = dataset.images instanceof Uint8Array ? dataset.images : null;
  const loader = inMemory ? null : (dataset.images as ImageLoader);
  // Loader images are decoded into one scratch image, then written like in-memory ones.
  const scratch = new Uint8Array(inMemory ? 0 : sampleLength);
  const draw: AugmentDraw = { dx: 0, dy: 0, flip: false };
  let x = new Float32Array(Math.min(batchSize, size) * sampleLength);
  let y = new BigInt64Array(Math.min(batchSize, size));

  for (let start = 0; start < size; start += batchSize) {
    const count = Math.min(batchSize, size - start);
    if (count < batchSize && dropLast) return;
    if (!reuseBuffers && start > 0) {
      x = new Float32Array(count * sampleLength);
      y = new BigInt64Array(count);
    }
    for (let i = 0; i < count; i++) {
      const index = order[start + i];
      if (loader) loader.read(index, scratch, 0);
      const src = inMemory ?? scratch;
      const srcOffset = inMemory ? index * sampleLength : 0;
      if (augment) drawAugment(seed, epoch, index, augment, draw);
      writeImage(src, srcOffset, x, i * sampleLength, channels, height, width, affine, draw.dx, draw.dy, draw.flip);
      y[i] = LABEL_VALUES[dataset.labels[index]];
    }
    const full = count * sampleLength === x.length;
    yield {
      x: full ? x : x.subarray(0, count * sampleLength),
      y: count === y.length ? y : y.subarray(0, count),
      size: count,
      dims: [count, channels, height, width],
      indices: order.subarray(start, start + count),
    };
  }
}
