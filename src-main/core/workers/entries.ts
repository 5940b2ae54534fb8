/**
 * Every worker thread Joule starts, by name: its source file (relative to the repository root)
 * and whether esbuild may inline it when running from the sources. The worker start-up
 * (`start.ts`) and the Electron build (`electron.vite.config.ts`, one bundle entry per worker)
 * both read this list. Plain data, no imports, so the build configuration can load it.
 */
export const workerEntries = {
  'job-worker': { source: 'src-main/jobs/worker.ts', inline: false },
  'aco-worker': { source: 'src-main/core/schedule/aco-worker.ts', inline: true },
  // Imports `highs`, whose WebAssembly file is found relative to the package: never inlined.
  'mip-worker': { source: 'src-main/core/schedule/mip-worker.ts', inline: false },
} as const;

export type WorkerName = keyof typeof workerEntries;
