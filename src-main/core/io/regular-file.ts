/**
 * The one way Joule opens a file it did not write itself: only a regular file, and only up to a
 * size limit for its kind. A FIFO would block the reading thread until someone writes to it (and
 * stall every file operation of the process once libuv's threads all wait), `/dev/zero` never
 * ends, and a 40 GB "project" would exhaust memory. The file is opened non-blocking and checked
 * with fstat on the open descriptor, so a file swapped between a check and the read cannot slip by.
 *
 * @example const bytes = await readRegularFile('/home/ana/harbour.joule', 'project');
 */
import { closeSync, constants, fstatSync, openSync, promises as fs, readSync, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { JouleError } from '../../common/errors';

const MB = 1024 * 1024;

/** What a file is read as; each kind has its own size limit. */
export type FileKind = 'project' | 'onnx' | 'csv' | 'image' | 'gap' | 'problem' | 'profile' | 'card' | 'checkpoint' | 'bundle';

/**
 * Generous limits, far above any real file of the kind, low enough that a wrong file fails fast:
 * the largest ONNX protobuf is 2 GB by the format's own limit; the sample project is 60 KB.
 */
export const FILE_SIZE_LIMITS: Readonly<Record<FileKind, number>> = {
  project: 64 * MB,
  onnx: 2048 * MB,
  csv: 16 * MB,
  image: 64 * MB,
  gap: 64 * MB,
  problem: 64 * MB,
  profile: 4 * MB,
  card: 4 * MB,
  checkpoint: 2048 * MB,
  bundle: 2048 * MB,
};

const kindNames: Record<FileKind, string> = {
  project: 'project files',
  onnx: 'ONNX models',
  csv: 'CSV files',
  image: 'images',
  gap: 'GAP files',
  problem: 'placement problem files',
  profile: 'device profiles',
  card: 'model cards',
  checkpoint: 'training checkpoints',
  bundle: 'bundle files',
};

/** Why a file was not read: `reason` for code, the message names the file and says why. */
export class UnreadableFileError extends JouleError {
  override name = 'UnreadableFileError';
  constructor(
    readonly file: string,
    readonly reason: 'missing' | 'directory' | 'not-regular' | 'too-large' | 'unreadable',
    /** The reason as a sentence fragment: `it is a named pipe, not a regular file`. */
    readonly why: string,
  ) {
    super(`Cannot read ${file}: ${why}.`);
  }
}

// Opening a FIFO for reading without O_NONBLOCK waits for a writer; with it, open returns at once.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function describeMB(bytes: number): string {
  return bytes >= 1024 * MB ? `${Math.round(bytes / 1024 / MB)} GB` : `${Math.round(bytes / MB)} MB`;
}

/** Throws UnreadableFileError unless `stat` is a regular file within the kind's limit. */
export function requireRegular(file: string, stat: Stats, kind: FileKind): void {
  if (stat.isDirectory()) throw new UnreadableFileError(file, 'directory', 'it is a folder, not a file');
  if (!stat.isFile()) {
    const what = stat.isFIFO() ? 'a named pipe' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : stat.isSocket() ? 'a socket' : 'not a regular file';
    throw new UnreadableFileError(file, 'not-regular', `it is ${what}, not a regular file`);
  }
  const limit = FILE_SIZE_LIMITS[kind];
  if (stat.size > limit) {
    throw new UnreadableFileError(file, 'too-large', `it has ${stat.size.toLocaleString('en-US')} bytes, above the ${describeMB(limit)} limit for ${kindNames[kind]}`);
  }
}

function openError(file: string, error: unknown): UnreadableFileError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new UnreadableFileError(file, 'missing', 'the file does not exist');
  if (code === 'EISDIR') return new UnreadableFileError(file, 'directory', 'it is a folder, not a file');
  if (code === 'EACCES' || code === 'EPERM') return new UnreadableFileError(file, 'unreadable', 'permission denied');
  return new UnreadableFileError(file, 'unreadable', code ? `the system refused (${code})` : 'the system refused');
}

/** Checks with stat that `file` is a regular file within its kind's limit (for readers that stream it). */
export async function checkRegularFile(file: string, kind: FileKind): Promise<Stats> {
  let stat: Stats;
  try {
    stat = await fs.stat(file);
  } catch (error) {
    throw openError(file, error);
  }
  requireRegular(file, stat, kind);
  return stat;
}

/** The bytes of a regular file of at most its kind's limit. */
export async function readRegularFile(file: string, kind: FileKind): Promise<Buffer> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, OPEN_FLAGS);
  } catch (error) {
    throw openError(file, error);
  }
  try {
    const stat = await handle.stat();
    requireRegular(file, stat, kind);
    const bytes = Buffer.allocUnsafe(stat.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw openError(file, error);
  } finally {
    await handle.close();
  }
}

/** `readRegularFile` for the synchronous readers (the ONNX reader in a worker). */
export function readRegularFileSync(file: string, kind: FileKind): Buffer {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (error) {
    throw openError(file, error);
  }
  try {
    const stat = fstatSync(fd);
    requireRegular(file, stat, kind);
    const bytes = Buffer.allocUnsafe(stat.size);
    let filled = 0;
    while (filled < bytes.length) {
      const bytesRead = readSync(fd, bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw openError(file, error);
  } finally {
    closeSync(fd);
  }
}

/** As text (UTF-8). */
export async function readRegularText(file: string, kind: FileKind): Promise<string> {
  return (await readRegularFile(file, kind)).toString('utf8');
}
