/**
 * Penalised local search with adaptive weights, the improvement step of the improved ACO.
 *
 * Moves: shift (one workload to another node or variant) and swap (two workloads on different
 * nodes exchange nodes), plus, with `useChains`, ejection chains (ejection-chain.ts) judged by
 * this search's own weights when shift and swap are stuck; an infeasible local optimum is then
 * also taken to a feasible neighbour by strict chains on a copy, to record it. Moves are judged on
 *   P = F + sum over nodes i, resources r of w[i,r] x relative excess[i,r] + sum over links l of w[l] x relative excess[l],
 * so the search may cross infeasible regions; after every local optimum the weights of violated
 * constraints grow and the others shrink (strategic oscillation; adaptive weights after Yagiura,
 * Ibaraki & Glover, INFORMS J. Computing 16(2), 2004). The best feasible assignment met is kept.
 *
 * @example
 * const ls = new LocalSearch(cp, lists);
 * ls.run(state, rng, { rounds: 20, deadline: performance.now() + 50 }); // improves `state`
 * if (ls.bestF < Infinity) state.setFrom(ls.bestNode, ls.bestOpt);
 */
import { costScales, type CompiledProblem } from './compiled';
import { EjectionChain } from './ejection-chain';
import { LinkPenalty } from './link-penalty';
import { PeakIndex } from './peak';
import type { NodeMoves } from './node-moves';
import type { Rng } from '../../common/random';
import { PlacementState, type NodeLists } from './state';

export interface LocalSearchBudget {
  /** Weight updates (local optima visited) in this call. */
  rounds: number;
  /** performance.now() after which the call returns. */
  deadline: number;
  /** Cooperative cancel, polled with the clock. */
  stop?: () => boolean;
}

/** Weight growth for a violated constraint and decay for a satisfied one, per local optimum. */
const WEIGHT_UP = 1.4;
const WEIGHT_DOWN = 0.85;

export class LocalSearch {
  /** Penalty weight per node and resource, in cost units per unit of relative excess. */
  readonly weight: Float64Array;
  readonly bestNode: Int32Array;
  readonly bestOpt: Int32Array;
  /** Objective of the best feasible assignment met so far (across calls until `resetBest`). */
  bestF = Infinity;
  /** Whether descents end with ejection chains (slower, stronger). */
  useChains = true;
  private readonly order: Int32Array;
  private readonly baseWeight: number;
  private readonly eps: number;
  private deadline = 0;
  private stop: (() => boolean) | undefined;
  private evaluations = 0;
  private readonly balance: PeakIndex;
  /** Set after every change of the state: the balance index is rebuilt on its next use. */
  private balanceStale = true;
  private readonly links: LinkPenalty;
  /** Ejection chains judged by this search's penalty weights (built on first use). */
  private chains: EjectionChain | null = null;
  /** Strict chains that take an infeasible local optimum to a feasible neighbour, on a scratch copy. */
  private repairChains: EjectionChain | null = null;
  private scratch: PlacementState | null = null;

  constructor(
    readonly cp: CompiledProblem,
    readonly lists: NodeLists,
    /** Node close/relocate moves after shift, swap and chains are exhausted (fleets with idle energy). */
    private readonly nodeMoves: NodeMoves | null = null,
  ) {
    this.weight = new Float64Array(cp.m * cp.R);
    this.balance = new PeakIndex();
    this.links = new LinkPenalty(cp);
    this.bestNode = new Int32Array(cp.n);
    this.bestOpt = new Int32Array(cp.n);
    this.order = Int32Array.from({ length: cp.n }, (_, j) => j);
    // A workload typically takes 1/(n/m) of a node; a violation of that size should outweigh the
    // typical cost spread of a workload, hence spread x n / m.
    const { spread, scale, idle } = costScales(cp);
    const perJob = Math.max(spread / cp.n, 1e-6 * (scale / cp.n + idle / cp.n), 1e-9);
    this.baseWeight = (perJob * cp.n) / cp.m + idle / cp.m + cp.lambda / cp.m;
    this.eps = 1e-9 * (1 + scale / cp.n);
    this.weight.fill(this.baseWeight);
    this.links.weight.fill(this.baseWeight);
  }

  resetWeights(): void {
    this.weight.fill(this.baseWeight);
    this.links.weight.fill(this.baseWeight);
  }

  resetBest(): void {
    this.bestF = Infinity;
  }

  /** Improves `s` in place; records improvements of the best feasible assignment. Returns evaluations made. */
  run(s: PlacementState, rng: Rng, budget: LocalSearchBudget): number {
    this.balanceStale = true;
    this.deadline = budget.deadline;
    this.stop = budget.stop;
    this.evaluations = 0;
    rng.shuffle(this.order);
    this.recordIfBest(s);
    for (let round = 0; round < budget.rounds; round++) {
      this.descend(s);
      this.recordIfBest(s);
      if (this.useChains && s.excess() > 0) this.project(s, rng);
      if (this.timeUp()) break;
      this.adaptWeights(s);
    }
    return this.evaluations;
  }

