/**
 * Starting Joule's worker threads, from the sources or from a build, in one place.
 *
 * - Built (Electron): every worker is its own bundle entry, `<name>.js`, in the folder of the
 *   main bundle. Code that starts a worker may itself sit in a lazily loaded chunk in another
 *   folder, so the folder comes from JOULE_BUNDLE_DIR, which the Electron host sets at start-up
 *   (worker threads share process.env), with this module's own folder as the fallback.
 * - From the sources (CLI, tests, benches): the `.ts` entry is booted through tsx (`boot.mjs`).
 *   A worker that imports no native module or package file can instead be bundled once per
 *   process with esbuild (tsx's own dependency) into a data: URL, which starts in about 0.2 s
 *   rather than over a second.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

import { workerEntries, type WorkerName } from './entries';

const fromSource = import.meta.url.endsWith('.ts');

/** Where the worker module is: the `.ts` source, or the built `<name>.js`. */
export function workerModuleUrl(name: WorkerName): URL {
  // This file is src-main/core/workers/start.ts: the repository root is three folders up.
  if (fromSource) return new URL(`../../../${workerEntries[name].source}`, import.meta.url);
  const dir = process.env.JOULE_BUNDLE_DIR ?? path.dirname(fileURLToPath(import.meta.url));
  return pathToFileURL(path.join(dir, `${name}.js`));
}

/** Starts the worker module at `url`; a `.ts` module boots through tsx. */
export function startWorkerAt(url: URL, workerData: Record<string, unknown>): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData });
  return new Worker(new URL('./boot.mjs', import.meta.url), { workerData: { ...workerData, entry: url.href } });
}

interface EsbuildLike {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}

const inlined = new Map<WorkerName, Promise<string | null>>();

/** The worker and its imports as one ES module, or null when esbuild is not available. */
function inline(name: WorkerName): Promise<string | null> {
  let pending = inlined.get(name);
  if (!pending) {
    pending = (async () => {
      try {
        const specifier = 'esbuild';
        const esbuild = (await import(specifier)) as EsbuildLike;
        const result = await esbuild.build({
          entryPoints: [fileURLToPath(workerModuleUrl(name))],
          bundle: true,
          platform: 'node',
          format: 'esm',
          target: 'node20',
          write: false,
          logLevel: 'silent',
        });
        return result.outputFiles[0].text;
      } catch {
        return null;
      }
    })();
    inlined.set(name, pending);
  }
  return pending;
}

/** Starts a named worker, inlined through esbuild when running from the sources and allowed. */
export async function startWorker(name: WorkerName, workerData: Record<string, unknown>): Promise<Worker> {
  if (fromSource && workerEntries[name].inline) {
    const code = await inline(name);
    if (code) return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData });
  }
  return startWorkerAt(workerModuleUrl(name), workerData);
}
