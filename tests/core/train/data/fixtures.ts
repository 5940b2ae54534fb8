/** Small synthetic datasets for the pipeline tests. */
import type { Dataset } from '../../../../src-main/core/train/data/dataset';

/**
 * `size` images of C x H x W whose bytes encode their sample, channel and position, so a test
 * can tell which pixel landed where: byte = (31 * sample + 7 * c + 3 * y + x) % 256.
 */
export function syntheticDataset(size: number, channels: number, height: number, width: number, classes = 3): Dataset {
  const images = new Uint8Array(size * channels * height * width);
  let k = 0;
  for (let i = 0; i < size; i++) {
    for (let c = 0; c < channels; c++) {
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) images[k++] = pixelValue(i, c, y, x);
    }
  }
  const labels = Uint8Array.from({ length: size }, (_, i) => i % classes);
  return { name: 'synthetic', size, channels, height, width, classes: Array.from({ length: classes }, (_, c) => `class${c}`), images, labels };
}

export function pixelValue(sample: number, c: number, y: number, x: number): number {
  return (31 * sample + 7 * c + 3 * y + x) % 256;
}

/** The same dataset served through a loader, as lazy image folders are. */
export function asLoader(dataset: Dataset): Dataset {
  const bytes = dataset.images as Uint8Array;
  const n = dataset.channels * dataset.height * dataset.width;
  return { ...dataset, images: { kind: 'loader', read: (i, out, offset) => out.set(bytes.subarray(i * n, i * n + n), offset) } };
}
