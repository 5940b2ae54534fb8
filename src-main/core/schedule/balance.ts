/**
 * Exact change of the imbalance term in O(log m) per move instead of O(m): utilizations of the
 * balanced nodes are sorted once per search step with prefix sums, so that the sum of absolute
 * deviations from any point x is two binary-searched prefix sums:
 *   sum |u_i - x| = x c - S_below + (S - S_below) - x (M - c),  c = #{u_i < x}.
 * A move changes two utilizations and the mean; the two changed terms are corrected by hand.
 *
 * @example
 * index.rebuild(state);                                   // once per step, O(m log m)
 * const after = index.madIf(state.util, a, -0.1, b, 0.2); // any number of moves, O(log m) each
 */
import type { CompiledProblem } from './compiled';
import type { PlacementState } from './state';

export class BalanceIndex {
  /** Mean absolute deviation of the state last rebuilt from. */
  mad = 0;
  private readonly sorted: Float64Array;
  private readonly prefix: Float64Array;
  private readonly M: number;
  private total = 0;
  private mean = 0;

  constructor(private readonly cp: CompiledProblem) {
    this.M = cp.balanceCount;
    this.sorted = new Float64Array(this.M);
    this.prefix = new Float64Array(this.M + 1);
  }

  rebuild(s: PlacementState): void {
    const { cp, sorted, prefix, M } = this;
    if (M === 0) return;
    let c = 0;
    for (let i = 0; i < cp.m; i++) if (cp.balanceNode[i]) sorted[c++] = s.util[i];
    sorted.sort();
    for (let k = 0; k < M; k++) prefix[k + 1] = prefix[k] + sorted[k];
    this.total = prefix[M];
    this.mean = this.total / M;
    this.mad = this.sumAbsDev(this.mean) / M;
  }

  /** Sum over balanced nodes of |u_i - x| for the rebuilt utilizations. */
  private sumAbsDev(x: number): number {
    const { sorted, prefix, M } = this;
    let lo = 0;
    let hi = M;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    const below = prefix[lo];
    return x * lo - below + (this.total - below) - x * (M - lo);
  }

  /** MAD after node a's utilization changes by da and node b's by db (b = -1: none; a may equal b). */
  madIf(util: Float64Array, a: number, da: number, b: number, db: number): number {
    const { cp, M } = this;
    if (M === 0) return 0;
    const ba = cp.balanceNode[a] === 1;
    const bb = b >= 0 && cp.balanceNode[b] === 1;
    const x = this.mean + ((ba ? da : 0) + (bb ? db : 0)) / M;
    let sum = this.sumAbsDev(x);
    if (b === a) {
      if (ba) sum += Math.abs(util[a] + da + db - x) - Math.abs(util[a] - x);
    } else {
      if (ba) sum += Math.abs(util[a] + da - x) - Math.abs(util[a] - x);
      if (bb) sum += Math.abs(util[b] + db - x) - Math.abs(util[b] - x);
    }
    return Math.max(0, sum / M);
  }
}
