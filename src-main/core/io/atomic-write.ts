/**
 * Crash-safe and race-safe file replacement, the one writer of projects, their `.bak`, checkpoints,
 * exports and the application's own state files.
 *
 * - The data goes to a temporary file in the same folder (a name unique to this process and call),
 *   is flushed to disk, and only then renamed over the target, an atomic step on POSIX and NTFS: a
 *   crash at any moment leaves the old file or the new one, never a truncated mix.
 * - The previous version is kept as `<file>.bak`, itself replaced atomically: a hard link to the
 *   old file (or, where links are not supported, a flushed copy) renamed over the old `.bak`.
 * - Writes of the same file by this process are serialised, so two saves at once both succeed and
 *   the later one wins.
 * - Temp files of a crashed save are removed only when they are clearly stale: their process is
 *   gone, or they are older than an hour. Another process's save in progress is never touched.
 * - Once the rename has happened the write is reported as done, whatever comes after.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, promises as fs, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

const TEMP_MARK = '.joule-tmp-';
/** A temp file older than this is stale whoever wrote it (a process on another machine, a reused pid). */
const STALE_AFTER_MS = 60 * 60 * 1000;

export interface AtomicWriteOptions {
  /** Keep the replaced file as `<file>.bak` (default true). */
  backup?: boolean;
  /** Permission bits of the new file (default 0o644); 0o600 for a file holding a secret. */
  mode?: number;
}

/** The tail of the write in progress for each absolute target path. */
const inProgress = new Map<string, Promise<unknown>>();

export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const key = path.resolve(target);
  const previous = inProgress.get(key) ?? Promise.resolve();
  const mine = previous.catch(() => {}).then(() => replace(key, data, options));
  inProgress.set(key, mine);
  try {
    await mine;
  } finally {
    if (inProgress.get(key) === mine) inProgress.delete(key);
  }
}

async function replace(target: string, data: string | Uint8Array, options: AtomicWriteOptions): Promise<void> {
  const dir = path.dirname(target);
  await removeStaleTemps(dir, path.basename(target));
  const temp = tempPathFor(target);
  await writeFlushed(temp, data, options.mode);
  try {
    if (options.backup !== false) await backUp(target);
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/** Writes `data` to a new file and flushes it; the file is removed when anything fails. */
async function writeFlushed(file: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const handle = await fs.open(file, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(file, { force: true });
    throw error;
  }
  await handle.close();
}

/** Makes `<target>.bak` the current `target` in one atomic step; nothing to do when there is no target yet. */
async function backUp(target: string): Promise<void> {
  const temp = tempPathFor(`${target}.bak`);
  try {
    await fs.link(target, temp);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    // File systems without hard links (FAT, some network shares): a flushed copy instead.
    await writeFlushed(temp, await fs.readFile(target));
  }
  try {
    await fs.rename(temp, `${target}.bak`);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/**
 * The same without the backup or the serialisation, for code that cannot await (ONNX files
 * written by a synchronous encoder); `chunks` are written in order, so a large model never needs
 * one contiguous buffer.
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

/** A hidden temporary file beside `target`, unique to this process and call: `.<name>.joule-tmp-<pid>-<random>`. */
export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Removes the temps of `base` (and of its `.bak`) that a crashed write left; see the module comment. */
async function removeStaleTemps(dir: string, base: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  const prefixes = [`.${base}${TEMP_MARK}`, `.${base}.bak${TEMP_MARK}`];
  const now = Date.now();
  await Promise.all(
    names.map(async (name) => {
      const prefix = prefixes.find((p) => name.startsWith(p));
      if (!prefix) return;
      const pid = Number(name.slice(prefix.length).split('-')[0]);
      const file = path.join(dir, name);
      const stat = await fs.stat(file).catch(() => null);
      if (!stat) return;
      if (now - stat.mtimeMs > STALE_AFTER_MS || (pid !== process.pid && !processAlive(pid))) await fs.rm(file, { force: true });
    }),
  );
}

/** Whether a process with this id runs on this machine (a malformed id counts as gone). */
function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
