/**
 * The contract every placement algorithm implements (one file per algorithm beside this one).
 * Solvers take the compiled problem, are seeded and deterministic for a given seed (and thread
 * count) when stopped by an iteration limit, anytime when stopped by a time limit, and report
 * objectives as the problem states them (profit for maximising GAP files).
 *
 * @example
 * const result = await solve('aco', compileProblem(problem), { seed: 7, timeLimitMs: 2000 });
 * checkPlacement(problem, toAssignment(cp, result.assignment, result.option).assignment);
 */
import type { PlacementAlgorithm as Algorithm, SolveStats } from '../../common/placement/algorithms';
import type { CompiledProblem } from './compiled';

export { placementAlgorithms as algorithms, type PlacementAlgorithm as Algorithm } from '../../common/placement/algorithms';

export interface ProgressEvent {
  ms: number;
  iteration: number;
  /** Best objective so far as reported (NaN before a first assignment); null when none is feasible yet. */
  bestObjective: number | null;
  feasible: boolean;
}

export interface SolveOptions {
  /** Seed of every random choice (default 1). */
  seed?: number;
  /** Wall-clock limit; the solver returns its best assignment when it is reached. */
  timeLimitMs?: number;
  /**
   * Iteration limit (colony iterations, per colony when threads > 1; GA children; AS
   * iterations); the deterministic way to stop.
   */
  maxIterations?: number;
  /** Worker threads for the ACO's colonies (1 = in this thread). Others ignore it. */
  threads?: number;
  /** Called after each step (at most every `progressEveryMs`, and on every improvement). */
  onProgress?: (event: ProgressEvent) => void;
  progressEveryMs?: number;
  /** Cooperative cancel: checked between steps; the solver returns its best so far. */
  shouldStop?: () => boolean;
}

export interface SolveResult extends SolveStats {
  algorithm: Algorithm;
  /** Node index per workload. */
  assignment: Int32Array;
  /** Option index per workload (the variant on that node). */
  option: Int32Array;
  /** As the problem states it: energy + lambda x imbalance, or a GAP cost or profit. */
  objective: number;
  feasible: boolean;
}

export interface Scheduler {
  readonly algorithm: Algorithm;
  solve(cp: CompiledProblem, options?: SolveOptions): Promise<SolveResult>;
}

/** Default time limit when neither a time nor an iteration limit is given. */
export const DEFAULT_TIME_LIMIT_MS = 10_000;
