/**
 * Writes a bundle all at once or not at all: every file goes into a temporary folder beside the
 * target, which is renamed into place when complete. A file whose path would leave the bundle is
 * refused, and an existing folder is only replaced when it is empty.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { JouleError } from '../../common/errors';
import type { BundleFile } from './bundle';

export async function writeBundle(outDir: string, files: readonly BundleFile[]): Promise<void> {
  const target = path.resolve(outDir);
  const existing = await fs.readdir(target).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
  if (existing && existing.length) throw new JouleError(`The export folder ${target} is not empty; choose a new or an empty folder.`);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.joule-tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await fs.mkdir(temp);
  try {
    for (const file of files) {
      const full = path.resolve(temp, file.path);
      const inside = path.relative(temp, full);
      if (!inside || inside.startsWith('..') || path.isAbsolute(inside)) throw new JouleError(`The bundle file "${file.path}" would be written outside the export folder; nothing was written.`);
      await fs.mkdir(path.dirname(full), { recursive: true });
      await fs.writeFile(full, file.data);
    }
    if (existing) await fs.rmdir(target);
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { recursive: true, force: true });
    throw error;
  }
}
