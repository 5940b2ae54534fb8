/**
 * The one shape every dataset takes, whatever its source: uint8 images in NCHW order (or a
 * loader that decodes them on demand) and uint8 labels indexing `classes`.
 */
import { DatasetError } from './errors';

/**
 * Decodes images on demand, for datasets too large to hold decoded in memory. Synchronous
 * because batches are assembled in a worker thread that has nothing else to do meanwhile.
 */
export interface ImageLoader {
  readonly kind: 'loader';
  /** Writes image `index` (C*H*W uint8, planar) into `out` at `offset`. */
  read(index: number, out: Uint8Array, offset: number): void;
}

export interface Dataset {
  readonly name: string;
  readonly size: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  /** Label `i` means `classes[i]`. */
  readonly classes: readonly string[];
  /** `size * channels * height * width` bytes, image after image, each planar (CHW). */
  readonly images: Uint8Array | ImageLoader;
  readonly labels: Uint8Array;
}

/** Bytes of one image. */
export function imageBytes(dataset: Pick<Dataset, 'channels' | 'height' | 'width'>): number {
  return dataset.channels * dataset.height * dataset.width;
}

/** Copies image `index` into `out` at `offset`, from memory or through the loader. */
export function readImage(dataset: Dataset, index: number, out: Uint8Array, offset = 0): void {
  const { images } = dataset;
  if (images instanceof Uint8Array) {
    const n = imageBytes(dataset);
    out.set(images.subarray(index * n, index * n + n), offset);
  } else {
    images.read(index, out, offset);
  }
}

/**
 * A new dataset made of the samples at `indices`, in that order. In-memory images are copied
 * (so the parent can be dropped); loader images stay lazy behind an index map.
 *
 * @example selectSamples(ds, Uint32Array.of(4, 2), 'two-samples').labels // [ds.labels[4], ds.labels[2]]
 */
export function selectSamples(dataset: Dataset, indices: Uint32Array, name = dataset.name): Dataset {
  const n = imageBytes(dataset);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    if (k >= dataset.size) throw new DatasetError(`Sample index ${k} is out of range for dataset '${dataset.name}' of ${dataset.size} samples.`);
    labels[i] = dataset.labels[k];
  }
  const source = dataset.images;
  let images: Uint8Array | ImageLoader;
  if (source instanceof Uint8Array) {
    images = new Uint8Array(indices.length * n);
    for (let i = 0; i < indices.length; i++) images.set(source.subarray(indices[i] * n, indices[i] * n + n), i * n);
  } else {
    const map = indices.slice();
    images = { kind: 'loader', read: (index, out, offset) => source.read(map[index], out, offset) };
  }
  return { ...shapeOf(dataset), name, size: indices.length, images, labels };
}

function shapeOf(d: Dataset): Pick<Dataset, 'channels' | 'height' | 'width' | 'classes'> {
  return { channels: d.channels, height: d.height, width: d.width, classes: d.classes };
}

/** Throws when the arrays do not match the declared shape or a label has no class. */
export function checkDataset(dataset: Dataset): void {
  const { name, size, labels, images, classes } = dataset;
  if (labels.length !== size) throw new DatasetError(`Dataset '${name}' has ${labels.length} labels for ${size} samples.`);
  if (images instanceof Uint8Array && images.length !== size * imageBytes(dataset)) {
    throw new DatasetError(`Dataset '${name}' has ${images.length} image bytes; ${size} images of ${dataset.channels}x${dataset.height}x${dataset.width} need ${size * imageBytes(dataset)}.`);
  }
  for (let i = 0; i < size; i++) {
    if (labels[i] >= classes.length) throw new DatasetError(`Dataset '${name}' has label ${labels[i]} at sample ${i} but only ${classes.length} classes.`);
  }
}
