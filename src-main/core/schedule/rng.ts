/**
 * Seeded pseudo-random numbers for the solvers: every run with the same seed draws the same
 * sequence, on every platform (no Math.random anywhere in core/schedule).
 *
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
