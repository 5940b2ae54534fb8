/**
 * Placement of inference workloads on edge clusters (docs/placement.md): the problem file and
 * its checker, the compiled form, the solvers behind one interface, GAP files and the fleet
 * generator. Plain Node; HiGHS and the parallel colonies run in worker threads.
 *
 * @example
 * const problem = parseProblem(JSON.parse(text));
 * const cp = compileProblem(problem);
 * const result = await solve('aco', cp, { seed: 1, timeLimitMs: 5000, threads: 2 });
 * const { assignment, variants } = toAssignment(cp, result.assignment, result.option);
 * const report = checkPlacement(problem, assignment, variants);
 */
import { acoScheduler } from './aco';
import { antSystemScheduler } from './ant-system';
import type { CompiledProblem } from './compiled';
import { ffdScheduler } from './ffd';
import { gaScheduler } from './ga';
import { greedyScheduler } from './greedy';
import { mipScheduler } from './mip-run';
import { randomScheduler } from './random';
import { roundRobinScheduler } from './round-robin';
import type { Algorithm, Scheduler, SolveOptions, SolveResult } from './scheduler';

export { AcoColony, acoScheduler, defaultAcoParams, solveAco, type AcoParams } from './aco';
export { solveAcoParallel } from './aco-parallel';
export { antSystemParams, solveAntSystem } from './ant-system';
export { checkPlacement, type Assignment, type ConstraintKind, type NodeReport, type PlacementReport, type VariantChoice, type Violation } from '../../common/placement/checker';
export { compileProblem } from './compile';
export { internalObjective, reportObjective, toAssignment, type CompiledProblem } from './compiled';
export { ScheduleError } from './errors';
export { solveFfd } from './ffd';
export { generateFleet, type FleetOptions } from './fleet';
export { solveGa } from './ga';
export { gapFileMaximizes, gapToCompiled, gapToProblem, parseGapFile, readGapFile, type GapFile, type GapInstance } from './gap';
export { solveGreedy } from './greedy';
export { buildMip, solveMip, type MipOptions } from './mip';
export { solveMipInWorker } from './mip-run';
export * from '../../common/placement/problem';
export { solveRandom } from './random';
export { solveRoundRobin } from './round-robin';
export * from './scheduler';

/** Every algorithm by its CLI name. */
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
