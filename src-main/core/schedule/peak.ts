/**
 * The balance term after a move in O(1) instead of O(m): the three busiest nodes are found once
 * per search step, so the largest utilization after a move that changes nodes a and b is the
 * larger of their new utilizations and the busiest node that is neither a nor b.
 *
 * @example
 * index.rebuild(state);                               // once per step, O(m)
 * const after = index.peakIf(a, 0.31, b, 0.12);       // any number of moves, O(1) each
 */
import type { PlacementState } from './state';

export class PeakIndex {
  /** The largest utilization of the state last rebuilt from. */
  peak = 0;
  private readonly topNode = new Int32Array(3);
  private readonly topUtil = new Float64Array(3);

  rebuild(s: PlacementState): void {
    const { topNode, topUtil } = this;
    topNode.fill(-1);
    topUtil.fill(0);
    const util = s.util;
    for (let i = 0; i < util.length; i++) {
      const u = util[i];
      if (u <= topUtil[2] && topNode[2] >= 0) continue;
      let k = 2;
      while (k > 0 && (topNode[k - 1] < 0 || u > topUtil[k - 1])) {
        topNode[k] = topNode[k - 1];
        topUtil[k] = topUtil[k - 1];
        k--;
      }
      topNode[k] = i;
      topUtil[k] = u;
    }
    this.peak = topUtil[0];
  }

  /** The largest utilization once node a's is `ua` and node b's is `ub` (b = -1 or b = a: only a changes). */
  peakIf(a: number, ua: number, b: number, ub: number): number {
    let p = ua;
    if (b >= 0 && b !== a && ub > p) p = ub;
    for (let k = 0; k < 3; k++) {
      const i = this.topNode[k];
      if (i < 0) break;
      if (i === a || i === b) continue;
      return this.topUtil[k] > p ? this.topUtil[k] : p;
    }
    return p;
  }
}
