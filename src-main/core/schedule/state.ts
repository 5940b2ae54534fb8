/**
 * An assignment being built or improved, with everything the solvers need in O(R) per move:
 * loads per node and resource, workload counts (for idle energy), the cost sum, the compute
 * utilization of each balanced node, and the workloads on each node as linked lists.
 *
 * Internal objective (minimised; `reportObjective` turns it into the stated one):
 *   F = sum of option costs + idle cost of every node hosting something + lambda x MAD
 * where MAD is the mean absolute deviation of compute utilization over balanced nodes.
 * Constraint violation is measured as the sum over nodes and resources of the excess load
 * divided by the capacity (relative overload).
 */
import type { CompiledProblem } from './compiled';

const FEAS_TOL = 1e-9;

export class PlacementState {
  readonly node: Int32Array;
  readonly opt: Int32Array;
  readonly load: Float64Array;
  readonly count: Int32Array;
  /** Compute utilization per node (0 for unbalanced nodes). */
  readonly util: Float64Array;
  /** Linked lists of the workloads on each node: head per node, next/prev per workload. */
  readonly head: Int32Array;
  readonly nextOf: Int32Array;
  readonly prevOf: Int32Array;
  /** 1 / capacity used to scale excess load, per node and resource (0 for unlimited). */
  readonly invCap: Float64Array;
  costSum = 0;
  assigned = 0;

  constructor(readonly cp: CompiledProblem) {
    const { n, m, R } = cp;
    this.node = new Int32Array(n).fill(-1);
    this.opt = new Int32Array(n).fill(-1);
    this.load = new Float64Array(m * R);
    this.count = new Int32Array(m);
    this.util = new Float64Array(m);
    this.head = new Int32Array(m).fill(-1);
    this.nextOf = new Int32Array(n).fill(-1);
    this.prevOf = new Int32Array(n).fill(-1);
    this.invCap = new Float64Array(m * R);
    for (let k = 0; k < m * R; k++) {
      const c = cp.cap[k];
      this.invCap[k] = c === Infinity ? 0 : c > 0 ? 1 / c : 1;
    }
  }

  /** Empties the state (no allocation). */
  clear(): void {
    this.node.fill(-1);
    this.opt.fill(-1);
    this.load.fill(0);
    this.count.fill(0);
    this.util.fill(0);
    this.head.fill(-1);
    this.costSum = 0;
    this.assigned = 0;
  }

  /** Places unassigned workload j on node i with option o. */
  add(j: number, i: number, o: number): void {
    const cp = this.cp;
    const R = cp.R;
    this.node[j] = i;
    this.opt[j] = o;
    for (let r = 0; r < R; r++) this.load[i * R + r] += cp.optW[o * R + r];
    if (this.count[i]++ === 0) this.costSum += cp.idleCost[i];
    this.costSum += cp.optCost[o];
    if (cp.balanceNode[i]) this.util[i] = this.load[i * R] / cp.cap[i * R];
    const h = this.head[i];
    this.nextOf[j] = h;
    this.prevOf[j] = -1;
    if (h >= 0) this.prevOf[h] = j;
    this.head[i] = j;
    this.assigned++;
  }

  /** Takes workload j off its node. */
  remove(j: number): void {
    const cp = this.cp;
    const R = cp.R;
    const i = this.node[j];
    const o = this.opt[j];
    for (let r = 0; r < R; r++) this.load[i * R + r] -= cp.optW[o * R + r];
    if (--this.count[i] === 0) {
      this.costSum -= cp.idleCost[i];
      for (let r = 0; r < R; r++) this.load[i * R + r] = 0; // no drift on empty nodes
    }
    this.costSum -= cp.optCost[o];
    if (cp.balanceNode[i]) this.util[i] = this.load[i * R] / cp.cap[i * R];
    const p = this.prevOf[j];
    const q = this.nextOf[j];
    if (p >= 0) this.nextOf[p] = q;
    else this.head[i] = q;
    if (q >= 0) this.prevOf[q] = p;
    this.node[j] = -1;
    this.opt[j] = -1;
    this.assigned--;
  }

  move(j: number, i: number, o: number): void {
    this.remove(j);
    this.add(j, i, o);
  }

  /** Mean absolute deviation of compute utilization over the balanced nodes. O(m). */
  imbalance(): number {
    const cp = this.cp;
    if (cp.balanceCount === 0) return 0;
    let s = 0;
    for (let i = 0; i < cp.m; i++) s += this.util[i];
    const mean = s / cp.balanceCount;
    let d = 0;
    for (let i = 0; i < cp.m; i++) if (cp.balanceNode[i]) d += Math.abs(this.util[i] - mean);
    return d / cp.balanceCount;
  }

