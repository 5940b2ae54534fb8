/**
 * Every placement algorithm by its name, and `solve`, the one way to run them.
 *
 * @example
 * const cp = compileProblem(parseProblem(JSON.parse(text)));
 * const result = await solve('aco', cp, { seed: 1, timeLimitMs: 5000, threads: 2 });
 * const { assignment, variants } = toAssignment(cp, result.assignment, result.option);
 * const report = checkPlacement(problem, assignment, variants);
 */
import { solveAco } from './aco';
import { antSystemScheduler } from './ant-system';
import type { CompiledProblem } from './compiled';
import { ffdScheduler } from './ffd';
import { gaScheduler } from './ga';
import { greedyScheduler } from './greedy';
import { mipScheduler } from './mip-run';
import { randomScheduler } from './random';
import { roundRobinScheduler } from './round-robin';
import type { Algorithm, Scheduler, SolveOptions, SolveResult } from './scheduler';

/** The improved ACO: one colony in this thread, or several in worker threads sharing their best. */
const acoScheduler: Scheduler = {
  algorithm: 'aco',
  solve: async (cp, options = {}) => {
    if ((options.threads ?? 1) <= 1) return solveAco(cp, options);
    const { solveAcoParallel } = await import('./aco-parallel');
    return solveAcoParallel(cp, options);
  },
};

export const schedulers: Record<Algorithm, Scheduler> = {
  aco: acoScheduler,
  as: antSystemScheduler,
  ga: gaScheduler,
  greedy: greedyScheduler,
  ffd: ffdScheduler,
  rr: roundRobinScheduler,
  random: randomScheduler,
  mip: mipScheduler,
};

/** Runs one algorithm by name. */
export function solve(algorithm: Algorithm, cp: CompiledProblem, options: SolveOptions = {}): Promise<SolveResult> {
  return schedulers[algorithm].solve(cp, options);
}
