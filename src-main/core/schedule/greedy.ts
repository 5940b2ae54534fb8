/**
 * Greedy best energy fit: workloads in decreasing order of their cheapest energy (the heaviest
 * consumers choose first), each on the node and variant that adds the least energy (its
 * dynamic energy, plus the node's idle energy if the node is still off) among those with room.
 * Ignores the imbalance term. One pass, no search: the baseline the improved ACO must beat.
 */
import type { CompiledProblem } from './compiled';
import { leastExcessChoice, repairOverloads } from './repair';
import { Rng } from '../../common/random';
import { RunControl, resultOf } from './run-control';
import type { Scheduler, SolveOptions, SolveResult } from './scheduler';
import { admissibleNodes, PlacementState, type NodeLists } from './state';
import { candidateLists } from './candidates';

/** Workloads sorted by decreasing cheapest option cost. */
export function byDecreasingMinCost(cp: CompiledProblem): Int32Array {
  const key = new Float64Array(cp.n);
  for (let j = 0; j < cp.n; j++) {
    let lo = Infinity;
    for (let o = cp.optStart[j * cp.K]; o < cp.optStart[(j + 1) * cp.K]; o++) lo = Math.min(lo, cp.optCost[o]);
    key[j] = lo;
  }
  return Int32Array.from({ length: cp.n }, (_, j) => j).sort((a, b) => key[b] - key[a] || a - b);
}

/** Fills `s` greedily over `lists` (all admissible nodes by default). */
export function greedyFill(s: PlacementState, order: Int32Array, lists: NodeLists): void {
  const cp = s.cp;
  const pick = new Int32Array(2);
  for (const j of order) {
    let bestNode = -1;
    let bestOpt = -1;
    let bestCost = Infinity;
    for (let t = lists.start[j]; t < lists.start[j + 1]; t++) {
      const i = lists.nodes[t];
      const k = cp.nodeClass[i];
      const extra = s.count[i] === 0 ? cp.idleCost[i] : 0;
      for (let o = cp.optStart[j * cp.K + k]; o < cp.optStart[j * cp.K + k + 1]; o++) {
        const c = cp.optCost[o] + extra;
        if (c < bestCost && s.fits(i, o)) {
          bestCost = c;
          bestNode = i;
          bestOpt = o;
        }
      }
    }
    if (bestOpt < 0) {
      // Nothing in the list has room: the cheapest node with room anywhere, else the least overload.
      leastExcessChoice(s, null, j, pick);
      bestNode = pick[0];
      bestOpt = pick[1];
    }
    s.add(j, bestNode, bestOpt);
  }
}

export function solveGreedy(cp: CompiledProblem, options: SolveOptions = {}): SolveResult {
  const control = new RunControl(cp, options);
  const s = new PlacementState(cp);
  const lists = cp.n * cp.m <= 4_000_000 ? admissibleNodes(cp) : candidateLists(cp, 256);
  greedyFill(s, byDecreasingMinCost(cp), lists);
  if (!s.feasible()) repairOverloads(s, lists, new Rng(options.seed ?? 1));
  control.step();
  if (s.feasible()) control.offer(s.objective());
  return resultOf(cp, 'greedy', s.node, s.opt, control);
}

export const greedyScheduler: Scheduler = {
  algorithm: 'greedy',
  solve: async (cp, options) => solveGreedy(cp, options),
};