  /**
   * Chains under penalties wander along the border of feasibility: record the feasible assignment
   * strict chains reach from this local optimum, leaving the search where it is.
   */
  private project(s: PlacementState, rng: Rng): void {
    this.repairChains ??= new EjectionChain(this.cp, this.lists);
    this.scratch ??= new PlacementState(this.cp);
    this.scratch.copyFrom(s);
    this.repairChains.descend(this.scratch, rng, { deadline: this.deadline, stop: this.stop });
    this.recordIfBest(this.scratch);
  }

  private timeUp(): boolean {
    return performance.now() > this.deadline || (this.stop?.() ?? false);
  }

  private recordIfBest(s: PlacementState): void {
    if (s.assigned !== this.cp.n || s.excess() > 0) return;
    const f = s.objective();
    if (f < this.bestF - this.eps) {
      this.bestF = f;
      this.bestNode.set(s.node);
      this.bestOpt.set(s.opt);
    }
  }

  private adaptWeights(s: PlacementState): void {
    const { m, R, cap } = this.cp;
    const floor = this.baseWeight * 1e-3;
    for (let i = 0; i < m; i++) {
      for (let r = 0; r < R; r++) {
        const k = i * R + r;
        if (s.count[i] > 0 && s.load[k] > cap[k] + 1e-9 * (1 + Math.abs(cap[k]))) this.weight[k] *= WEIGHT_UP;
        else this.weight[k] = Math.max(floor, this.weight[k] * WEIGHT_DOWN);
      }
    }
    const w = this.links.weight;
    for (let l = 0; l < this.cp.L; l++) w[l] = s.linkExcess(l) > 0 ? w[l] * WEIGHT_UP : Math.max(floor, w[l] * WEIGHT_DOWN);
  }

  /** Weighted relative excess of node i if its loads changed by `sign x optW[o]` and `sign2 x optW[o2]`. */
  private penaltyDelta(s: PlacementState, i: number, o: number, sign: number, o2: number, sign2: number): number {
    const { R, cap, optW } = this.cp;
    let d = 0;
    for (let r = 0; r < R; r++) {
      const k = i * R + r;
      const c = cap[k];
      if (c === Infinity) continue;
      const before = s.load[k];
      let after = before + sign * optW[o * R + r];
      if (o2 >= 0) after += sign2 * optW[o2 * R + r];
      const eb = before > c ? before - c : 0;
      const ea = after > c ? after - c : 0;
      if (ea !== eb) d += this.weight[k] * (ea - eb) * s.invCap[k];
    }
    return d;
  }

  /**
   * Change of lambda x peak when node a's utilization becomes ua and b's ub (b = -1: only a), or
   * +Infinity when the move cannot beat `threshold` anyway: the peak moves by at most the
   * larger change of the two nodes.
   */
  private balanceDelta(s: PlacementState, a: number, ua: number, b: number, ub: number, threshold: number): number {
    const cp = this.cp;
    if (cp.lambda === 0) return 0;
    const bound = cp.lambda * Math.max(Math.abs(ua - s.util[a]), b >= 0 ? Math.abs(ub - s.util[b]) : 0);
    if (threshold - bound >= -this.eps) return Infinity;
    if (this.balanceStale) {
      this.balance.rebuild(s);
      this.balanceStale = false;
    }
    return cp.lambda * (this.balance.peakIf(a, ua, b, ub) - this.balance.peak);
  }

  /** Shift and swap descent, then ejection chains, until no move improves P. */
  private descend(s: PlacementState): void {
    for (;;) {
      if (this.shiftPass(s)) continue;
      if (this.timeUp()) return;
      if (this.swapPass(s)) continue;
      if (this.timeUp()) return;
      if (this.useChains && this.chainPass(s)) continue;
      if (this.nodeMoves && s.excess() === 0 && this.nodeMoves.pass(s)) {
        this.balanceStale = true;
        continue;
      }
      return;
    }
  }

  /**
   * Delta P of moving j to node b with option o2 (b may be j's node: a variant change), or
   * +Infinity when the balance bound shows it cannot go below `threshold`.
   */
  private shiftDelta(s: PlacementState, j: number, b: number, o2: number, threshold: number): number {
    const cp = this.cp;
    const a = s.node[j];
    const o = s.opt[j];
    let d: number;
    if (b === a) d = cp.optCost[o2] - cp.optCost[o] + this.penaltyDelta(s, a, o, -1, o2, 1);
    else {
      d = cp.optCost[o2] - cp.optCost[o] - (s.count[a] === 1 ? cp.idleCost[a] : 0) + (s.count[b] === 0 ? cp.idleCost[b] : 0);
      d += this.penaltyDelta(s, a, o, -1, -1, 0) + this.penaltyDelta(s, b, o2, 1, -1, 0);
    }
    if (cp.L > 0) d += this.links.delta(s, o, -1, o2, -1);
    if (cp.lambda > 0) {
      const bd = b === a ? this.balanceDelta(s, a, s.utilWith(a, o, o2), -1, 0, d - threshold) : this.balanceDelta(s, a, s.utilWith(a, o, -1), b, s.utilWith(b, -1, o2), d - threshold);
      if (bd === Infinity) return Infinity;
      d += bd;
    }
    return d;
  }

