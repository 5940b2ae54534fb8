/**
 * Where the job worker's module is: beside this file in the sources (`worker.ts`, booted through
 * tsx), or beside the bundle in a build (`worker.js`, emitted by electron-vite as its own entry).
 */
export function defaultWorkerUrl(): URL {
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url);
}
