/**
 * Lowering the peak: the balance term lambda x (largest utilization) is flat for every single
 * move while several nodes share the peak (moving load off one of four nodes at 95% leaves the
 * peak at 95%), so shift and swap searches, ejection chains included, stop on that plateau
 * although the MIP's optimum may sit far below it (a 200 x 20 fleet: four nodes at 93-95% where
 * the optimum has every node at or below 70%, paying 4,000 J more energy to save 5,200 J of
 * balance). A peak move takes every node above a target utilization down to it at once, each by
 * moving its cheapest-to-move workloads to nodes that stay at or below the target and have room
 * (resources and links), and is kept when the objective falls.
 *
 * @example
 * const peak = new PeakMoves(cp, lists);
 * while (peak.lower(state)) {} // until no target below the peak pays
 */
import { improvementTolerance, type CompiledProblem } from './compiled';
import type { Rng } from '../../common/random';
import { PlacementState, type NodeLists } from './state';
import { TabuSearch, type TabuBudget } from './tabu';

/**
 * The problem with every balanced resource capped at `target` utilization (of full capacity):
 * what the MIP's peak variable z does when it is fixed. Any assignment feasible here is feasible
 * in `cp` with a peak of at most `target`.
 */
export function cappedProblem(cp: CompiledProblem, target: number): CompiledProblem {
  const cap = cp.cap.slice();
  for (let k = 0; k < cap.length; k++) if (cp.utilScale[k] > 0) cap[k] = Math.min(cap[k], target / cp.utilScale[k]);
  return { ...cp, cap };
}

/**
 * A kick for the balance term (small problems, with the tabu search): cap the peak a random
 * 5-30 points below the best assignment's and let a short tabu search repair the overloads
 * under its adaptive penalties, so the search can trade energy for a lower peak many moves at a
 * time. Returns the repaired assignment's node and option arrays, or null when none was feasible.
 */
export function peakKick(cp: CompiledProblem, from: PlacementState, rng: Rng, budget: TabuBudget): { node: Int32Array; opt: Int32Array } | null {
  const drop = [0.05, 0.1, 0.2, 0.3][rng.int(4)];
  const target = from.peak() - drop;
  if (target <= 0) return null;
  const capped = cappedProblem(cp, target);
  const s = new PlacementState(capped);
  s.setFrom(from.node, from.opt);
  const tabu = new TabuSearch(capped, rng);
  tabu.run(s, budget);
  return tabu.bestF < Infinity ? { node: tabu.bestNode, opt: tabu.bestOpt } : null;
}

/** Targets tried below the current peak, as utilization points. */
const STEPS = [0.01, 0.03, 0.1, 0.2];

export class PeakMoves {
  private readonly logJob: Int32Array;
  private readonly logNode: Int32Array;
  private readonly logOpt: Int32Array;
  private logLen = 0;
  private readonly eps: number;

  constructor(
    readonly cp: CompiledProblem,
    private readonly lists: NodeLists,
  ) {
    this.logJob = new Int32Array(cp.n);
    this.logNode = new Int32Array(cp.n);
    this.logOpt = new Int32Array(cp.n);
    this.eps = improvementTolerance(cp);
  }

  /** One peak move on a feasible state, the first target that pays; true when the objective fell. */
  lower(s: PlacementState): boolean {
    const cp = this.cp;
    if (cp.lambda <= 0 || !s.feasible()) return false;
    const before = s.objective();
    const peak = s.peak();
    for (const step of STEPS) {
      const target = peak - step;
      if (target <= 0) break;
      this.logLen = 0;
      if (this.bringDown(s, target) && s.feasible() && s.objective() < before - this.eps) return true;
      this.undo(s);
    }
    return false;
  }

  /** Moves workloads until no node is above `target`; false when some node cannot get there. */
  private bringDown(s: PlacementState, target: number): boolean {
    const cp = this.cp;
    for (let i = 0; i < cp.m; i++) {
      while (s.util[i] > target) {
        if (!this.moveCheapest(s, i, target)) return false;
      }
    }
    return true;
  }

  /** The workload on node i whose move to a node with room, kept at or below `target`, costs least; false when none can move. */
  private moveCheapest(s: PlacementState, i: number, target: number): boolean {
    const cp = this.cp;
    const { start, nodes } = this.lists;
    let best = Infinity;
    let bestJ = -1;
    let bestB = -1;
    let bestO = -1;
    for (let j = s.head[i]; j >= 0; j = s.nextOf[j]) {
      const oj = s.opt[j];
      const leave = cp.optCost[oj] + (s.count[i] === 1 ? cp.idleCost[i] : 0);
      for (let t = start[j]; t < start[j + 1]; t++) {
        const b = nodes[t];
        if (b === i) continue;
        const k = cp.nodeClass[b];
        for (let o = cp.optStart[j * cp.K + k]; o < cp.optStart[j * cp.K + k + 1]; o++) {
          const d = cp.optCost[o] + (s.count[b] === 0 ? cp.idleCost[b] : 0) - leave;
          if (d >= best || !s.fits(b, o) || s.utilWith(b, -1, o) > target) continue;
          best = d;
          bestJ = j;
          bestB = b;
          bestO = o;
        }
      }
    }
    if (bestJ < 0) return false;
    this.logJob[this.logLen] = bestJ;
    this.logNode[this.logLen] = i;
    this.logOpt[this.logLen] = s.opt[bestJ];
    this.logLen++;
    s.move(bestJ, bestB, bestO);
    return true;
  }

  private undo(s: PlacementState): void {
    while (this.logLen > 0) {
      this.logLen--;
      s.move(this.logJob[this.logLen], this.logNode[this.logLen], this.logOpt[this.logLen]);
    }
  }
}
