/**
 * The improved ant colony optimisation: one colony, steppable (`step()` is one iteration), run
 * in this thread by `solveAco` or in a worker by `aco-parallel.ts` (several colonies sharing
 * their best assignment). What it adds to the basic Ant System (ant-system.ts):
 *
 * - MAX-MIN pheromone bounds and restarts (Stutzle & Hoos, "MAX-MIN Ant System", Future
 *   Generation Computer Systems 16(8), 2000): tau in [tau_min, tau_max], tau_max = 1/(rho F*),
 *   tau_min from p_best; reinitialised to tau_max when the colony stagnates.
 * - Updates by the iteration-best or the best-so-far ant on an alternating schedule that
 *   favours the best-so-far more and more after each restart (Dorigo & Stutzle, Ant Colony
 *   Optimization, MIT Press 2004, sec. 3.3.4 and 3.7.2).
 * - Adaptive evaporation: rho follows the colony's diversity, measured by the lambda-branching
 *   factor (Gambardella & Dorigo 1995): rho_max while pheromone is spread, rho_min as it converges.
 * - A load-aware heuristic, recomputed as the ant builds: eta = cost efficiency^beta x (slack + 0.1)^gamma,
 *   where slack is the remaining capacity on the tightest resource of the node (or link of the
 *   path) after the placement.
 * - Candidate lists for large fleets (candidates.ts) and the penalised local search with
 *   adaptive weights (local-search.ts) on the iteration-best ant.
 * - Small problems: a penalised tabu search (tabu.ts) instead, started every other iteration from
 *   a path between two elite assignments rather than from an ant (path relinking,
 *   path-relinking.ts), and ejection chains (ejection-chain.ts) polishing each new best.
 *
 * Constraints: ants only choose nodes with room (a forced choice takes the least overload);
 * the local search crosses infeasible regions under adaptive penalties and keeps the best
 * feasible assignment, so the best-so-far is always feasible once one has been found.
 */
import { candidateLists, FULL_LIST_LIMIT } from './candidates';
import { ElitePool } from './path-relinking';
import { peakKick, PeakMoves } from './peak-moves';
import { balancedNodes, type CompiledProblem } from './compiled';
import { defaultChainParams, EjectionChain, type ChainParams } from './ejection-chain';
import { byDecreasingMinCost, greedyFill, solveGreedy } from './greedy';
import { LocalSearch } from './local-search';
import { NodeMoves } from './node-moves';
import { leastExcessChoice, repairOverloads } from './repair';
import { Rng } from '../../common/random';
import { defaultTabuParams, TabuSearch, type TabuParams } from './tabu';
import { RunControl, resultOf } from './run-control';
import type { SolveOptions, SolveResult } from './scheduler';
import { PlacementState, type NodeLists } from './state';

export interface AcoParams {
  /** Pheromone and heuristic exponents: Dorigo & Stutzle (2004) defaults for MMAS, alpha 1, beta 2. */
  alpha: number;
  beta: number;
  /** Exponent of the remaining-capacity factor of the load-aware heuristic. */
  gamma: number;
  /** Evaporation range; 0.02 is the MMAS default (Stutzle's ACOTSP), 0.2 the fast end. */
  rhoMin: number;
  rhoMax: number;
  /** Probability that the best solution is built once the colony has converged (Stutzle & Hoos 2000). */
  pBest: number;
  ants: number;
  /** Candidate list length for large fleets. */
  candidates: number;
  /** Weight updates of the descent local search per iteration. */
  lsRounds: number;
  /** Time cap of the descent local search per iteration, ms (large fleets). */
  lsMaxMs: number;
  /** Iterations without a new best before a restart. */
  stagnation: number;
  /** Ejection chains in the descent local search (stronger, slower). */
  chains: boolean;
  /** Improvement of the iteration-best: tabu search (small problems), descent, or chosen by size. */
  improver: 'tabu' | 'descent' | 'auto';
  /**
   * Tabu steps per iteration; 'auto': 2000 for pure assignment (GAP), 30 for fleets with idle
   * energy, where node moves do the heavy lifting and more iterations explore more sets of
   * switched-on nodes (tuned on OR-Library C/D and generated 200 x 20 fleets).
   */
  tabuSteps: number | 'auto';
  tabu: TabuParams;
  /**
   * Ejection chains (ejection-chain.ts) that polish an iteration-best that beats the best so far,
   * after the tabu search, without leaving feasibility; null: none.
   */
  ejection: ChainParams | null;
  /** Every how many iterations the tabu search starts from a path between two elite assignments instead of the iteration-best ant (0: never). */
  relinkEvery: number;
}

