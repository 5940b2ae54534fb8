/**
 * Ejection chains: the compound move that lifted tabu search on the generalized assignment
 * problem beyond shift and swap (Yagiura, Ibaraki & Glover, "An ejection chain approach for the
 * generalized assignment problem", INFORMS J. Computing 16(2), 2004).
 *
 * A chain of length l shifts workload j1 from its node a1 to a node a2 that already serves
 * workloads; that ejects some j2 from a2 to a3, which ejects j3, ..., and the last one lands on
 * any node b, possibly a1 again (a cyclic exchange). Every node in between loses one workload
 * and gains one, so a chain reaches assignments that need l uphill shifts, or a cycle of l
 * workloads that no swap can make. Moves are judged on the penalised objective
 *   P = F + sum w[i,r] x relative excess[i,r] + sum w[l] x relative excess[l]
 * (nodes' resources and capacity-limited links), F including idle energy and lambda x peak, so
 * the same search serves GAP files and fleets with links, power states and the balance term.
 *
 * The chain is grown as Yagiura et al. do, depth first with branching only at the first level:
 * for a start j1, each of its `width` best first shifts opens a branch; deeper, the shift of a
 * workload on the node just entered with the lowest P change extends it. The chain is taken as
 * soon as closing it there lowers P; in `strict` mode (the default) it must also leave every
 * node and link within capacity when it started feasible, so a descent in strict mode improves
 * a feasible assignment without ever leaving feasibility.
 *
 * @example
 * const chains = new EjectionChain(cp, lists);        // strict: feasibility is kept
 * const applied = chains.descend(state, rng, { deadline: performance.now() + 100 });
 */
import { costScales, type CompiledProblem } from './compiled';
import { LinkPenalty } from './link-penalty';
import { PeakIndex } from './peak';
import type { Rng } from '../../common/random';
import type { NodeLists, PlacementState } from './state';

export interface ChainParams {
  /** Shifts in one chain at most (nodes in a chain are distinct, so also at most m). */
  maxDepth: number;
  /** First shifts (the lowest P changes) explored per starting workload. */
  width: number;
}

/** Depth 10 and width 6: chosen, not tuned (depth 1-20 x width 1-19 found the same on a D-5 tabu result: nothing). */
export const defaultChainParams: ChainParams = { maxDepth: 10, width: 6 };

export interface ChainBudget {
  deadline: number;
  stop?: () => boolean;
}

/** Penalty weights a caller shares with the chains (its adaptive weights), instead of strict ones. */
export interface SharedWeights {
  node: Float64Array;
  link: Float64Array;
}

export class EjectionChain {
  /** Penalty weight per node and resource. */
  readonly weight: Float64Array;
  /** Chains only end where every node and link is within capacity (when the start was). */
  readonly strict: boolean;
  /** Chains applied since construction. */
  applied = 0;
  private readonly links: LinkPenalty;
  private readonly peak = new PeakIndex();
  private readonly capTol: Float64Array;
  private readonly eps: number;
  private readonly order: Int32Array;
  /** Chain node marks: nodeMark[i] === mark when node i is a2..ak of the chain being grown. */
  private readonly nodeMark: Int32Array;
  private readonly jobMark: Int32Array;
  private mark = 0;
  /** Undo log of the chain being grown: workload, node and option it came from. */
  private readonly logJob: Int32Array;
  private readonly logNode: Int32Array;
  private readonly logOpt: Int32Array;
  private logLen = 0;
  /** First shifts of the current start, best first. */
  private readonly firstNode: Int32Array;
  private readonly firstOpt: Int32Array;
  private readonly firstDelta: Float64Array;
  private moveJ = -1;
  private moveB = -1;
  private moveO = -1;

  constructor(
    readonly cp: CompiledProblem,
    readonly lists: NodeLists,
    readonly params: ChainParams = defaultChainParams,
    shared: SharedWeights | null = null,
  ) {
    const { n, m, R } = cp;
    this.strict = shared === null;
    const { spread, scale, idle } = costScales(cp);
    // Strict mode: a unit of relative excess outweighs what any single workload can save, so
    // the shifts that extend a chain are the ones that relieve the node the last one overloaded.
    const strictWeight = 100 * (Math.max(spread / n, 1e-9) * n / m + idle / m + cp.lambda / m + 1e-9 * scale);
    this.weight = shared?.node ?? new Float64Array(m * R).fill(strictWeight);
    this.links = new LinkPenalty(cp, shared?.link ?? new Float64Array(cp.L).fill(strictWeight));
    this.capTol = cp.cap.map((c) => c + 1e-9 * (1 + Math.abs(c)));
    this.eps = 1e-9 * (1 + scale / n);
    this.order = Int32Array.from({ length: n }, (_, j) => j);
    this.nodeMark = new Int32Array(m);
    this.jobMark = new Int32Array(n);
    const depth = Math.max(1, Math.min(params.maxDepth, m));
    this.logJob = new Int32Array(depth + 1);
    this.logNode = new Int32Array(depth + 1);
    this.logOpt = new Int32Array(depth + 1);
    const width = Math.max(1, params.width);
    this.firstNode = new Int32Array(width);
    this.firstOpt = new Int32Array(width);
    this.firstDelta = new Float64Array(width);
  }

