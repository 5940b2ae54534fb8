/**
 * Path relinking for the improved ACO (Glover, Laguna & Marti 2000; on the generalized
 * assignment problem with ejection chains: Yagiura, Ibaraki & Glover, "A path relinking approach
 * with ejection chains for the generalized assignment problem", EJOR 169, 2006): good
 * assignments share much of their structure, so the region between two elite ones is a better
 * place to start a local search than a fresh ant. `relink` walks from one elite assignment
 * towards another, one workload at a time (each step the one whose move to its place in the
 * guide changes P least), and stops part of the way.
 *
 * @example
 * pool.offer(state);                                  // after each local search
 * if (pool.count >= 2) pool.relink(state, rng);       // state := a point between two elites
 */
import { costScales, type CompiledProblem } from './compiled';
import type { Rng } from '../../common/random';
import type { PlacementState } from './state';

export class ElitePool {
  /** Elite assignments kept (distinct, feasible). */
  count = 0;
  private readonly node: Int32Array;
  private readonly opt: Int32Array;
  private readonly f: Float64Array;
  private readonly diff: Int32Array;
  private readonly weight: number;
  private readonly eps: number;

  constructor(
    readonly cp: CompiledProblem,
    readonly size = 10,
  ) {
    this.node = new Int32Array(size * cp.n);
    this.opt = new Int32Array(size * cp.n);
    this.f = new Float64Array(size);
    this.diff = new Int32Array(cp.n);
    const { spread, scale, idle } = costScales(cp);
    // The tabu search's base penalty: a node a workload's share over capacity costs about what
    // moving that workload to its dearest option would.
    this.weight = (Math.max(spread / cp.n, 1e-9) * cp.n) / cp.m + idle / cp.m + cp.lambda / cp.m;
    this.eps = 1e-9 * (1 + scale / cp.n);
  }

  /** Keeps a feasible assignment when the pool has room or it beats the worst member, unless it is already there. */
  offer(s: PlacementState): boolean {
    if (!s.feasible()) return false;
    const f = s.objective();
    const { n } = this.cp;
    let worst = 0;
    for (let e = 0; e < this.count; e++) {
      if (Math.abs(this.f[e] - f) <= this.eps && this.same(e, s)) return false;
      if (this.f[e] > this.f[worst]) worst = e;
    }
    let at: number;
    if (this.count < this.size) at = this.count++;
    else if (f < this.f[worst] - this.eps) at = worst;
    else return false;
    this.node.set(s.node, at * n);
    this.opt.set(s.opt, at * n);
    this.f[at] = f;
    return true;
  }

  /**
   * Sets `s` to a point on the path from one elite member to another (two distinct members at
   * random, the better one first as the start), `fraction` of the differing workloads moved.
   * Returns false (and leaves `s` alone) when the pool has fewer than two members.
   */
  relink(s: PlacementState, rng: Rng, fraction = 0.2 + 0.6 * rng.next()): boolean {
    if (this.count < 2) return false;
    const { n } = this.cp;
    let from = rng.int(this.count);
    let to = rng.int(this.count - 1);
    if (to >= from) to++;
    if (this.f[to] < this.f[from]) [from, to] = [to, from];
    s.setFrom(this.node.subarray(from * n, (from + 1) * n), this.opt.subarray(from * n, (from + 1) * n));
    const guideNode = this.node.subarray(to * n, (to + 1) * n);
    const guideOpt = this.opt.subarray(to * n, (to + 1) * n);
    let d = 0;
    for (let j = 0; j < n; j++) if (s.node[j] !== guideNode[j] || s.opt[j] !== guideOpt[j]) this.diff[d++] = j;
    const steps = Math.round(fraction * d);
    for (let step = 0; step < steps; step++) {
      let bestT = 0;
      let best = Infinity;
      for (let t = 0; t < d; t++) {
        const j = this.diff[t];
        const delta = this.moveDelta(s, j, guideNode[j], guideOpt[j]) + this.eps * rng.next();
        if (delta < best) {
          best = delta;
          bestT = t;
        }
      }
      const j = this.diff[bestT];
      s.move(j, guideNode[j], guideOpt[j]);
      this.diff[bestT] = this.diff[--d];
    }
    return true;
  }

  /** Cost and penalised node excess change of moving j to (b, o); links and the balance term are left to the local search. */
  private moveDelta(s: PlacementState, j: number, b: number, o: number): number {
    const cp = this.cp;
    const R = cp.R;
    const a = s.node[j];
    const oj = s.opt[j];
    let delta = cp.optCost[o] - cp.optCost[oj];
    let excess = -s.nodeExcess(a);
    if (a !== b) {
      if (s.count[a] === 1) delta -= cp.idleCost[a];
      if (s.count[b] === 0) delta += cp.idleCost[b];
      excess -= s.nodeExcess(b);
    }
    for (let r = 0; r < R; r++) {
      const xa = s.load[a * R + r] - cp.optW[oj * R + r] + (a === b ? cp.optW[o * R + r] : 0) - cp.cap[a * R + r];
      if (xa > 0) excess += xa * s.invCap[a * R + r];
      if (a === b) continue;
      const xb = s.load[b * R + r] + cp.optW[o * R + r] - cp.cap[b * R + r];
      if (xb > 0) excess += xb * s.invCap[b * R + r];
    }
    return delta + this.weight * excess;
  }

  private same(e: number, s: PlacementState): boolean {
    const { n } = this.cp;
    for (let j = 0; j < n; j++) if (this.node[e * n + j] !== s.node[j] || this.opt[e * n + j] !== s.opt[j]) return false;
    return true;
  }
}
