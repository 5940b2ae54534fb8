/** Folders the CLI and the browser host use (Electron asks `app.getPath` instead). */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file is `src-main/host/paths.ts`. */
export const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const resourcesDir = path.join(appRoot, 'resources');

/** Built renderer served by the browser host. */
export const rendererDir = path.join(appRoot, 'out', 'renderer');

/** JOULE_HOME, else the platform's per-user config folder. */
export function dataDir(): string {
  if (process.env.JOULE_HOME) return path.resolve(process.env.JOULE_HOME);
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Joule');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Joule');
    default:
      return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'joule');
  }
}

export function documentsDir(): string {
  const docs = path.join(os.homedir(), 'Documents');
  return existsSync(docs) ? docs : os.homedir();
}

export function appVersion(): string {
  return (JSON.parse(readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;
}