export const defaultAcoParams: AcoParams = {
  alpha: 1,
  beta: 2,
  gamma: 1,
  rhoMin: 0.02,
  rhoMax: 0.2,
  pBest: 0.05,
  ants: 10,
  candidates: 32,
  lsRounds: 8,
  lsMaxMs: 1500,
  stagnation: 60,
  chains: false,
  improver: 'auto',
  tabuSteps: 'auto',
  tabu: defaultTabuParams,
  ejection: defaultChainParams,
  relinkEvery: 2,
};

/** Tabu steps that repair a kicked best-so-far (fleets). */
const KICK_STEPS = 150;

export class AcoColony {
  readonly lists: NodeLists;
  readonly best: PlacementState;
  bestF = Infinity;
  iteration = 0;
  restarts = 0;
  private readonly tau: Float64Array;
  private readonly rng: Rng;
  private readonly ant: PlacementState;
  private readonly iterBest: PlacementState;
  private readonly ls: LocalSearch;
  private readonly tabu: TabuSearch | null;
  private readonly ejection: EjectionChain | null;
  private readonly elite: ElitePool | null;
  private readonly peakMoves: PeakMoves | null;
  private readonly nodeMoves: NodeMoves | null;
  private readonly kicked: PlacementState;
  private readonly order: Int32Array;
  private readonly cmin: Float64Array;
  private readonly spread: Float64Array;
  private readonly prob: Float64Array;
  private readonly pickNode: Int32Array;
  private readonly pickOpt: Int32Array;
  private readonly pick = new Int32Array(2);
  private readonly perNode: number;
  private readonly avgChoices: number;
  private rho: number;
  private tauMax = 1;
  private tauMin = 0;
  private sinceRestart = 0;
  private sinceImprovement = 0;
  private readonly tabuSteps: number;
  /**
   * Told of a new best as soon as the tabu search finds one, before the iteration ends (the
   * colony adopts it at the end of the step either way); for anytime traces and early stops.
   */
  onFound: ((f: number) => void) | null = null;

  constructor(
    readonly cp: CompiledProblem,
    seed: number,
    readonly params: AcoParams = defaultAcoParams,
  ) {
    this.rng = new Rng(seed);
    this.lists = candidateLists(cp, params.candidates);
    this.tau = new Float64Array(this.lists.nodes.length);
    this.ant = new PlacementState(cp);
    this.iterBest = new PlacementState(cp);
    this.best = new PlacementState(cp);
    const hasIdle = cp.idleCost.some((c) => c > 0);
    const nodeMoves = hasIdle ? new NodeMoves(cp, this.lists) : null;
    this.nodeMoves = nodeMoves;
    this.kicked = new PlacementState(cp);
    this.tabuSteps = params.tabuSteps === 'auto' ? (hasIdle ? 30 : 2000) : params.tabuSteps;
    this.ls = new LocalSearch(cp, this.lists, nodeMoves);
    this.ls.useChains = params.chains;
    const small = cp.n * cp.m <= FULL_LIST_LIMIT;
    this.tabu = params.improver === 'tabu' || (params.improver === 'auto' && small) ? new TabuSearch(cp, this.rng, params.tabu, nodeMoves) : null;
    this.ejection = this.tabu && params.ejection ? new EjectionChain(cp, this.lists, params.ejection) : null;
    this.elite = this.tabu && params.relinkEvery > 0 ? new ElitePool(cp) : null;
    this.peakMoves = cp.lambda > 0 ? new PeakMoves(cp, this.lists) : null;
    this.order = Int32Array.from({ length: cp.n }, (_, j) => j);
    this.cmin = new Float64Array(cp.n);
    this.spread = new Float64Array(cp.n);
    let widest = 0;
    for (let j = 0; j < cp.n; j++) {
      let lo = Infinity;
      let sum = 0;
      let count = 0;
      for (let o = cp.optStart[j * cp.K]; o < cp.optStart[(j + 1) * cp.K]; o++) {
        lo = Math.min(lo, cp.optCost[o]);
        sum += cp.optCost[o];
        count++;
      }
      this.cmin[j] = lo;
      // Scale of "a lot more expensive" for this workload: its mean extra cost over the cheapest.
      this.spread[j] = Math.max(sum / count - lo, 1e-9 * (1 + Math.abs(lo)));
      widest = Math.max(widest, this.lists.start[j + 1] - this.lists.start[j]);
    }
    this.prob = new Float64Array(widest);
    this.pickNode = new Int32Array(widest);
    this.pickOpt = new Int32Array(widest);
    this.perNode = Math.max(1, cp.n / Math.max(1, balancedNodes(cp)));
    this.avgChoices = Math.max(2, this.lists.nodes.length / cp.n);
    this.rho = params.rhoMax;
    // tau_0 = tau_max of the greedy assignment, as MMAS starts from a constructive tour.
    const g = new PlacementState(cp);
    greedyFill(g, byDecreasingMinCost(cp), this.lists);
    this.setBounds(g.objective());
    this.tau.fill(this.tauMax);
  }

