/** Folders of the Electron host, packaged or run from the sources. */
import { app } from 'electron';
import path from 'node:path';

export function electronResourcesDir(): string {
  return app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(app.getAppPath(), 'resources');
}

/**
 * The folder of the main bundle, where the worker bundles are. Worker threads cannot load
 * modules from inside an asar archive, so the build unpacks `out/main/**` (see
 * build/electron-builder.yml) and the workers are loaded from there.
 */
export function electronBundleDir(mainDir: string): string {
  return mainDir.replace(`${path.sep}app.asar${path.sep}`, `${path.sep}app.asar.unpacked${path.sep}`);
}
