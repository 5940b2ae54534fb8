import jpeg from 'jpeg-js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readImage } from '../../../../src-main/core/train/data/dataset';
import { DatasetError } from '../../../../src-main/core/train/data/errors';
import { loadImageFolder } from '../../../../src-main/core/train/data/image-folder';
import { loadDataset } from '../../../../src-main/core/train/data/load';
import { encodePng, pngFrom } from './png-encoder';

const root = mkdtempSync(path.join(tmpdir(), 'joule-images-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let folders = 0;
/** A fresh folder built from { 'class/file.png': bytes }. */
function makeFolder(files: Record<string, Uint8Array | string>): string {
  const dir = path.join(root, `f${folders++}`);
  mkdirSync(dir);
  for (const [name, bytes] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (name.endsWith('/')) {
      mkdirSync(file, { recursive: true });
      continue;
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, bytes);
  }
  return dir;
}

const red = pngFrom(4, 2, 2, () => [255, 0, 0]);
const greyRamp = pngFrom(2, 1, 0, (x) => [x * 255]);
const rgba = pngFrom(4, 2, 6, (x, y) => [10 * x, 20 * y, 30, 128]);

async function folderError(folder: string, options = {}): Promise<string> {
  try {
    await loadImageFolder(folder, options);
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return (e as Error).message;
  }
  throw new Error('expected a DatasetError');
}

function image(ds: Awaited<ReturnType<typeof loadImageFolder>>, i: number): number[] {
  const out = new Uint8Array(ds.channels * ds.height * ds.width);
  readImage(ds, i, out);
  return Array.from(out);
}

describe('image folders', () => {
  it('sorts classes by name (code units, as torchvision does) and files within each class', async () => {
    const dir = makeFolder({ 'cat/b.png': red, 'cat/a.png': rgba, 'Dog/x.png': red, 'bird/1.png': rgba, 'cat/.DS_Store': 'junk' });
    const ds = await loadImageFolder(dir, { channels: 3, height: 2, width: 4 });
    expect(ds.classes).toEqual(['Dog', 'bird', 'cat']);
    expect(Array.from(ds.labels)).toEqual([0, 1, 2, 2]);
    expect(ds).toMatchObject({ size: 4, channels: 3, height: 2, width: 4, name: path.basename(dir) });
    // cat/a.png (RGBA, alpha dropped) comes before cat/b.png (red).
    expect(image(ds, 2).slice(0, 8)).toEqual([0, 10, 20, 30, 0, 10, 20, 30]);
    expect(image(ds, 3)).toEqual([...new Array(8).fill(255), ...new Array(16).fill(0)]);
  });

  it('converts to the model channels and resizes bilinearly', async () => {
    const dir = makeFolder({ 'a/ramp.png': greyRamp, 'b/red.png': red });
    const ds = await loadImageFolder(dir, { channels: 1, height: 2, width: 4 });
    expect(image(ds, 0)).toEqual([0, 64, 191, 255, 0, 64, 191, 255]);
    expect(image(ds, 1)).toEqual(new Array(8).fill(76)); // BT.601 luma of pure red
    const rgb = await loadImageFolder(dir, { channels: 3, height: 1, width: 2 });
    expect(image(rgb, 0)).toEqual([0, 255, 0, 255, 0, 255]);
  });

  it('takes the first image size and colour when no shape is given', async () => {
    const dir = makeFolder({ 'a/ramp.png': greyRamp, 'b/red.png': red });
    const ds = await loadImageFolder(dir);
    expect(ds).toMatchObject({ channels: 1, height: 1, width: 2 });
    expect(image(ds, 1)).toEqual([76, 76]);
  });

  it('decodes on demand in lazy mode, to the same pixels', async () => {
    const dir = makeFolder({ 'a/1.png': rgba, 'a/2.png': red, 'b/3.png': greyRamp });
    const eager = await loadImageFolder(dir, { channels: 3, height: 3, width: 3, mode: 'eager' });
    const lazy = await loadImageFolder(dir, { channels: 3, height: 3, width: 3, mode: 'lazy' });
    expect(lazy.images).not.toBeInstanceOf(Uint8Array);
    for (let i = 0; i < 3; i++) expect(image(lazy, i)).toEqual(image(eager, i));
  });

  it('loads train and test subfolders with shared labels through loadDataset', async () => {
    const dir = makeFolder({ 'train/b/1.png': red, 'train/c/1.png': red, 'test/a/1.png': red, 'test/c/1.png': red });
    const train = await loadDataset({ folder: dir }, { split: 'train', channels: 3, height: 2, width: 2 });
    const test = await loadDataset({ folder: dir }, { split: 'test', channels: 3, height: 2, width: 2 });
    expect(train.classes).toEqual(['a', 'b', 'c']);
    expect(test.classes).toEqual(['a', 'b', 'c']);
    expect(Array.from(train.labels)).toEqual([1, 2]);
    expect(Array.from(test.labels)).toEqual([0, 2]);
    const flat = makeFolder({ 'a/1.png': red });
    await expect(loadDataset({ folder: flat }, { split: 'train' })).rejects.toThrow(
      `Image folder '${flat}' has no 'train' and 'test' subfolders, which split 'train' needs; put each class's images under train/CLASS and test/CLASS, or use all its images with split 'all' (--split all on the command line).`,
    );
    expect((await loadDataset({ folder: flat }, { split: 'all' })).size).toBe(1);
  });
});

describe('image folder errors name the folder or file', () => {
  it('missing, empty, file instead of folder, no class subfolders', async () => {
    const missing = path.join(root, 'nope');
    expect(await folderError(missing)).toBe(`Image folder '${missing}' does not exist.`);
    const empty = makeFolder({ '.hidden': 'x' });
    expect(await folderError(empty)).toBe(`Image folder '${empty}' is empty; put one subfolder of images per class in it.`);
    const flat = makeFolder({ 'a.png': red });
    expect(await folderError(flat)).toBe(`Image folder '${flat}' has no class subfolders; put each class's images in a subfolder named after the class.`);
    const file = path.join(flat, 'a.png');
    expect(await folderError(file)).toBe(`'${file}' is a file, not an image folder.`);
  });

  it('empty class folder, nested folder', async () => {
    const dir = makeFolder({ 'a/1.png': red, 'b/': '' });
    expect(await folderError(dir)).toBe(`Class folder '${path.join(dir, 'b')}' has no images.`);
    const nested = makeFolder({ 'a/deeper/1.png': red });
    expect(await folderError(nested)).toBe(`Class folder '${path.join(nested, 'a')}' contains the folder 'deeper'; images must sit directly in their class folder.`);
  });

  it('unsupported formats and broken JPEGs', async () => {
    const gif = makeFolder({ 'a/1.png': red, 'a/2.gif': 'GIF89a' });
    expect(await folderError(gif)).toBe(`Unsupported image format '.gif' for '${path.join(gif, 'a', '2.gif')}'; Joule reads PNG and JPEG images.`);
    const broken = makeFolder({ 'a/photo.JPG': Uint8Array.of(0xff, 0xd8, 0xff, 0xe0) });
    expect(await folderError(broken)).toMatch(new RegExp(`^JPEG image '${path.join(broken, 'a', 'photo.JPG')}' cannot be decoded: `));
  });

  it('reads JPEGs, also one saved with a .png name, beside PNGs', async () => {
    const pixels = new Uint8Array(4 * 4 * 4).fill(200);
    const photo = jpeg.encode({ width: 4, height: 4, data: pixels }, 95).data;
    const dir = makeFolder({ 'a/1.png': red, 'b/photo.jpg': photo, 'b/disguised.png': photo });
    const ds = await loadImageFolder(dir, { channels: 1, height: 2, width: 2 });
    expect(ds.size).toBe(3);
    const grey = image(ds, 1);
    for (const v of grey) expect(Math.abs(v - 200)).toBeLessThanOrEqual(3);
  });

  it('unreadable images, eagerly and lazily', async () => {
    const truncated = red.subarray(0, red.length - 20);
    const dir = makeFolder({ 'a/1.png': red, 'a/2.png': truncated, 'b/3.png': 'not an image' });
    const broken = path.join(dir, 'a', '2.png');
    expect(await folderError(dir, { channels: 3, height: 2, width: 2 })).toMatch(new RegExp(`^Cannot decode image '${broken}': the file is truncated`));
    const lazy = await loadImageFolder(dir, { channels: 3, height: 2, width: 2, mode: 'lazy' });
    expect(() => image(lazy, 2)).toThrow(`Cannot decode image '${path.join(dir, 'b', '3.png')}': it is not a PNG file.`);
    const interlaced = makeFolder({ 'a/1.png': encodePng({ width: 2, height: 2, colorType: 0, samples: [1, 2, 3, 4], interlace: true }) });
    expect(await folderError(interlaced)).toMatch(/interlaced \(Adam7\) PNGs are not supported/);
  });

  it('bad shape options', async () => {
    const dir = makeFolder({ 'a/1.png': red });
    expect(await folderError(dir, { channels: 4 })).toBe(`Channels 4 requested for image folder '${dir}' must be 1 (grey) or 3 (RGB).`);
    expect(await folderError(dir, { height: 0 })).toBe(`Height 0 requested for image folder '${dir}' must be an integer from 1 to 16384.`);
  });
});
