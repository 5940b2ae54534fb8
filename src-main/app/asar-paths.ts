/**
 * Paths inside a packaged app, as pure functions (no Electron import) so the packaging tests can
 * compute exactly what the app computes. electron-builder puts the app in `resources/app.asar`
 * and every file matched by `asarUnpack` (build/electron-builder.yml) in
 * `resources/app.asar.unpacked` at the same relative path.
 */
import path from 'node:path';

/**
 * The folder of the main bundle, where the worker bundles are. Worker threads load their files
 * with Node's own loader, outside Electron's asar support, so the build unpacks `out/main/**`
 * and the workers are loaded from there:
 *
 *   electronBundleDir('/opt/Joule/resources/app.asar/out/main') === '/opt/Joule/resources/app.asar.unpacked/out/main'
 *
 * Only a whole path segment named `app.asar` is replaced (`app.asar-old/` is left alone).
 */
export function electronBundleDir(mainDir: string, sep: string = path.sep): string {
  const segment = `${sep}app.asar${sep}`;
  if (mainDir.endsWith(`${sep}app.asar`)) return `${mainDir}.unpacked`;
  const at = mainDir.lastIndexOf(segment);
  if (at < 0) return mainDir;
  return `${mainDir.slice(0, at)}${sep}app.asar.unpacked${sep}${mainDir.slice(at + segment.length)}`;
}
