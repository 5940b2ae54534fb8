/**
 * electron-vite builds the three Electron bundles: main (+ the job worker as a second entry, so
 * worker threads load a compiled file), the sandboxed preload (CommonJS: sandboxed preloads cannot
 * be ES modules) and the renderer (shared with the browser host, see src-renderer/vite.config.ts).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import rendererConfig from './src-renderer/vite.config.ts';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { index: resolve('src-main/app/main.ts'), worker: resolve('src-main/jobs/worker.ts') },
        output: { format: 'es', entryFileNames: '[name].js' },
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