  /**
   * MAD after compute utilization of node a changes by da and of node b by db (a may equal b;
   * pass b = -1 for one node; changes of unbalanced nodes are ignored), without changing the state. O(m).
   */
  imbalanceIf(a: number, da: number, b: number, db: number): number {
    const cp = this.cp;
    const M = cp.balanceCount;
    if (M === 0) return 0;
    let s = 0;
    for (let i = 0; i < cp.m; i++) s += this.util[i];
    if (cp.balanceNode[a]) s += da;
    if (b >= 0 && cp.balanceNode[b]) s += db;
    const mean = s / M;
    let d = 0;
    for (let i = 0; i < cp.m; i++) {
      if (!cp.balanceNode[i]) continue;
      let u = this.util[i];
      if (i === a) u += da;
      if (i === b) u += db;
      d += Math.abs(u - mean);
    }
    return d / M;
  }

  /** F: cost + idle + lambda x imbalance. */
  objective(): number {
    return this.cp.lambda > 0 ? this.costSum + this.cp.lambda * this.imbalance() : this.costSum;
  }

  /** Relative excess of one node, summed over resources. */
  nodeExcess(i: number): number {
    const R = this.cp.R;
    let e = 0;
    for (let r = 0; r < R; r++) {
      const x = this.load[i * R + r] - this.cp.cap[i * R + r];
      if (x > FEAS_TOL * (1 + Math.abs(this.cp.cap[i * R + r]))) e += x * this.invCap[i * R + r];
    }
    return e;
  }

  /** Sum of relative excess over all nodes and resources; 0 when feasible. */
  excess(): number {
    let e = 0;
    for (let i = 0; i < this.cp.m; i++) if (this.count[i] > 0) e += this.nodeExcess(i);
    return e;
  }

  feasible(): boolean {
    return this.assigned === this.cp.n && this.excess() === 0;
  }

  /** Whether option o of some workload fits on node i as it stands (all resources). */
  fits(i: number, o: number): boolean {
    const cp = this.cp;
    const R = cp.R;
    for (let r = 0; r < R; r++) {
      const c = cp.cap[i * R + r];
      if (this.load[i * R + r] + cp.optW[o * R + r] > c + FEAS_TOL * (1 + Math.abs(c))) return false;
    }
    return true;
  }

  copyFrom(other: PlacementState): void {
    this.node.set(other.node);
    this.opt.set(other.opt);
    this.load.set(other.load);
    this.count.set(other.count);
    this.util.set(other.util);
    this.head.set(other.head);
    this.nextOf.set(other.nextOf);
    this.prevOf.set(other.prevOf);
    this.costSum = other.costSum;
    this.assigned = other.assigned;
  }

  /** Rebuilds the state from a node and option per workload (costs recomputed from scratch). */
  setFrom(node: Int32Array, opt: Int32Array): void {
    this.clear();
    for (let j = 0; j < this.cp.n; j++) if (node[j] >= 0) this.add(j, node[j], opt[j]);
  }
}

/** The cheapest option of workload j on node i; -1 when j cannot run there. */
export function cheapestOption(cp: CompiledProblem, j: number, i: number): number {
  const k = cp.nodeClass[i];
  const a = cp.optStart[j * cp.K + k];
  const b = cp.optStart[j * cp.K + k + 1];
  let best = -1;
  for (let o = a; o < b; o++) if (best < 0 || cp.optCost[o] < cp.optCost[best]) best = o;
  return best;
}

/** The cheapest option of j on node i that fits its remaining capacity; -1 when none fits. */
export function cheapestFittingOption(s: PlacementState, j: number, i: number): number {
  const cp = s.cp;
  const k = cp.nodeClass[i];
  const a = cp.optStart[j * cp.K + k];
  const b = cp.optStart[j * cp.K + k + 1];
  let best = -1;
  for (let o = a; o < b; o++) if (s.fits(i, o) && (best < 0 || cp.optCost[o] < cp.optCost[best])) best = o;
  return best;
}

/** Per workload, the nodes where it has at least one option (CSR: start per workload, list). */
export interface NodeLists {
  start: Int32Array;
  nodes: Int32Array;
}

/** All admissible nodes of every workload. Memory n x m in the worst case: use candidate lists beyond that. */
export function admissibleNodes(cp: CompiledProblem): NodeLists {
  const start = new Int32Array(cp.n + 1);
  const list: number[] = [];
  for (let j = 0; j < cp.n; j++) {
    start[j] = list.length;
    for (let i = 0; i < cp.m; i++) {
      const k = cp.nodeClass[i];
      if (cp.optStart[j * cp.K + k + 1] > cp.optStart[j * cp.K + k]) list.push(i);
    }
  }
  start[cp.n] = list.length;
  return { start, nodes: Int32Array.from(list) };
}
