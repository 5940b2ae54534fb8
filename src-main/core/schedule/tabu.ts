/**
 * A short penalised tabu search over shift and swap moves: the "stronger local search" the
 * improved ACO runs on its iteration-best ant when the problem is small enough to scan every
 * move each step (n x m up to FULL_LIST_LIMIT; larger fleets use local-search.ts).
 *
 * Each step applies the best non-tabu move on P = F + sum w[i,r] x relative excess[i,r] +
 * sum w[l] x relative excess[l] over nodes, resources and links (all shifts and all swaps). Moving workload j off node a forbids j from returning to a for a
 * random tenure; a tabu move is still taken when it yields a feasible assignment better than the
 * best feasible one (aspiration). Weights of violated constraints grow by (1 + delta) each step
 * and every weight shrinks by the same factor while the assignment is feasible: strategic
 * oscillation along the feasibility border (Diaz & Fernandez, "A tabu search heuristic for the
 * generalized assignment problem", EJOR 132, 2001; per-constraint weights after Yagiura,
 * Ibaraki & Glover 2004).
 *
 * @example
 * const ts = new TabuSearch(cp, rng);
 * ts.run(state, { iterations: 500, deadline: Infinity });
 * if (ts.bestF < Infinity) state.setFrom(ts.bestNode, ts.bestOpt);
 */
import { LinkPenalty } from './link-penalty';
import { PeakIndex } from './peak';
import { nodeGroups, workloadGroups } from './symmetry';
import { costScales, type CompiledProblem } from './compiled';
import type { NodeMoves } from './node-moves';
import type { Rng } from '../../common/random';
import type { PlacementState } from './state';

export interface TabuBudget {
  iterations: number;
  deadline: number;
  /** Cooperative cancel, polled with the clock. */
  stop?: () => boolean;
  /** Called with each new best feasible objective as it is found (anytime reporting). */
  onBest?: (f: number) => void;
}

/** Steps between passes of node moves. */
const NODE_MOVES_EVERY = 10;

export interface TabuParams {
  /** Weight change per step (Diaz & Fernandez adapt their penalty factor every iteration too). */
  delta: number;
  /** Tenure is tenureMin x m + a random part up to tenureSpan x n steps. */
  tenureMin: number;
  tenureSpan: number;
  /** Steps without a new best after which the search returns to the best feasible assignment (0: never). */
  backToBest: number;
}

/** Tuned on OR-Library types C and D (bench/schedule). */
export const defaultTabuParams: TabuParams = { delta: 0.2, tenureMin: 0.25, tenureSpan: 0.05, backToBest: 100 };

export class TabuSearch {
  readonly bestNode: Int32Array;
  readonly bestOpt: Int32Array;
  bestF = Infinity;
  private readonly weight: Float64Array;
  private readonly tabuUntil: Int32Array;
  private readonly baseWeight: number;
  private readonly eps: number;
  private readonly tenureMin: number;
  private readonly tenureSpan: number;
  private step = 0;
  /** 1 for nodes over capacity at the start of the current step. */
  private readonly viol: Uint8Array;
  /** Capacity plus the feasibility tolerance, per node and resource. */
  private readonly capTol: Float64Array;
  /** Weighted excess of each node at the start of the current step. */
  private readonly penalty: Float64Array;
  private readonly peakIndex: PeakIndex;
  /** Link capacities: their weights and the change a move makes. */
  private readonly links: LinkPenalty;
  /** Weighted link excess on the path of each workload's option at the start of the step (what moving it can save). */
  private readonly pathPenalty: Float64Array;
  /** Touched links over capacity before the move being considered (set with `hurt`). */
  private linkViolated = 0;
  /** Nodes with the same class, capacities, idle cost and balance flag share a group. */
  private readonly group: Int32Array;
  /** Workloads with identical options share a group. */
  private readonly twin: Int32Array;
  /** Lowest-index empty node of each group at the start of the step (-1: none). */
  private readonly firstEmpty: Int32Array;
  /** Cheapest option of workload j on node i at j*m + i (-1: cannot run there). */
  private readonly cheap: Int32Array;
  /** Set by nodeDelta when the evaluated move leaves a node over capacity. */
  private hurt = false;

