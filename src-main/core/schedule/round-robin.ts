/**
 * Round robin: workloads in file order, each on the next node in turn (cyclically) that can run
 * it and has room, with its cheapest variant that fits. The scheduler a cluster manager uses
 * when it knows nothing about energy.
 */
import type { CompiledProblem } from './compiled';
import { leastExcessChoice, repairOverloads } from './repair';
import { Rng } from '../../common/random';
import { RunControl, resultOf } from './run-control';
import type { Scheduler, SolveOptions, SolveResult } from './scheduler';
import { cheapestFittingOption, PlacementState } from './state';
import { candidateLists } from './candidates';

export function solveRoundRobin(cp: CompiledProblem, options: SolveOptions = {}): SolveResult {
  const control = new RunControl(cp, options);
  const s = new PlacementState(cp);
  const pick = new Int32Array(2);
  let next = 0;
  for (let j = 0; j < cp.n; j++) {
    let placed = false;
    for (let step = 0; step < cp.m && !placed; step++) {
      const i = (next + step) % cp.m;
      const o = cheapestFittingOption(s, j, i);
      if (o >= 0) {
        s.add(j, i, o);
        next = (i + 1) % cp.m;
        placed = true;
      }
    }
    if (!placed) {
      leastExcessChoice(s, null, j, pick);
      s.add(j, pick[0], pick[1]);
    }
  }
  if (!s.feasible()) repairOverloads(s, candidateLists(cp, 256), new Rng(options.seed ?? 1));
  control.step();
  if (s.feasible()) control.offer(s.objective());
  return resultOf(cp, 'rr', s.node, s.opt, control);
}

export const roundRobinScheduler: Scheduler = {
  algorithm: 'rr',
  solve: async (cp, options) => solveRoundRobin(cp, options),
};
