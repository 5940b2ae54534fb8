/** sha256 of a file, read in 1 MB chunks so a multi-gigabyte model keeps its job responsive. */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { Progress } from '../progress';

const CHUNK_BYTES = 1 << 20;

/** Checks for cancellation between chunks and reports every chunk's size through `onBytes`. */
export async function hashFile(filePath: string, progress: Progress, onBytes: (n: number) => void = () => {}): Promise<string> {
  const hash = createHash('sha256');
  const handle = await fs.open(filePath, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      progress.checkpoint();
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      onBytes(bytesRead);
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/** sha256 of bytes in memory, as hex. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