  constructor(
    readonly cp: CompiledProblem,
    private readonly rng: Rng,
    readonly params: TabuParams = defaultTabuParams,
    /** Node close/relocate moves, tried every NODE_MOVES_EVERY steps while feasible (fleets with idle energy). */
    private readonly nodeMoves: NodeMoves | null = null,
  ) {
    this.bestNode = new Int32Array(cp.n);
    this.bestOpt = new Int32Array(cp.n);
    this.weight = new Float64Array(cp.m * cp.R);
    this.tabuUntil = new Int32Array(cp.n * cp.m);
    this.viol = new Uint8Array(cp.m);
    this.penalty = new Float64Array(cp.m);
    this.capTol = cp.cap.map((c) => c + 1e-9 * (1 + Math.abs(c)));
    this.peakIndex = new PeakIndex();
    this.links = new LinkPenalty(cp);
    this.pathPenalty = new Float64Array(cp.n);
    this.group = nodeGroups(cp);
    this.twin = workloadGroups(cp);
    this.firstEmpty = new Int32Array(cp.m);
    this.cheap = new Int32Array(cp.n * cp.m);
    for (let j = 0; j < cp.n; j++) for (let i = 0; i < cp.m; i++) this.cheap[j * cp.m + i] = this.cheapestIn(j, i);
    const { spread, scale, idle } = costScales(cp);
    this.baseWeight = (Math.max(spread / cp.n, 1e-9) * cp.n) / cp.m + idle / cp.m + cp.lambda / cp.m;
    this.eps = 1e-9 * (1 + scale / cp.n);
    this.weight.fill(this.baseWeight);
    this.links.weight.fill(this.baseWeight);
    // Long enough to leave a basin, short enough not to freeze the few good nodes of a workload.
    this.tenureMin = Math.max(2, Math.round(cp.m * params.tenureMin));
    this.tenureSpan = Math.max(2, Math.round(cp.n * params.tenureSpan));
  }

  resetWeights(): void {
    this.weight.fill(this.baseWeight);
    this.links.weight.fill(this.baseWeight);
    this.tabuUntil.fill(0);
    this.step = 0;
  }

  resetBest(): void {
    this.bestF = Infinity;
  }

  private lastBest = 0;

  private onBest: ((f: number) => void) | undefined;

  run(s: PlacementState, budget: TabuBudget): void {
    this.onBest = budget.onBest;
    this.record(s);
    for (let it = 0; it < budget.iterations; it++) {
      if ((it & 7) === 7 && (performance.now() > budget.deadline || budget.stop?.())) break;
      this.step++;
      if (!this.bestMove(s)) break;
      this.apply(s);
      this.record(s);
      this.adapt(s);
      if (this.nodeMoves && this.step % NODE_MOVES_EVERY === 0 && s.excess() === 0) {
        while (this.nodeMoves.pass(s));
        this.record(s);
      }
      if (this.params.backToBest > 0 && this.step - this.lastBest > this.params.backToBest && this.bestF < Infinity) {
        s.setFrom(this.bestNode, this.bestOpt);
        this.lastBest = this.step;
      }
    }
  }

  private record(s: PlacementState): void {
    if (s.assigned !== this.cp.n || s.excess() > 0) return;
    const f = s.objective();
    if (f < this.bestF - this.eps) {
      this.lastBest = this.step;
      this.bestF = f;
      this.bestNode.set(s.node);
      this.bestOpt.set(s.opt);
      this.onBest?.(f);
    }
  }

  private adapt(s: PlacementState): void {
    const { m, R, L, cap } = this.cp;
    const up = 1 + this.params.delta;
    let violated = false;
    for (let i = 0; i < m; i++) {
      if (s.count[i] === 0) continue;
      for (let r = 0; r < R; r++) {
        const k = i * R + r;
        if (s.load[k] > cap[k] + 1e-9 * (1 + Math.abs(cap[k]))) {
          this.weight[k] *= up;
          violated = true;
        }
      }
    }
    for (let l = 0; l < L; l++) {
      if (s.linkExcess(l) > 0) {
        this.links.weight[l] *= up;
        violated = true;
      }
    }
    if (!violated) {
      const floor = this.baseWeight * 1e-3;
      for (let k = 0; k < this.weight.length; k++) this.weight[k] = Math.max(floor, this.weight[k] / up);
      for (let l = 0; l < L; l++) this.links.weight[l] = Math.max(floor, this.links.weight[l] / up);
    }
  }

  /** Weighted excess change of node i when `out` leaves and `inn` arrives (either may be -1); sets `hurt` when i ends over capacity. */
  private nodeDelta(s: PlacementState, i: number, out: number, inn: number, current = false): number {
    const { R, cap, optW } = this.cp;
    let d = 0;
    if (current) {
      for (let r = 0; r < R; r++) {
        const k = i * R + r;
        const x = s.load[k] - cap[k];
        if (x > 0) d += this.weight[k] * x * s.invCap[k];
      }
      return d;
    }
    for (let r = 0; r < R; r++) {
      const k = i * R + r;
      const c = cap[k];
      if (c === Infinity) continue;
      const before = s.load[k];
      let after = before;
      if (out >= 0) after -= optW[out * R + r];
      if (inn >= 0) after += optW[inn * R + r];
      const ea = after > c + 1e-9 * (1 + Math.abs(c)) ? after - c : 0;
      const eb = before > c + 1e-9 * (1 + Math.abs(c)) ? before - c : 0;
      if (ea > 0) this.hurt = true;
      if (ea !== eb) d += this.weight[k] * (ea - eb) * s.invCap[k];
    }
    return d;
  }

