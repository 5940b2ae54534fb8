/**
 * Deterministic `.tar.gz` archives (POSIX ustar): entries in the order given, every file owned by
 * 0:0 with mode 0644 (0755 for folders) and time 0, so the same files always give the same bytes.
 */
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  /** Path inside the archive, forward slashes, at most 255 bytes. */
  path: string;
  data: Uint8Array;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(path: string, size: number, type: '0' | '5'): Uint8Array {
  const block = new Uint8Array(BLOCK);
  const enc = new TextEncoder();
  let name = path;
  let prefix = '';
  if (enc.encode(name).length > 100) {
    const cut = path.lastIndexOf('/', 155);
    if (cut <= 0 || enc.encode(path.slice(cut + 1)).length > 100) throw new Error(`Path too long for a tar archive: ${path}`);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  const put = (text: string, offset: number) => block.set(enc.encode(text), offset);
  put(name, 0);
  put(octal(type === '5' ? 0o755 : 0o644, 8), 100);
  put(octal(0, 8), 108);
  put(octal(0, 8), 116);
  put(octal(size, 12), 124);
  put(octal(0, 12), 136);
  put('        ', 148);
  put(type, 156);
  put('ustar\0', 257);
  put('00', 263);
  put(prefix, 345);
  let sum = 0;
  for (const b of block) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

/** The archive of `entries` (folders are added for every parent path), gzipped. */
export function tarGz(entries: readonly TarEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const folders = new Set<string>();
  for (const entry of entries) {
    const parts = entry.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = `${parts.slice(0, i).join('/')}/`;
      if (folders.has(folder)) continue;
      folders.add(folder);
      chunks.push(header(folder, 0, '5'));
    }
    chunks.push(header(entry.path, entry.data.length, '0'), entry.data);
    const pad = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
    if (pad) chunks.push(new Uint8Array(pad));
  }
  chunks.push(new Uint8Array(BLOCK * 2));
  const gz = gzipSync(Buffer.concat(chunks), { level: 9 });
  // The gzip header has no name and time 0; its OS byte depends on the platform zlib was built for, so fix it to Unix.
  gz[9] = 3;
  return gz;
}