  /**
   * One iteration: ants build, the iteration-best is improved, pheromone is updated. Returns true
   * on a new best. `stop` (cooperative cancel) and the deadline also cut the local search short.
   */
  step(deadline: number, stop?: () => boolean): boolean {
    const { params } = this;
    let iterBestKey = Infinity;
    for (let a = 0; a < params.ants; a++) {
      this.construct(this.ant);
      // Feasible ants first, then by objective: excess is scaled far above any cost.
      const key = this.ant.objective() + this.ant.excess() * 1e12;
      if (key < iterBestKey) {
        iterBestKey = key;
        this.iterBest.copyFrom(this.ant);
      }
    }
    if (this.tabu) {
      // Path relinking: some iterations search from between two elite assignments instead.
      if (this.elite && this.iteration % this.params.relinkEvery === this.params.relinkEvery - 1) this.elite.relink(this.iterBest, this.rng);
      this.tabu.resetBest();
      const found = this.onFound;
      const onBest = found
        ? (f: number) => {
            if (f < this.bestF - 1e-9 * (1 + Math.abs(f))) found(f);
          }
        : undefined;
      this.tabu.run(this.iterBest, { iterations: this.tabuSteps, deadline, stop, onBest });
      if (this.tabu.bestF < Infinity) this.iterBest.setFrom(this.tabu.bestNode, this.tabu.bestOpt);
    } else {
      this.ls.resetBest();
      this.ls.run(this.iterBest, this.rng, { rounds: params.lsRounds, deadline: Math.min(deadline, performance.now() + params.lsMaxMs), stop });
      if (this.ls.bestF < Infinity) this.iterBest.setFrom(this.ls.bestNode, this.ls.bestOpt);
      // The descent leaves tight fleets (locality, links) a sliver over capacity long before its
      // weights grow enough; moving a few workloads to nodes with room finishes the job.
      else repairOverloads(this.iterBest, this.lists, this.rng);
    }
    if (this.peakMoves && this.iterBest.feasible()) while (this.peakMoves.lower(this.iterBest));
    // Chains of shifts reach what the tabu search's single shifts and swaps cannot. Only on a new
    // best: a descent costs several iterations' worth on fleets with links and the peak.
    if (this.ejection && this.iterBest.feasible() && this.iterBest.objective() < this.bestF) this.ejection.descend(this.iterBest, this.rng, { deadline, stop });
    this.elite?.offer(this.iterBest);
    if (this.nodeMoves && this.tabu && this.bestF < Infinity) this.kickBest(deadline, stop);
    if (this.peakMoves && this.tabu && this.bestF < Infinity) this.kickPeak(deadline, stop);
    let improved = false;
    if (this.iterBest.feasible()) {
      const f = this.iterBest.objective();
      if (f < this.bestF - 1e-9 * (1 + Math.abs(f))) {
        this.best.copyFrom(this.iterBest);
        this.bestF = f;
        improved = true;
      }
    }
    this.iteration++;
    this.sinceRestart++;
    this.sinceImprovement = improved ? 0 : this.sinceImprovement + 1;
    this.updatePheromone();
    if (this.sinceImprovement >= params.stagnation && this.sinceRestart >= params.stagnation) this.restart();
    return improved;
  }

