/** Folders of the Electron host, packaged or run from the sources. */
import { app } from 'electron';
import path from 'node:path';

export function electronResourcesDir(): string {
  return app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(app.getAppPath(), 'resources');
}

/**
 * Worker threads cannot load modules from inside an asar archive, so the build unpacks
 * `out/main/**` (see build/electron-builder.yml) and the worker is loaded from there.
 */
export function electronWorkerUrl(bundledUrl: URL): URL {
  return new URL(bundledUrl.href.replace('/app.asar/', '/app.asar.unpacked/'));
}