  /**
   * Applies improving chains (first improvement, starts in random order) until a whole pass
   * finds none or the budget ends. Returns the number of chains applied.
   */
  descend(s: PlacementState, rng: Rng, budget: ChainBudget): number {
    let count = 0;
    for (;;) {
      rng.shuffle(this.order);
      let found = false;
      for (let t = 0; t < this.order.length; t++) {
        if ((t & 7) === 7 && (performance.now() > budget.deadline || budget.stop?.())) return count;
        if (this.improveFrom(s, this.order[t])) {
          found = true;
          count++;
        }
      }
      if (!found) return count;
    }
  }

  /** Looks for an improving chain that starts by shifting workload j1; applies it and returns true when found. */
  improveFrom(s: PlacementState, j1: number): boolean {
    const cp = this.cp;
    const a1 = s.node[j1];
    if (a1 < 0) return false;
    const wasFeasible = this.strict && s.excess() === 0;
    if (cp.lambda > 0) this.peak.rebuild(s);
    const branches = this.firstShifts(s, j1, a1);
    const maxDepth = Math.min(this.params.maxDepth, cp.m);
    for (let f = 0; f < branches; f++) {
      const mark = ++this.mark;
      this.logLen = 0;
      this.jobMark[j1] = mark;
      let acc = this.firstDelta[f];
      let cur = this.firstNode[f];
      this.push(s, j1, cur, this.firstOpt[f]);
      this.nodeMark[cur] = mark;
      // A chain of one shift: taken when it already pays (and keeps capacity, in strict mode).
      let closed = acc < -this.eps && (!wasFeasible || s.excess() === 0);
      for (let depth = 2; !closed && depth <= maxDepth; depth++) {
        // Best shift of a workload on `cur` (not one the chain moved) to a node off the chain.
        const d = this.bestEjection(s, cur, a1, mark, acc, wasFeasible);
        if (this.moveJ < 0) break;
        this.push(s, this.moveJ, this.moveB, this.moveO);
        acc += d;
        if (acc < -this.eps && (!wasFeasible || s.excess() === 0)) {
          closed = true;
          break;
        }
        this.jobMark[this.moveJ] = mark;
        this.nodeMark[this.moveB] = mark;
        cur = this.moveB;
      }
      if (closed) {
        this.applied++;
        return true;
      }
      this.undo(s);
    }
    return false;
  }

  /** The `width` lowest-P shifts of j1 onto nodes that serve something (written best first); returns how many. */
  private firstShifts(s: PlacementState, j1: number, a1: number): number {
    const cp = this.cp;
    const width = this.firstNode.length;
    const { start, nodes } = this.lists;
    let count = 0;
    for (let t = start[j1]; t < start[j1 + 1]; t++) {
      const b = nodes[t];
      if (b === a1 || s.count[b] === 0) continue;
      const k = cp.nodeClass[b];
      for (let o = cp.optStart[j1 * cp.K + k]; o < cp.optStart[j1 * cp.K + k + 1]; o++) {
        const d = this.shiftDelta(s, j1, b, o);
        if (count === width && d >= this.firstDelta[count - 1]) continue;
        let at = count < width ? count++ : count - 1;
        while (at > 0 && this.firstDelta[at - 1] > d) {
          this.firstDelta[at] = this.firstDelta[at - 1];
          this.firstNode[at] = this.firstNode[at - 1];
          this.firstOpt[at] = this.firstOpt[at - 1];
          at--;
        }
        this.firstDelta[at] = d;
        this.firstNode[at] = b;
        this.firstOpt[at] = o;
      }
    }
    return count;
  }

