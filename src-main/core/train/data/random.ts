/**
 * Deterministic randomness for data pipelines: the same seed gives the same shuffles and the
 * same augmentations on every machine and in every worker, so a training run can be replayed.
 * Math.random is never used here.
 */
import { DatasetError } from './errors';

const GOLDEN = 0x9e3779b9;

/** Murmur3's 32-bit finaliser: every input bit flips about half the output bits. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A 32-bit hash of a few integers, order-sensitive. Gives independent streams per
 * (seed, epoch, sample) without stepping a shared generator, so results do not depend on the
 * batch size or on which worker handles a sample.
 *
 * @example hashInts(seed, epoch, index) // the same value for the same three integers
 */
export function hashInts(...values: number[]): number {
  let h = 0x2545f491;
  for (const v of values) h = fmix32((h + GOLDEN) ^ fmix32((v >>> 0) + GOLDEN));
  return h;
}

/** Checks that a seed is an integer (any sign) and folds it to 32 bits. */
export function toSeed(seed: number): number {
  if (!Number.isSafeInteger(seed)) throw new DatasetError(`Seed ${seed} is not an integer.`);
  // Keep the high bits of large seeds from being silently dropped.
  return hashInts(seed >>> 0, Math.floor(seed / 0x1_0000_0000) >>> 0);
}

/** A small counter-based generator (a Weyl sequence through fmix32): fast and well mixed. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 2^32). */
  nextUint32(): number {
    this.state = (this.state + GOLDEN) >>> 0;
    return fmix32(this.state);
  }

  /** Uniform integer in [0, n) for n up to 2^32; the bias is below n / 2^32. */
  below(n: number): number {
    return Math.floor((this.nextUint32() / 0x1_0000_0000) * n);
  }
}

/** Fisher-Yates in place. */
export function shuffleInPlace(values: Uint32Array, rng: Rng): Uint32Array {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
  return values;
}

/**
 * 0..n-1 in an order fixed by `seed` (and `stream`, to draw unrelated orders from one seed).
 *
 * @example permutation(5, 42) // e.g. [3, 0, 4, 1, 2], always the same for seed 42
 */
export function permutation(n: number, seed: number, stream = 0): Uint32Array {
  const values = new Uint32Array(n);
  for (let i = 0; i < n; i++) values[i] = i;
  return shuffleInPlace(values, new Rng(hashInts(toSeed(seed), stream)));
}
