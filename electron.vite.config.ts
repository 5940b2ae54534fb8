/**
 * electron-vite builds the three Electron bundles: main (+ each worker thread as an entry of its
 * own, so workers load compiled files), the sandboxed preload (CommonJS: sandboxed preloads cannot
 * be ES modules) and the renderer (shared with the browser host, see src-renderer/vite.config.ts).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { workerEntries } from './src-main/core/workers/entries.ts';
import rendererConfig from './src-renderer/vite.config.ts';

/**
 * Writes out/main/package.json with `"type": "module"`. The worker bundles run from
 * app.asar.unpacked/out/main, where the app's own package.json (inside app.asar) is not the
 * nearest one: without this file Node would have to guess the module format of every worker.
 */
const declareModuleType = {
  name: 'joule:declare-module-type',
  generateBundle(this: { emitFile(file: { type: 'asset'; fileName: string; source: string }): string }) {
    this.emitFile({ type: 'asset', fileName: 'package.json', source: `${JSON.stringify({ type: 'module' })}\n` });
  },
};

export default defineConfig({
  main: {
    plugins: [declareModuleType],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // One entry per worker, from the list the worker start-up reads (src-main/core/workers/entries.ts).
        input: {
          index: resolve('src-main/app/main.ts'),
          ...Object.fromEntries(Object.entries(workerEntries).map(([name, entry]) => [name, resolve(entry.source)])),
        },
        // Chunks beside the entries: worker bundles are found relative to whichever file starts them.
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
        external: ['onnxruntime-node', 'highs'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('src-main/app/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    root: resolve('src-renderer'),
    build: { ...rendererConfig.build, rollupOptions: { input: resolve('src-renderer/index.html') } },
  },
});
