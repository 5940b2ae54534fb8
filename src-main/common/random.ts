/**
 * Every seeded random number in Joule comes from here: the same seed draws the same sequence on
 * every platform and in every worker, and nothing in the product uses Math.random.
 *
 * - `Rng` (sfc32): the general-purpose generator (placement solvers, fleet generator, tests).
 * - `hashInts` and `CounterRng`: counter-based streams for data pipelines, where a sample's
 *   randomness must depend on (seed, epoch, index) and not on batch size or worker.
 * - `mulberry32`: the stream behind generated stand-in weights. Shipped models' recipes were
 *   trained from it, so it stays bit-for-bit as it is.
 */

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Chaotic generator, PractRand-tested), seeded through
 * splitmix32 so that nearby seeds give unrelated streams.
 *
 * @example
 * const rng = new Rng(42);
 * rng.next();      // float in [0, 1)
 * rng.int(10);     // integer in 0..9
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const split = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** Unsigned 32-bit integer. */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Integer in 0..n-1 (n >= 1). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Shuffles `a` in place (Fisher-Yates). */
  shuffle<T extends { length: number; [i: number]: number }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}

/** A seed for sub-stream `k` of `seed` (colony k, restart k) that does not overlap the parent's. */
export function deriveSeed(seed: number, k: number): number {
  let z = (seed ^ Math.imul(k + 1, 0x9e3779b1)) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x2c1b3c6d);
  z = Math.imul(z ^ (z >>> 12), 0x297a2d39);
  return (z ^ (z >>> 15)) >>> 0;
}

const GOLDEN = 0x9e3779b9;

/** Murmur3's 32-bit finaliser: every input bit flips about half the output bits. */
export function fmix32(h: number): number {
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

/** A small counter-based generator (a Weyl sequence through fmix32): fast and well mixed. */
export class CounterRng {
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
export function shuffleInPlace(values: Uint32Array, rng: CounterRng): Uint32Array {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
  return values;
}

/**
 * Tommy Ettinger's Mulberry32: floats in [0, 1). Small and fast; the stream of generated weights.
 *
 * @example const next = mulberry32(7); next(); // 0.0379...
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a: a name to a 32-bit seed. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
