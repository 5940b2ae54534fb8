// Lint, including the runtime layering of docs/architecture.md: common is pure TypeScript, core
// never sees Electron or the API contract, the hosts (Electron, browser, CLI) reach Joule only
// through the services, only src-main/app imports electron, and the window reaches nothing but
// src-main/common. Import cycles and barrels are checked by scripts/import-graph.ts.
import js from '@eslint/js';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/promises', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'url'];
const layer = (message, groups) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', '.scratch/**', '**/*.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/multi-word-component-names': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/html-indent': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['src-renderer/**/*.{ts,vue}'],
    ignores: ['src-renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: layer('The window imports only its own code and src-main/common; reach the rest through the API object.', [
      ...nodeBuiltins,
      'electron',
      'onnxruntime-node',
      '**/src-main/core/**',
      '**/src-main/services/**',
      '**/src-main/jobs/**',
      '**/src-main/host/**',
      '**/src-main/app/**',
    ]),
  },
  {
    files: ['src-main/common/**/*.ts'],
    rules: layer('src-main/common is pure TypeScript shared by every runtime: no Node, no Electron, no other layer.', [
      ...nodeBuiltins,
      'electron',
      'onnxruntime-node',
      '**/core/**',
      '**/services/**',
      '**/jobs/**',
      '**/host/**',
      '**/app/**',
    ]),
  },
  {
    files: ['src-main/core/**/*.ts'],
    rules: layer('src-main/core is plain Node on domain values: it never imports Electron, the API contract (common/api), the services, the jobs or a host.', [
      'electron',
      '**/common/api',
      '**/common/api/**',
      '**/services/**',
      '**/jobs/**',
      '**/host/**',
      '**/app/**',
    ]),
  },
  {
    files: ['src-main/services/**/*.ts'],
    rules: layer('Only src-main/app imports Electron; the services start jobs through the pool, never a task directly.', ['electron', '**/app/**', '**/jobs/tasks/**']),
  },
  {
    files: ['src-main/jobs/**/*.ts'],
    rules: layer('Job tasks import core and common; only src-main/app imports Electron, and no job reaches the services or a host.', ['electron', '**/app/**', '**/services/**', '**/host/**']),
  },
  {
    files: ['src-main/host/**/*.ts'],
    rules: layer('A host (the browser host, the CLI) reaches Joule only through the services of the API contract, as the window does: never core, the jobs or Electron.', [
      'electron',
      '**/app/**',
      '**/core/**',
      '**/jobs/**',
    ]),
  },
);