  /**
   * Fleets with idle energy: switch a random open node of the best-so-far off, let the tabu
   * search repair the overloads, and keep the result as the iteration-best if it is better.
   * Closing a node needs many uphill steps that neither ants nor single moves take.
   */
  private kickBest(deadline: number, stop?: () => boolean): void {
    const { cp } = this;
    let open = 0;
    for (let i = 0; i < cp.m; i++) if (this.best.count[i] > 0 && cp.idleCost[i] > 0) open++;
    if (open < 2) return;
    let pick = this.rng.int(open);
    let node = -1;
    for (let i = 0; i < cp.m && node < 0; i++) if (this.best.count[i] > 0 && cp.idleCost[i] > 0 && pick-- === 0) node = i;
    this.kicked.copyFrom(this.best);
    this.nodeMoves!.kick(this.kicked, node);
    this.tabu!.resetBest();
    this.tabu!.run(this.kicked, { iterations: KICK_STEPS, deadline, stop });
    if (this.tabu!.bestF < Infinity && (!this.iterBest.feasible() || this.tabu!.bestF < this.iterBest.objective())) {
      this.iterBest.setFrom(this.tabu!.bestNode, this.tabu!.bestOpt);
    }
  }

  /**
   * Problems with a balance term: cap the best-so-far's peak lower and repair (peak-moves.ts);
   * kept as the iteration-best when better. Lowering a shared peak takes many moves at once.
   */
  private kickPeak(deadline: number, stop?: () => boolean): void {
    const kicked = peakKick(this.cp, this.best, this.rng, { iterations: KICK_STEPS, deadline, stop });
    if (!kicked) return;
    this.kicked.setFrom(kicked.node, kicked.opt);
    while (this.peakMoves!.lower(this.kicked));
    if (this.kicked.feasible() && (!this.iterBest.feasible() || this.kicked.objective() < this.iterBest.objective())) this.iterBest.copyFrom(this.kicked);
  }

  /** Takes another colony's best when it beats this colony's. */
  adopt(node: Int32Array, opt: Int32Array, f: number): void {
    if (f >= this.bestF - 1e-9 * (1 + Math.abs(f))) return;
    this.best.setFrom(node, opt);
    this.bestF = this.best.objective();
    this.setBounds(this.bestF);
  }

  private setBounds(f: number): void {
    const n = this.cp.n;
    this.tauMax = 1 / (this.rho * Math.max(f, 1e-12));
    // Stutzle & Hoos (2000), eq. (11), with avg = the mean number of choices per decision.
    const root = Math.pow(this.params.pBest, 1 / n);
    this.tauMin = Math.min(this.tauMax, (this.tauMax * (1 - root)) / ((this.avgChoices - 1) * root));
  }

  private construct(s: PlacementState): void {
    const { cp, params, lists, tau, prob, pickNode, pickOpt } = this;
    const R = cp.R;
    s.clear();
    this.rng.shuffle(this.order);
    const plainAlpha = params.alpha === 1;
    const linked = cp.L > 0;
    for (let q = 0; q < cp.n; q++) {
      const j = this.order[q];
      const sj = this.spread[j];
      const cj = this.cmin[j];
      let total = 0;
      let count = 0;
      for (let t = lists.start[j]; t < lists.start[j + 1]; t++) {
        const i = lists.nodes[t];
        const k = cp.nodeClass[i];
        let bestO = -1;
        let slack = 0;
        for (let o = cp.optStart[j * cp.K + k]; o < cp.optStart[j * cp.K + k + 1]; o++) {
          if (bestO >= 0 && cp.optCost[o] >= cp.optCost[bestO]) continue;
          let sl = 1;
          for (let r = 0; r < R; r++) {
            const c = cp.cap[i * R + r];
            if (c === Infinity) continue;
            const left = (c - s.load[i * R + r] - cp.optW[o * R + r]) * s.invCap[i * R + r];
            if (left < sl) sl = left;
          }
          if (linked) {
            const left = s.linkSlackAfter(o);
            if (left < sl) sl = left;
          }
          if (sl < -1e-9) continue;
          bestO = o;
          slack = sl > 0 ? sl : 0;
        }
        if (bestO < 0) continue;
        const extra = cp.optCost[bestO] - cj + (s.count[i] === 0 ? cp.idleCost[i] / this.perNode : 0);
        const eff = sj / (extra + sj);
        const eta = (params.beta === 2 ? eff * eff : Math.pow(eff, params.beta)) * (params.gamma === 1 ? slack + 0.1 : Math.pow(slack + 0.1, params.gamma));
        const w = (plainAlpha ? tau[t] : Math.pow(tau[t], params.alpha)) * eta;
        total += w;
        prob[count] = total;
        pickNode[count] = i;
        pickOpt[count] = bestO;
        count++;
      }
      if (count > 0) {
        const x = this.rng.next() * total;
        let c = 0;
        while (c < count - 1 && prob[c] <= x) c++;
        s.add(j, pickNode[c], pickOpt[c]);
      } else {
        // No candidate has room: any node with room (outside the list), else the least overload.
        leastExcessChoice(s, null, j, this.pick);
        s.add(j, this.pick[0], this.pick[1]);
      }
    }
  }

