/** Folder listing for the window's own file browser (the browser host has no native dialogs). */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DirectoryEntry, DirectoryListing } from '../common/api/host';
import { AccessDeniedError, InvalidRequestError, NotFoundError } from '../common/errors';
import { describeValue } from '../common/validation';
import { requireString } from './arguments';
import { fullAccess, type FileAccess } from './file-access';

/**
 * The entries of one folder. Under a confined `access` the folder must be readable, entries
 * that lead outside (symlinks pointing out) are left out, and the listing's parent stops at
 * the workspace root.
 */
export async function listDirectory(dirPath: string, extensions: string[], access: FileAccess = fullAccess): Promise<DirectoryListing> {
  const dir = await access.readable(requireString(dirPath, 'path'), 'path');
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new NotFoundError(`Cannot list ${dir}: ${code === 'ENOENT' ? 'the folder does not exist' : code === 'ENOTDIR' ? 'it is not a folder' : (error as Error).message}.`);
  }
  const wanted = (Array.isArray(extensions) ? extensions : []).map((e, i) => {
    // String() of a list nested thousands deep overflows the stack: extensions are text or refused.
    if (typeof e !== 'string') throw new InvalidRequestError(`extensions[${i}]: expected text such as ".joule", got ${describeValue(e)}.`);
    return e.toLowerCase().replace(/^\.?/, '.');
  });
  const confined = access.root !== null;
  const entries: DirectoryEntry[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (confined && !(await access.readable(full, 'path').then(() => true, () => false))) continue;
    const stat = await fs.stat(full).catch(() => null);
    if (!stat) continue;
    const kind = stat.isDirectory() ? 'directory' : 'file';
    if (kind === 'file' && wanted.length && !wanted.includes(path.extname(name).toLowerCase())) continue;
    entries.push({ name, path: full, kind, sizeBytes: stat.size, modifiedAt: stat.mtimeMs });
  }
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'directory' ? -1 : 1));
  let parent: string | null = path.dirname(dir);
  if (parent === dir) parent = null;
  else if (confined) {
    try {
      await access.readable(parent, 'path');
    } catch (error) {
      if (!(error instanceof AccessDeniedError)) throw error;
      parent = null;
    }
  }
  return { path: dir, parent, entries };
}
