/**
 * An assignment being built or improved, with everything the solvers need in O(R) per move:
 * loads per node and resource, loads per link, workload counts (for idle energy), the cost sum,
 * the utilization of each node, and the workloads on each node as linked lists.
 *
 * Internal objective (minimised; `reportObjective` adds the constant always-on idle energy):
 *   F = sum of option costs + idle cost of every node that may sleep and serves + lambda x peak
 * where peak is the largest utilization over the edge nodes (compute of the node and of its
 * accelerator over their full capacities). Constraint violation is measured as the sum over
 * nodes, resources and links of the excess load divided by the capacity (relative overload).
 */
import type { CompiledProblem } from './compiled';

const FEAS_TOL = 1e-9;

export class PlacementState {
  readonly node: Int32Array;
  readonly opt: Int32Array;
  readonly load: Float64Array;
  readonly count: Int32Array;
  /** Mb/s on each link. */
  readonly linkLoad: Float64Array;
  /** Utilization per node: its largest load x utilScale (0 for the cloud). */
  readonly util: Float64Array;
  /** Linked lists of the workloads on each node: head per node, next/prev per workload. */
  readonly head: Int32Array;
  readonly nextOf: Int32Array;
  readonly prevOf: Int32Array;
  /** 1 / capacity used to scale excess load, per node and resource (0 for unlimited). */
  readonly invCap: Float64Array;
  /** 1 / capacity per link. */
  readonly linkInv: Float64Array;
  costSum = 0;
  assigned = 0;

  constructor(readonly cp: CompiledProblem) {
    const { n, m, R, L } = cp;
    this.node = new Int32Array(n).fill(-1);
    this.opt = new Int32Array(n).fill(-1);
    this.load = new Float64Array(m * R);
    this.count = new Int32Array(m);
    this.linkLoad = new Float64Array(L);
    this.util = new Float64Array(m);
    this.head = new Int32Array(m).fill(-1);
    this.nextOf = new Int32Array(n).fill(-1);
    this.prevOf = new Int32Array(n).fill(-1);
    this.invCap = new Float64Array(m * R);
    for (let k = 0; k < m * R; k++) {
      const c = cp.cap[k];
      this.invCap[k] = c === Infinity ? 0 : c > 0 ? 1 / c : 1;
    }
    this.linkInv = cp.linkCap.map((c) => (c > 0 ? 1 / c : 1));
  }

