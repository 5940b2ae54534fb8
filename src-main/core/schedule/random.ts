/**
 * Random placement with feasibility repair: workloads in random order, each on a random node
 * (and variant) among those that can run it and have room; then overloaded nodes are emptied
 * into nodes with room. The floor any search must clear.
 */
import { candidateLists } from './candidates';
import type { CompiledProblem } from './compiled';
import { leastExcessChoice, repairOverloads } from './repair';
import { Rng } from '../../common/random';
import { RunControl, resultOf } from './run-control';
import type { Scheduler, SolveOptions, SolveResult } from './scheduler';
import { PlacementState } from './state';

export function solveRandom(cp: CompiledProblem, options: SolveOptions = {}): SolveResult {
  const control = new RunControl(cp, options);
  const rng = new Rng(options.seed ?? 1);
  const lists = candidateLists(cp, 64);
  const s = new PlacementState(cp);
  const order = rng.shuffle(Int32Array.from({ length: cp.n }, (_, j) => j));
  const pick = new Int32Array(2);
  const fitNode: number[] = [];
  const fitOpt: number[] = [];
  for (const j of order) {
    fitNode.length = 0;
    fitOpt.length = 0;
    for (let t = lists.start[j]; t < lists.start[j + 1]; t++) {
      const i = lists.nodes[t];
      const k = cp.nodeClass[i];
      for (let o = cp.optStart[j * cp.K + k]; o < cp.optStart[j * cp.K + k + 1]; o++) {
        if (s.fits(i, o)) {
          fitNode.push(i);
          fitOpt.push(o);
        }
      }
    }
    if (fitNode.length) {
      const c = rng.int(fitNode.length);
      s.add(j, fitNode[c], fitOpt[c]);
    } else {
      leastExcessChoice(s, lists, j, pick);
      s.add(j, pick[0], pick[1]);
    }
  }
  if (!s.feasible()) repairOverloads(s, lists, rng);
  control.step();
  if (s.feasible()) control.offer(s.objective());
  return resultOf(cp, 'random', s.node, s.opt, control);
}

export const randomScheduler: Scheduler = {
  algorithm: 'random',
  solve: async (cp, options) => solveRandom(cp, options),
};
