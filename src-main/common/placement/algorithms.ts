/** The placement algorithms by name, and how a solver tells the story of its run. */

export const placementAlgorithms = ['aco', 'as', 'ga', 'greedy', 'ffd', 'rr', 'random', 'mip'] as const;
export type PlacementAlgorithm = (typeof placementAlgorithms)[number];

/** How a solver got to its answer. */
export interface SolveStats {
  /** [ms since start, best objective] at each improvement of the best feasible assignment. */
  trace: [number, number][];
  ms: number;
  iterations: number;
  /** MIP only: best bound and proven relative gap (0 when proven optimal). */
  bound?: number;
  gap?: number;
  /** MIP only: whether the optimum is proven. */
  optimal?: boolean;
}

/**
 * A trace closed by the objective the checker gives the run's final placement, so a chart of the
 * trace ends at the number the results table shows. Solvers trace their own objective (the MIP
 * HiGHS's, the heuristics their state's); the checker's may differ in the last digits, or the
 * MIP's final incumbent may never have been traced. Unchanged when the placement is infeasible.
 *
 * @example traceEndingAt([[5, 120]], 900, 118, true) // [[5, 120], [900, 118]]
 */
export function traceEndingAt(trace: [number, number][], ms: number, objective: number, feasible: boolean): [number, number][] {
  if (!feasible || !Number.isFinite(objective)) return trace;
  const last = trace[trace.length - 1];
  if (last && Math.abs(last[1] - objective) <= 1e-9 * Math.max(1, Math.abs(objective))) return trace;
  return [...trace, [Math.max(ms, last?.[0] ?? 0), objective]];
}