  /** Empties the state (no allocation). */
  clear(): void {
    this.node.fill(-1);
    this.opt.fill(-1);
    this.load.fill(0);
    this.count.fill(0);
    this.linkLoad.fill(0);
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
    for (let t = cp.optLinkStart[o]; t < cp.optLinkStart[o + 1]; t++) this.linkLoad[cp.optLinks[t]] += cp.optMbps[o];
    if (this.count[i]++ === 0) this.costSum += cp.idleCost[i];
    this.costSum += cp.optCost[o];
    this.util[i] = this.utilOf(i);
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
    for (let t = cp.optLinkStart[o]; t < cp.optLinkStart[o + 1]; t++) {
      const l = cp.optLinks[t];
      const v = this.linkLoad[l] - cp.optMbps[o];
      this.linkLoad[l] = v < FEAS_TOL * cp.linkCap[l] ? 0 : v; // no drift on empty links
    }
    if (--this.count[i] === 0) {
      this.costSum -= cp.idleCost[i];
      for (let r = 0; r < R; r++) this.load[i * R + r] = 0; // no drift on empty nodes
    }
    this.costSum -= cp.optCost[o];
    this.util[i] = this.utilOf(i);
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

  /** Utilization of node i as it stands. O(R). */
  private utilOf(i: number): number {
    const { R, utilScale } = this.cp;
    let u = 0;
    for (let r = 0; r < R; r++) {
      const x = this.load[i * R + r] * utilScale[i * R + r];
      if (x > u) u = x;
    }
    return u;
  }

  /** Utilization of node i if option `out` left it and option `inn` arrived (either may be -1). O(R). */
  utilWith(i: number, out: number, inn: number): number {
    const { R, utilScale, optW } = this.cp;
    let u = 0;
    for (let r = 0; r < R; r++) {
      const scale = utilScale[i * R + r];
      if (scale === 0) continue;
      let x = this.load[i * R + r];
      if (out >= 0) x -= optW[out * R + r];
      if (inn >= 0) x += optW[inn * R + r];
      x *= scale;
      if (x > u) u = x;
    }
    return u;
  }

  /** The balance term: the largest utilization over the nodes. O(m). */
  peak(): number {
    let p = 0;
    for (let i = 0; i < this.cp.m; i++) if (this.util[i] > p) p = this.util[i];
    return p;
  }

  /** F: cost + idle + lambda x peak. */
  objective(): number {
    return this.cp.lambda > 0 ? this.costSum + this.cp.lambda * this.peak() : this.costSum;
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

  /** Relative excess of link l. */
  linkExcess(l: number): number {
    const x = this.linkLoad[l] - this.cp.linkCap[l];
    return x > FEAS_TOL * (1 + this.cp.linkCap[l]) ? x * this.linkInv[l] : 0;
  }

  /** Sum of relative excess over all nodes, resources and links; 0 when feasible. */
  excess(): number {
    let e = 0;
    for (let i = 0; i < this.cp.m; i++) if (this.count[i] > 0) e += this.nodeExcess(i);
    for (let l = 0; l < this.cp.L; l++) e += this.linkExcess(l);
    return e;
  }

  feasible(): boolean {
    return this.assigned === this.cp.n && this.excess() === 0;
  }

  /** Whether option o of some workload fits on node i and on its links as they stand. */
  fits(i: number, o: number): boolean {
    const cp = this.cp;
    const R = cp.R;
    for (let r = 0; r < R; r++) {
      const c = cp.cap[i * R + r];
      if (this.load[i * R + r] + cp.optW[o * R + r] > c + FEAS_TOL * (1 + Math.abs(c))) return false;
    }
    for (let t = cp.optLinkStart[o]; t < cp.optLinkStart[o + 1]; t++) {
      const l = cp.optLinks[t];
      if (this.linkLoad[l] + cp.optMbps[o] > cp.linkCap[l] * (1 + FEAS_TOL) + FEAS_TOL) return false;
    }
    return true;
  }

  /** Relative room left on the tightest link of option o after adding it (1 when it crosses none; negative: over). */
  linkSlackAfter(o: number): number {
    const cp = this.cp;
    let slack = 1;
    for (let t = cp.optLinkStart[o]; t < cp.optLinkStart[o + 1]; t++) {
      const l = cp.optLinks[t];
      const left = (cp.linkCap[l] - this.linkLoad[l] - cp.optMbps[o]) * this.linkInv[l];
      if (left < slack) slack = left;
    }
    return slack;
  }

  /** Relative excess node i and the links of option o would carry if o were added there. */
  excessIfAdded(i: number, o: number): number {
    const cp = this.cp;
    const R = cp.R;
    let e = 0;
    for (let r = 0; r < R; r++) {
      const x = this.load[i * R + r] + cp.optW[o * R + r] - cp.cap[i * R + r];
      if (x > 0) e += x * this.invCap[i * R + r];
    }
    for (let t = cp.optLinkStart[o]; t < cp.optLinkStart[o + 1]; t++) {
      const l = cp.optLinks[t];
      const x = this.linkLoad[l] + cp.optMbps[o] - cp.linkCap[l];
      if (x > 0) e += x * this.linkInv[l];
    }
    return e;
  }

  copyFrom(other: PlacementState): void {
    this.node.set(other.node);
    this.opt.set(other.opt);
    this.load.set(other.load);
    this.count.set(other.count);
    this.linkLoad.set(other.linkLoad);
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

/** The cheapest option of j on node i that fits its remaining capacity and links; -1 when none fits. */
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
  const byClass: number[][] = Array.from({ length: cp.K }, () => []);
  for (let i = 0; i < cp.m; i++) byClass[cp.nodeClass[i]].push(i);
  let list = new Int32Array(Math.max(16, cp.n));
  let len = 0;
  for (let j = 0; j < cp.n; j++) {
    start[j] = len;
    const from = len;
    for (let k = 0; k < cp.K; k++) {
      if (cp.optStart[j * cp.K + k + 1] === cp.optStart[j * cp.K + k]) continue;
      const members = byClass[k];
      if (len + members.length > list.length) {
        const bigger = new Int32Array(Math.max(2 * list.length, len + members.length));
        bigger.set(list);
        list = bigger;
      }
      for (const i of members) list[len++] = i;
    }
    // Node order, as before classes were walked: searches scan in file order.
    list.subarray(from, len).sort();
  }
  start[cp.n] = len;
  return { start, nodes: list.slice(0, len) };
}