  private moveJ = -1;
  private moveB = -1;
  private moveO = -1;
  private moveQ = -1;
  private moveOq = -1;

  private best = Infinity;
  private ties = 0;
  private F0 = 0;
  private otherViolated = 0;

  /**
   * Keeps the move when it beats the best so far (ties broken at random). A tabu move counts only
   * when it gives a feasible assignment better than the best feasible (aspiration).
   */
  private consider(d: number, dF: number, tabu: boolean, a: number, b: number): boolean {
    // Between interchangeable nodes a move only redistributes load: take it when it strictly
    // improves or relieves an overloaded node, never as a sideways step (the MAD is flat there).
    if (a !== b && this.group[a] === this.group[b] && d >= -this.eps && !this.viol[a] && !this.viol[b]) return false;
    if (tabu) {
      const rest = this.otherViolated - this.viol[a] - (b !== a ? this.viol[b] : 0) - this.linkViolated;
      if (this.hurt || rest > 0 || !(this.F0 + dF < this.bestF - this.eps)) return false;
    }
    if (d < this.best - this.eps) {
      this.best = d;
      this.ties = 1;
      return true;
    }
    return d <= this.best + this.eps && this.rng.int(++this.ties) === 0;
  }

  /** Finds the best admissible move over all shifts and swaps; false when every move is tabu. */
  private bestMove(s: PlacementState): boolean {
    const cp = this.cp;
    const { n, m, K, optCost } = cp;
    this.best = Infinity;
    this.ties = 0;
    this.moveJ = -1;
    this.F0 = cp.lambda > 0 ? s.objective() : s.costSum;
    const lambda = cp.lambda;
    const linked = cp.L > 0;
    const R1 = cp.R === 1 && !linked;
    const { optW, cap } = cp;
    const { load, invCap } = s;
    const { weight, capTol, pathPenalty, links } = this;
    if (lambda > 0) this.peakIndex.rebuild(s);
    this.otherViolated = linked ? links.violated(s) : 0;
    if (linked) for (let j = 0; j < n; j++) pathPenalty[j] = links.onPath(s, s.opt[j]);
    this.linkViolated = 0;
    const cheap = this.cheap;
    this.firstEmpty.fill(-1);
    for (let i = m - 1; i >= 0; i--) if (s.count[i] === 0) this.firstEmpty[this.group[i]] = i;
    for (let i = 0; i < m; i++) {
      this.viol[i] = s.count[i] > 0 && s.nodeExcess(i) > 0 ? 1 : 0;
      this.otherViolated += this.viol[i];
      this.penalty[i] = this.viol[i] ? this.nodeDelta(s, i, -1, -1, true) : 0;
    }
    for (let j = 0; j < n; j++) {
      const a = s.node[j];
      const oj = s.opt[j];
      for (let b = 0; b < m; b++) {
        const k = cp.nodeClass[b];
        const hi = cp.optStart[j * K + k + 1];
        for (let o2 = cp.optStart[j * K + k]; o2 < hi; o2++) {
          if (b === a && o2 === oj) continue;
          // Identical empty nodes are one choice, and moving a lone workload to a twin of its
          // node only relabels: skipping both keeps the search off symmetric plateaus.
          if (b !== a && s.count[b] === 0 && (this.firstEmpty[this.group[b]] !== b || (s.count[a] === 1 && this.group[a] === this.group[b]))) continue;
          let dF = optCost[o2] - optCost[oj];
          // The peak moves by at most the utilization the moved options carry: prune moves that cannot beat the best.
          const bound = lambda > 0 ? lambda * (this.utilOf(a, oj) + this.utilOf(b, o2)) : 0;
          if (dF - cp.idleCost[a] - this.penalty[a] - pathPenalty[j] - bound > this.best + this.eps) continue;
          this.hurt = false;
          let d: number;
          if (b === a) d = this.nodeDelta(s, a, oj, o2);
          else {
            dF += (s.count[b] === 0 ? cp.idleCost[b] : 0) - (s.count[a] === 1 ? cp.idleCost[a] : 0);
            d = this.nodeDelta(s, a, oj, -1) + this.nodeDelta(s, b, -1, o2);
          }
          if (linked) {
            d += links.delta(s, oj, -1, o2, -1);
            this.hurt ||= links.hurt;
            this.linkViolated = links.touchedViolated;
          }
          if (bound > 0) {
            if (d + dF - bound > this.best + this.eps) continue;
            dF += b === a ? this.peakDelta(s.utilWith(a, oj, o2), a, 0, -1) : this.peakDelta(s.utilWith(a, oj, -1), a, s.utilWith(b, -1, o2), b);
          }
          const tabu = b !== a && this.tabuUntil[j * m + b] > this.step;
          if (this.consider(d + dF, dF, tabu, a, b)) {
            this.moveJ = j;
            this.moveB = b;
            this.moveO = o2;
            this.moveQ = -1;
          }
        }
      }
      const cheapJ = j * m;
      const penA = this.penalty[a];
      for (let q = j + 1; q < n; q++) {
        const b = s.node[q];
        if (b === a || this.twin[q] === this.twin[j]) continue; // swapping identical workloads changes nothing
        const ojNew = cheap[cheapJ + b];
        if (ojNew < 0) continue;
        const oqNew = cheap[q * m + a];
        if (oqNew < 0) continue;
        const oq = s.opt[q];
        let dF = optCost[ojNew] + optCost[oqNew] - optCost[oj] - optCost[oq];
        const bound = lambda > 0 ? lambda * (this.utilOf(a, oj) + this.utilOf(a, oqNew) + this.utilOf(b, oq) + this.utilOf(b, ojNew)) : 0;
        // The penalty can fall by at most what nodes a and b and the two paths carry now.
        if (dF - penA - this.penalty[b] - pathPenalty[j] - pathPenalty[q] - bound > this.best + this.eps) continue;
        let d: number;
        if (R1) {
          // One resource (pure assignment): the same as two nodeDelta calls, inlined for speed.
          const la = load[a];
          const lb = load[b];
          const na = la - optW[oj] + optW[oqNew];
          const nb = lb - optW[oq] + optW[ojNew];
          const ea = na > capTol[a] ? na - cap[a] : 0;
          const eb = nb > capTol[b] ? nb - cap[b] : 0;
          this.hurt = ea > 0 || eb > 0;
          d = weight[a] * (ea - (la > capTol[a] ? la - cap[a] : 0)) * invCap[a] + weight[b] * (eb - (lb > capTol[b] ? lb - cap[b] : 0)) * invCap[b];
        } else {
          this.hurt = false;
          d = this.nodeDelta(s, a, oj, oqNew) + this.nodeDelta(s, b, oq, ojNew);
          if (linked) {
            d += links.delta(s, oj, oq, ojNew, oqNew);
            this.hurt ||= links.hurt;
            this.linkViolated = links.touchedViolated;
          }
        }
        if (bound > 0) {
          if (d + dF - bound > this.best + this.eps) continue;
          dF += this.peakDelta(s.utilWith(a, oj, oqNew), a, s.utilWith(b, oq, ojNew), b);
        }
        const tabu = this.tabuUntil[j * m + b] > this.step || this.tabuUntil[q * m + a] > this.step;
        if (this.consider(d + dF, dF, tabu, a, b)) {
          this.moveJ = j;
          this.moveB = b;
          this.moveO = ojNew;
          this.moveQ = q;
          this.moveOq = oqNew;
        }
      }
    }
    return this.moveJ >= 0;
  }

