/**
 * Crash-safe file replacement: the data goes to a temporary file in the same folder, is flushed
 * to disk, and only then renamed over the target, an atomic step on POSIX and NTFS. A crash at any
 * moment leaves either the old file or the new one, never a truncated mix. The previous version
 * is kept as `<file>.bak`.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, promises as fs, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

const TEMP_MARK = '.joule-tmp-';

export interface AtomicWriteOptions {
  /** Keep the replaced file as `<file>.bak` (default true). */
  backup?: boolean;
}

export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(target);
  const base = path.basename(target);
  await removeStaleTemps(dir, base);
  const temp = tempPathFor(target);
  const handle = await fs.open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (options.backup !== false) await copyIfExists(target, `${target}.bak`);
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/**
 * The same without the backup, for code that cannot await (ONNX files written by a synchronous
 * encoder); `chunks` are written in order, so a large model never needs one contiguous buffer.
 */
export function writeFileAtomicSync(target: string, chunks: readonly Uint8Array[]): void {
  const temp = tempPathFor(target);
  const fd = openSync(temp, 'wx', 0o644);
  try {
    for (const c of chunks) {
      let done = 0;
      while (done < c.byteLength) done += writeSync(fd, c, done, c.byteLength - done);
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, target);
}

/** A hidden temporary file beside `target`, unique to this process and call. */
function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);
}

async function copyIfExists(from: string, to: string): Promise<void> {
  try {
    await fs.copyFile(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Temp files left by a save that crashed before its rename. */
async function removeStaleTemps(dir: string, base: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  const prefix = `.${base}${TEMP_MARK}`;
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => fs.rm(path.join(dir, n), { force: true })));
}

/** Makes the rename itself durable; a no-op where directories cannot be opened (Windows). */
async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported on this platform; the rename is still atomic.
  } finally {
    await handle?.close();
  }
}
