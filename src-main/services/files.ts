/** Folder listing for the window's own file browser (the browser host has no native dialogs). */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DirectoryEntry, DirectoryListing } from '../common/api/host';
import { NotFoundError } from '../common/errors';
import { requireString } from './arguments';

export async function listDirectory(dirPath: string, extensions: string[]): Promise<DirectoryListing> {
  const dir = path.resolve(requireString(dirPath, 'path'));
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    throw new NotFoundError(`Cannot list ${dir}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the folder does not exist' : (error as Error).message}.`);
  }
  const wanted = extensions.map((e) => e.toLowerCase().replace(/^\.?/, '.'));
  const entries: DirectoryEntry[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const full = path.join(dir, name);
    const stat = await fs.stat(full).catch(() => null);
    if (!stat) continue;
    const kind = stat.isDirectory() ? 'directory' : 'file';
    if (kind === 'file' && wanted.length && !wanted.includes(path.extname(name).toLowerCase())) continue;
    entries.push({ name, path: full, kind, sizeBytes: stat.size, modifiedAt: stat.mtimeMs });
  }
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'directory' ? -1 : 1));
  const parent = path.dirname(dir);
  return { path: dir, parent: parent === dir ? null : parent, entries };
}
