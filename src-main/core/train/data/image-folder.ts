/**
 * A user's image folder as a dataset: one subfolder per class, class names sorted (label i is
 * the i-th name), PNG images decoded, converted to the model's channels and resized to its
 * input size.
 *
 *     flowers/
 *       daisy/   001.png 002.png ...
 *       tulip/   a.png b.png ...          -> classes ['daisy', 'tulip']
 */
import { type Dirent, promises as fs } from 'node:fs';
import path from 'node:path';
import { readRegularFile, readRegularFileSync, UnreadableFileError } from '../../io/regular-file';
import { type Progress, silentProgress } from '../../progress';
import type { Dataset, ImageLoader } from './dataset';
import { DatasetError } from './errors';
import { type ModelChannels, checkModelChannels, checkSide, convertChannels, resizeToPlanar } from './image-ops';
import { decodeImage } from './decode-image';

export interface ImageFolderOptions {
  /** 1 (grey) or 3 (RGB); by default that of the first image (grey stays grey, else RGB). */
  channels?: number;
  /** Input size of the model; by default the first image's size. */
  height?: number;
  width?: number;
  /**
   * A fixed class list (label = index), so that a train and a test folder agree on labels; a
   * listed class without a folder simply has no samples here.
   */
  classes?: readonly string[];
  /**
   * 'eager' decodes every image up front; 'lazy' returns a loader that decodes on demand (for
   * folders too large to hold decoded); 'auto' (default) is eager up to 1 GiB of pixels.
   */
  mode?: 'eager' | 'lazy' | 'auto';
  progress?: Progress;
  name?: string;
}

export interface FolderScan {
  classes: string[];
  /** Absolute image paths, class by class, each class's files sorted by name. */
  files: string[];
  labels: Uint8Array;
}

const LAZY_THRESHOLD = 1 << 30;
/** Files that operating systems drop into folders; never training images. */
const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini']);
const JPEG_EXTENSIONS = new Set(['.jpg', '.jpeg', '.jfif']);

/** Code-unit order, like Python's sorted() in torchvision's ImageFolder: the same in every locale. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isIgnored(name: string): boolean {
  return name.startsWith('.') || SYSTEM_FILES.has(name.toLowerCase());
}

/** Lists classes and image files, checking the layout and file types without decoding. */
export async function scanImageFolder(folder: string, fixedClasses?: readonly string[]): Promise<FolderScan> {
  const root = path.resolve(folder);
  let entries: Dirent[];
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DatasetError(`Image folder '${root}' does not exist.`);
    if (code === 'ENOTDIR') throw new DatasetError(`'${root}' is a file, not an image folder.`);
    throw new DatasetError(`Cannot read image folder '${root}' (${(error as Error).message}).`);
  }
  entries = entries.filter((e) => !isIgnored(e.name));
  if (entries.length === 0) throw new DatasetError(`Image folder '${root}' is empty; put one subfolder of images per class in it.`);
  const found = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort(byName);
  if (found.length === 0) {
    throw new DatasetError(`Image folder '${root}' has no class subfolders; put each class's images in a subfolder named after the class.`);
  }
  const classes = fixedClasses ? [...fixedClasses] : found;
  const unknown = found.find((name) => !classes.includes(name));
  if (unknown !== undefined) throw new DatasetError(`Class folder '${path.join(root, unknown)}' is not one of the classes ${JSON.stringify(classes)}.`);
  if (classes.length > 256) throw new DatasetError(`Image folder '${root}' has ${classes.length} classes; at most 256 are supported.`);

  const files: string[] = [];
  const labels: number[] = [];
  for (const [label, name] of classes.entries()) {
    if (!found.includes(name)) continue;
    const dir = path.join(root, name);
    const images = (await fs.readdir(dir, { withFileTypes: true })).filter((e) => !isIgnored(e.name)).sort((a, b) => byName(a.name, b.name));
    for (const entry of images) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) throw new DatasetError(`Class folder '${dir}' contains the folder '${entry.name}'; images must sit directly in their class folder.`);
      checkExtension(file);
      files.push(file);
      labels.push(label);
    }
    if (images.length === 0) throw new DatasetError(`Class folder '${dir}' has no images.`);
  }
  return { classes, files, labels: Uint8Array.from(labels) };
}

function checkExtension(file: string): void {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.png' && !JPEG_EXTENSIONS.has(ext)) {
    throw new DatasetError(`Unsupported image format '${ext || '(no extension)'}' for '${file}'; Joule reads PNG and JPEG images.`);
  }
}