  private updatePheromone(): void {
    const { tau, lists, cp } = this;
    if (this.iteration % 10 === 0) this.adaptRho();
    const useBest = this.bestF < Infinity && this.useBestSoFar();
    const source = useBest ? this.best : this.iterBest;
    const f = useBest ? this.bestF : this.iterBest.objective() + this.iterBest.excess() * Math.max(1, Math.abs(this.bestF));
    if (this.bestF < Infinity) this.setBounds(this.bestF);
    const keep = 1 - this.rho;
    for (let t = 0; t < tau.length; t++) {
      const v = tau[t] * keep;
      tau[t] = v < this.tauMin ? this.tauMin : v;
    }
    const deposit = 1 / Math.max(f, 1e-12);
    for (let j = 0; j < cp.n; j++) {
      const i = source.node[j];
      for (let t = lists.start[j]; t < lists.start[j + 1]; t++) {
        if (lists.nodes[t] !== i) continue;
        const v = tau[t] + deposit;
        tau[t] = v > this.tauMax ? this.tauMax : v;
        break;
      }
    }
  }

  /** Alternating schedule: ib only at first, then bs every 5th, 3rd, 2nd iteration, then always. */
  private useBestSoFar(): boolean {
    const t = this.sinceRestart;
    const every = t < 25 ? 0 : t < 75 ? 5 : t < 125 ? 3 : t < 250 ? 2 : 1;
    return every > 0 && t % every === 0;
  }

  /** rho from the mean 0.05-branching factor: diverse colony -> rho_max, converged -> rho_min. */
  private adaptRho(): void {
    const { tau, lists, cp, params } = this;
    let branches = 0;
    for (let j = 0; j < cp.n; j++) {
      let lo = Infinity;
      let hi = 0;
      for (let t = lists.start[j]; t < lists.start[j + 1]; t++) {
        lo = Math.min(lo, tau[t]);
        hi = Math.max(hi, tau[t]);
      }
      const cut = lo + 0.05 * (hi - lo);
      for (let t = lists.start[j]; t < lists.start[j + 1]; t++) if (tau[t] >= cut) branches++;
    }
    const mean = branches / cp.n;
    const diversity = Math.min(1, Math.max(0, (mean - 1) / Math.max(1, this.avgChoices - 1)));
    this.rho = params.rhoMin + (params.rhoMax - params.rhoMin) * diversity;
  }

  private restart(): void {
    this.restarts++;
    this.sinceRestart = 0;
    this.sinceImprovement = 0;
    this.rho = this.params.rhoMax;
    if (this.bestF < Infinity) this.setBounds(this.bestF);
    this.tau.fill(this.tauMax);
    this.ls.resetWeights();
    this.tabu?.resetWeights();
  }
}

/** The improved ACO in this thread (one colony). */
export function solveAco(cp: CompiledProblem, options: SolveOptions = {}, params: AcoParams = defaultAcoParams): SolveResult {
  const control = new RunControl(cp, options);
  const colony = new AcoColony(cp, options.seed ?? 1, params);
  colony.onFound = (f) => control.offer(f);
  while (!control.done()) {
    if (colony.step(control.deadline, options.shouldStop)) control.offer(colony.bestF);
    control.step();
  }
  if (colony.bestF < Infinity) return resultOf(cp, 'aco', colony.best.node, colony.best.opt, control);
  // No feasible placement met before the limit: the greedy placement (with its repair) instead.
  const g = solveGreedy(cp);
  return resultOf(cp, 'aco', g.assignment, g.option, control);
}
