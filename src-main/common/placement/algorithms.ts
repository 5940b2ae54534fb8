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