interface TargetShape {
  channels: ModelChannels;
  height: number;
  width: number;
}

/** Decodes one file and writes it, converted and resized, as planar bytes at `out[offset]`. */
function decodeInto(file: string, bytes: Uint8Array, shape: TargetShape, out: Uint8Array, offset: number): void {
  const image = decodeImage(bytes, file);
  const pixels = convertChannels(image.data, image.channels, shape.channels, image.width * image.height);
  resizeToPlanar(pixels, image.height, image.width, shape.channels, out, offset, shape.height, shape.width);
}

function readImageFile(file: string): Uint8Array {
  try {
    return readRegularFileSync(file, 'image');
  } catch (error) {
    throw new DatasetError(`Cannot read image '${file}' (${error instanceof UnreadableFileError ? error.why : (error as Error).message}).`);
  }
}

/** Every image under `folder` (subfolders included), sorted by path, for training without labels. */
export async function scanUnlabeledFolder(folder: string): Promise<FolderScan> {
  const root = path.resolve(folder);
  const files: string[] = [];
  const walk = async (dir: string) => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new DatasetError(`Image folder '${dir}' does not exist.`);
      throw new DatasetError(`Cannot read image folder '${dir}' (${(error as Error).message}).`);
    }
    for (const entry of entries.filter((e) => !isIgnored(e.name)).sort((a, b) => byName(a.name, b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else {
        checkExtension(full);
        files.push(full);
      }
    }
  };
  await walk(root);
  if (!files.length) throw new DatasetError(`Image folder '${root}' has no PNG or JPEG images.`);
  return { classes: ['unlabeled'], files, labels: new Uint8Array(files.length) };
}

/**
 * Loads an image folder as a dataset: one subfolder per class, or, with `unlabeled`, every
 * image under the folder with label 0 (for distillation, where labels are not used).
 *
 * @example const ds = await loadImageFolder('/data/flowers', { channels: 3, height: 64, width: 64 });
 */
export async function loadImageFolder(folder: string, options: ImageFolderOptions & { unlabeled?: boolean } = {}): Promise<Dataset> {
  const progress = options.progress ?? silentProgress;
  const scan = options.unlabeled ? await scanUnlabeledFolder(folder) : await scanImageFolder(folder, options.classes);
  const shape = targetShape(folder, scan.files[0], options);
  const sampleBytes = shape.channels * shape.height * shape.width;
  const size = scan.files.length;
  const mode = options.mode ?? 'auto';
  const lazy = mode === 'lazy' || (mode === 'auto' && size * sampleBytes > LAZY_THRESHOLD);
  const base = { name: options.name ?? path.basename(path.resolve(folder)), size, ...shape, classes: scan.classes, labels: scan.labels };
  if (lazy) {
    const loader: ImageLoader = { kind: 'loader', read: (index, out, offset) => decodeInto(scan.files[index], readImageFile(scan.files[index]), shape, out, offset) };
    return { ...base, images: loader };
  }
  const images = new Uint8Array(size * sampleBytes);
  const step = Math.max(1, Math.floor(size / 100));
  for (let i = 0; i < size; i++) {
    if (i % step === 0) {
      progress.report(i / size, `Decoding images: ${i} of ${size}.`);
      progress.checkpoint();
    }
    let bytes: Uint8Array;
    try {
      bytes = await readRegularFile(scan.files[i], 'image');
    } catch (error) {
      throw new DatasetError(`Cannot read image '${scan.files[i]}' (${error instanceof UnreadableFileError ? error.why : (error as Error).message}).`);
    }
    decodeInto(scan.files[i], bytes, shape, images, i * sampleBytes);
  }
  progress.report(1, `Decoded ${size} images from '${path.resolve(folder)}'.`);
  return { ...base, images };
}

/** The requested input shape, completed from the first image where not given. */
function targetShape(folder: string, first: string, options: ImageFolderOptions): TargetShape {
  const subject = `image folder '${path.resolve(folder)}'`;
  let height = checkSide(options.height, 'Height', subject);
  let width = checkSide(options.width, 'Width', subject);
  let channels = options.channels === undefined ? undefined : checkModelChannels(options.channels, subject);
  if (height === undefined || width === undefined || channels === undefined) {
    const bytes = readImageFile(first);
    const image = decodeImage(bytes, first);
    height ??= image.height;
    width ??= image.width;
    channels ??= image.channels <= 2 ? 1 : 3;
  }
  return { channels, height, width };
}