  /** Cheapest option of j on node i (variants differ in cost; their weights are judged by the move). */
  private cheapestIn(j: number, i: number): number {
    const cp = this.cp;
    const k = cp.nodeClass[i];
    const lo = cp.optStart[j * cp.K + k];
    const hi = cp.optStart[j * cp.K + k + 1];
    let best = lo < hi ? lo : -1;
    for (let o = lo + 1; o < hi; o++) if (cp.optCost[o] < cp.optCost[best]) best = o;
    return best;
  }

  /** The most option o can change node i's utilization by. */
  private utilOf(i: number, o: number): number {
    const { R, optW, utilScale } = this.cp;
    let u = 0;
    for (let r = 0; r < R; r++) {
      const x = optW[o * R + r] * utilScale[i * R + r];
      if (x > u) u = x;
    }
    return u;
  }

  /** lambda x change of the peak when node a's utilization becomes ua and b's ub (b = -1: only a). */
  private peakDelta(ua: number, a: number, ub: number, b: number): number {
    return this.cp.lambda * (this.peakIndex.peakIf(a, ua, b, ub) - this.peakIndex.peak);
  }

  private apply(s: PlacementState): void {
    const { m } = this.cp;
    const j = this.moveJ;
    const a = s.node[j];
    const tenure = () => this.step + this.tenureMin + this.rng.int(this.tenureSpan);
    if (this.moveQ < 0) {
      if (this.moveB !== a) this.tabuUntil[j * m + a] = tenure();
      s.move(j, this.moveB, this.moveO);
      return;
    }
    const q = this.moveQ;
    const b = this.moveB;
    this.tabuUntil[j * m + a] = tenure();
    this.tabuUntil[q * m + b] = tenure();
    s.remove(j);
    s.remove(q);
    s.add(j, b, this.moveO);
    s.add(q, a, this.moveOq);
  }
}
