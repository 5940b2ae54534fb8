/**
 * Seeds and sample orders for data pipelines, on the counter-based streams of `common/random`:
 * the same seed gives the same shuffles and augmentations on every machine and in every worker,
 * so a training run can be replayed.
 */
import { CounterRng, hashInts, shuffleInPlace } from '../../../common/random';
import { DatasetError } from './errors';

/** Checks that a seed is an integer (any sign) and folds it to 32 bits. */
export function toSeed(seed: number): number {
  if (!Number.isSafeInteger(seed)) throw new DatasetError(`Seed ${seed} is not an integer.`);
  // Keep the high bits of large seeds from being silently dropped.
  return hashInts(seed >>> 0, Math.floor(seed / 0x1_0000_0000) >>> 0);
}

/**
 * 0..n-1 in an order fixed by `seed` (and `stream`, to draw unrelated orders from one seed).
 *
 * @example permutation(5, 42) // e.g. [3, 0, 4, 1, 2], always the same for seed 42
 */
export function permutation(n: number, seed: number, stream = 0): Uint32Array {
  const values = new Uint32Array(n);
  for (let i = 0; i < n; i++) values[i] = i;
  return shuffleInPlace(values, new CounterRng(hashInts(toSeed(seed), stream)));
}