  /**
   * A shift of a workload on node `cur` that the chain has not moved: one that closes the chain
   * with a gain (on any node off the chain, or back on a1; strict mode: keeping the nodes it
   * touches within capacity) at once, else the lowest-P shift to a node off the chain and not a1,
   * which extends it.
   */
  private bestEjection(s: PlacementState, cur: number, a1: number, mark: number, acc: number, wasFeasible: boolean): number {
    const cp = this.cp;
    const { start, nodes } = this.lists;
    let best = Infinity;
    this.moveJ = -1;
    for (let q = s.head[cur]; q >= 0; q = s.nextOf[q]) {
      if (this.jobMark[q] === mark) continue;
      for (let t = start[q]; t < start[q + 1]; t++) {
        const b = nodes[t];
        if (b === cur || this.nodeMark[b] === mark) continue;
        const k = cp.nodeClass[b];
        for (let o = cp.optStart[q * cp.K + k]; o < cp.optStart[q * cp.K + k + 1]; o++) {
          const d = this.shiftDelta(s, q, b, o);
          // A closing gain (that keeps the touched nodes feasible, in strict mode): take it.
          if (acc + d < -this.eps && (!wasFeasible || this.leavesFeasible(s, q, b, o))) {
            this.moveJ = q;
            this.moveB = b;
            this.moveO = o;
            return d;
          }
          // Otherwise the chain goes on from the best node off the chain; back at a1 it would end.
          if (d >= best || b === a1) continue;
          best = d;
          this.moveJ = q;
          this.moveB = b;
          this.moveO = o;
        }
      }
    }
    return best;
  }

  /** Whether moving q to (b, o) leaves its old node, b and the links it touches within capacity (other nodes as they are). */
  private leavesFeasible(s: PlacementState, q: number, b: number, o: number): boolean {
    const cp = this.cp;
    const R = cp.R;
    const a = s.node[q];
    const oq = s.opt[q];
    for (let r = 0; r < R; r++) {
      if (s.load[a * R + r] - cp.optW[oq * R + r] > this.capTol[a * R + r]) return false;
      if (s.load[b * R + r] + cp.optW[o * R + r] > this.capTol[b * R + r]) return false;
    }
    if (cp.L > 0) {
      this.links.delta(s, oq, -1, o, -1);
      if (this.links.hurt) return false;
    }
    return true;
  }

  /** P change of moving workload j (on a different node) to node b with option o, in the state as it stands. */
  private shiftDelta(s: PlacementState, j: number, b: number, o: number): number {
    const cp = this.cp;
    const a = s.node[j];
    const oj = s.opt[j];
    let d = cp.optCost[o] - cp.optCost[oj];
    if (s.count[a] === 1) d -= cp.idleCost[a];
    if (s.count[b] === 0) d += cp.idleCost[b];
    d += this.nodeDelta(s, a, oj, -1) + this.nodeDelta(s, b, -1, o);
    if (cp.L > 0) d += this.links.delta(s, oj, -1, o, -1);
    if (cp.lambda > 0) d += cp.lambda * (this.peak.peakIf(a, s.utilWith(a, oj, -1), b, s.utilWith(b, -1, o)) - this.peak.peak);
    return d;
  }

  /** Weighted excess change of node i when option `out` leaves or `inn` arrives. */
  private nodeDelta(s: PlacementState, i: number, out: number, inn: number): number {
    const { R, cap, optW } = this.cp;
    let d = 0;
    for (let r = 0; r < R; r++) {
      const k = i * R + r;
      const c = cap[k];
      if (c === Infinity) continue;
      const before = s.load[k];
      const after = out >= 0 ? before - optW[out * R + r] : before + optW[inn * R + r];
      const tol = this.capTol[k];
      const eb = before > tol ? before - c : 0;
      const ea = after > tol ? after - c : 0;
      if (ea !== eb) d += this.weight[k] * (ea - eb) * s.invCap[k];
    }
    return d;
  }

  private push(s: PlacementState, j: number, b: number, o: number): void {
    this.logJob[this.logLen] = j;
    this.logNode[this.logLen] = s.node[j];
    this.logOpt[this.logLen] = s.opt[j];
    this.logLen++;
    s.move(j, b, o);
    if (this.cp.lambda > 0) this.peak.rebuild(s);
  }

  private undo(s: PlacementState): void {
    while (this.logLen > 0) {
      this.logLen--;
      s.move(this.logJob[this.logLen], this.logNode[this.logLen], this.logOpt[this.logLen]);
    }
    if (this.cp.lambda > 0) this.peak.rebuild(s);
  }
}
