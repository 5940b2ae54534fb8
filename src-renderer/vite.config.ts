/**
 * Build of the window (Vue 3). Used on its own for the browser host (`npm run build:renderer`,
 * output in out/renderer) and by electron.vite.config.ts for the desktop app.
 */
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';
import { metaContentSecurityPolicy } from '../src-main/common/csp.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Writes the one Content-Security-Policy of src-main/common/csp.ts into index.html. */
const cspMeta: Plugin = {
  name: 'joule-csp',
  transformIndexHtml: (html) => html.replace('%JOULE_CSP%', metaContentSecurityPolicy),
};

export default defineConfig({
  root,
  base: './',
  plugins: [vue(), cspMeta],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    target: 'es2022',
  },
});
