/**
 * Content-addressed files in Redis: a model, a device profile or an image travels once by its
 * sha256, whoever submits it and however many jobs of a sweep read it. Every read checks the hash.
 * Nothing is deleted explicitly (another submitter may share a blob): an input expires an hour
 * after the last submitter following a job that needs it renewed it, a job's output a day after it
 * was written (`JOULE_BLOB_TTL_S`), as long as BullMQ keeps the finished job for reuse.
 */
import type { Redis } from 'ioredis';
import { sha256Hex } from '../../core/io/hash';
import { JouleError } from '../../common/errors';
import { blobKey } from './names';

/** The longest file that travels through Redis (a string holds at most 512 MB). */
export const MAX_BLOB_BYTES = 512 * 1024 * 1024;
const DEFAULT_TTL_S = 24 * 3600;
/** How long an input outlives the last renewal by a submitter following its job. */
export const INPUT_TTL_S = 3600;

const EXTEND_TTL = "local t = redis.call('TTL', KEYS[1]) if t >= 0 and t < tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return t";

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** A blob whose bytes do not hash to its name: the worker refuses the job. */
export class BlobHashError extends JouleError {
  override name = 'BlobHashError';
}

/** How long outputs (and the finished jobs that name them) are kept for a resubmission to reuse. */
export function blobTtlS(): number {
  const raw = Number(process.env.JOULE_BLOB_TTL_S);
  return Number.isInteger(raw) && raw > 0 ? raw : DEFAULT_TTL_S;
}

export class BlobStore {
  constructor(private readonly redis: Redis) {}

  /** Stores the bytes for `ttlS` (once: an existing blob only has its expiry pushed back); returns their sha256. */
  async put(bytes: Uint8Array, what: string, ttlS: number): Promise<string> {
    if (bytes.byteLength > MAX_BLOB_BYTES) throw new JouleError(`${what} is ${Math.round(bytes.byteLength / 2 ** 20)} MB, more than the ${MAX_BLOB_BYTES / 2 ** 20} MB a file may have to travel through the job queue.`);
    const sha = sha256Hex(bytes);
    const created = await this.redis.set(blobKey(sha), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'EX', ttlS, 'NX');
    if (created === null) await this.renew([sha], ttlS);
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

  /** Pushes the expiry of blobs back to at least `ttlS` from now (never shortens it). */
  async renew(shas: Iterable<string>, ttlS: number): Promise<void> {
    const keys = [...new Set(shas)].map(blobKey);
    if (keys.length === 0) return;
    // EXPIRE ... GT needs Redis 7; this works from Redis 5, as BullMQ does.
    const multi = this.redis.multi();
    for (const key of keys) multi.eval(EXTEND_TTL, 1, key, ttlS);
    await multi.exec();
  }

  /** Whether every blob is still stored. */
  async has(shas: readonly string[]): Promise<boolean> {
    if (shas.length === 0) return true;
    return (await this.redis.exists(...shas.map(blobKey))) === new Set(shas).size;
  }
}
