/** Folders of the Electron host, packaged or run from the sources. */
import { app } from 'electron';
import path from 'node:path';

export function electronResourcesDir(): string {
  return app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(app.getAppPath(), 'resources');
}
