/**
 * Content-addressed files in Redis: a model, a device profile or an image travels once by its
 * sha256, whoever submits it and however many jobs of a sweep read it. Every read checks the hash;
 * every blob expires (`JOULE_BLOB_TTL_S`, default one day) and the submitter drops the inputs of
 * its jobs once they are finished, so large files sit in Redis no longer than they are needed.
 */
import type { Redis } from 'ioredis';
import { sha256Hex } from '../../core/io/hash';
import { JouleError } from '../../common/errors';
import { blobKey } from './names';

/** The longest file that travels through Redis (a string holds at most 512 MB). */
export const MAX_BLOB_BYTES = 512 * 1024 * 1024;
const DEFAULT_TTL_S = 24 * 3600;

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** A blob whose bytes do not hash to its name: the worker refuses the job. */
export class BlobHashError extends JouleError {
  override name = 'BlobHashError';
}

export function blobTtlS(): number {
  const raw = Number(process.env.JOULE_BLOB_TTL_S);
  return Number.isInteger(raw) && raw > 0 ? raw : DEFAULT_TTL_S;
}

export class BlobStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlS = blobTtlS(),
  ) {}

  /** Stores the bytes (once: an existing blob only has its expiry renewed); returns their sha256. */
  async put(bytes: Uint8Array, what: string): Promise<string> {
    if (bytes.byteLength > MAX_BLOB_BYTES) throw new JouleError(`${what} is ${Math.round(bytes.byteLength / 2 ** 20)} MB, more than the ${MAX_BLOB_BYTES / 2 ** 20} MB a file may have to travel through the job queue.`);
    const sha = sha256Hex(bytes);
    const created = await this.redis.set(blobKey(sha), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'EX', this.ttlS, 'NX');
    if (created === null) await this.redis.expire(blobKey(sha), this.ttlS);
    return sha;
  }

  /** The bytes of a blob, checked against its hash. */
  async get(sha: string, what: string): Promise<Buffer> {
    if (!SHA256_PATTERN.test(sha)) throw new BlobHashError(`${what}: ${JSON.stringify(sha)} is not a sha256.`);
    const bytes = await this.redis.getBuffer(blobKey(sha));
    if (bytes === null) throw new JouleError(`${what} (sha256 ${sha.slice(0, 12)}…) is no longer in the job queue's store: it expired or was dropped. Submit the job again.`);
    if (sha256Hex(bytes) !== sha) throw new BlobHashError(`${what} failed its sha256 check (expected ${sha.slice(0, 12)}…): Joule refused it.`);
    return bytes;
  }

  async drop(shas: Iterable<string>): Promise<void> {
    const keys = [...new Set(shas)].map(blobKey);
    if (keys.length) await this.redis.del(...keys);
  }
}