  /** Best improving shift of j (other node or variant, not to `skipNode`): delta P, move in scratch fields. */
  private bestShift(s: PlacementState, j: number, skipNode: number): number {
    const cp = this.cp;
    const a = s.node[j];
    const o = s.opt[j];
    const { start, nodes } = this.lists;
    let best = -this.eps;
    this.moveNode = -1;
    for (let t = start[j]; t < start[j + 1]; t++) {
      const b = nodes[t];
      if (b === skipNode) continue;
      const k = cp.nodeClass[b];
      const hi = cp.optStart[j * cp.K + k + 1];
      for (let o2 = cp.optStart[j * cp.K + k]; o2 < hi; o2++) {
        if (b === a && o2 === o) continue;
        this.evaluations++;
        const d = this.shiftDelta(s, j, b, o2, best);
        if (d < best) {
          best = d;
          this.moveNode = b;
          this.moveOpt = o2;
        }
      }
    }
    return best;
  }

  private moveNode = -1;
  private moveOpt = -1;

  private shiftPass(s: PlacementState): boolean {
    let improved = false;
    for (let t = 0; t < this.order.length; t++) {
      const j = this.order[t];
      if (this.bestShift(s, j, -1) < -this.eps && this.moveNode >= 0) {
        s.move(j, this.moveNode, this.moveOpt);
        this.balanceStale = true;
        improved = true;
      }
      if ((t & 255) === 255 && this.timeUp()) return improved;
    }
    return improved;
  }

  /** Cheapest option of j on node i given that `outOpt` leaves i, as cost + penalty delta of i. */
  private swapIn(s: PlacementState, j: number, i: number, outOpt: number): number {
    const cp = this.cp;
    const k = cp.nodeClass[i];
    let best = Infinity;
    for (let o = cp.optStart[j * cp.K + k]; o < cp.optStart[j * cp.K + k + 1]; o++) {
      const d = cp.optCost[o] + this.penaltyDelta(s, i, outOpt, -1, o, 1);
      if (d < best) {
        best = d;
        this.swapOpt = o;
      }
    }
    return best;
  }

  private swapOpt = -1;

  private swapPass(s: PlacementState): boolean {
    const cp = this.cp;
    const { start, nodes } = this.lists;
    let improved = false;
    for (let t = 0; t < this.order.length; t++) {
      const j = this.order[t];
      const a = s.node[j];
      const oj = s.opt[j];
      let done = false;
      for (let u = start[j]; u < start[j + 1] && !done; u++) {
        const b = nodes[u];
        if (b === a) continue;
        for (let q = s.head[b]; q >= 0; q = s.nextOf[q]) {
          const ok = s.opt[q];
          const inB = this.swapIn(s, j, b, ok);
          if (inB === Infinity) break;
          const ojNew = this.swapOpt;
          const inA = this.swapIn(s, q, a, oj);
          if (inA === Infinity) continue;
          const okNew = this.swapOpt;
          this.evaluations++;
          let d = inB + inA - cp.optCost[oj] - cp.optCost[ok];
          if (cp.L > 0) d += this.links.delta(s, oj, ok, ojNew, okNew);
          if (cp.lambda > 0) {
            const bd = this.balanceDelta(s, a, s.utilWith(a, oj, okNew), b, s.utilWith(b, ok, ojNew), d);
            if (bd === Infinity) continue;
            d += bd;
          }
          if (d < -this.eps) {
            s.remove(j);
            s.remove(q);
            s.add(j, b, ojNew);
            s.add(q, a, okNew);
            this.balanceStale = true;
            improved = true;
            done = true;
            break;
          }
        }
      }
      if ((t & 63) === 63 && this.timeUp()) return improved;
    }
    return improved;
  }

  /** One pass of ejection chains (ejection-chain.ts) from every workload, judged by this search's weights. */
  private chainPass(s: PlacementState): boolean {
    this.chains ??= new EjectionChain(this.cp, this.lists, undefined, { node: this.weight, link: this.links.weight });
    let improved = false;
    for (let t = 0; t < this.order.length; t++) {
      if (this.chains.improveFrom(s, this.order[t])) {
        this.balanceStale = true;
        improved = true;
      }
      if ((t & 15) === 15 && this.timeUp()) return improved;
    }
    return improved;
  }
}
