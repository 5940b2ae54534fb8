/** The points of an energy-vs-balance sweep (core/schedule/pareto.ts), as the window and the CLI read them. */
import type { PlacementAlgorithm } from './algorithms';

/** The solvers a sweep may use: the two that honour both the cap and the weight of balance. */
export const paretoAlgorithms = ['aco', 'mip'] as const satisfies readonly PlacementAlgorithm[];
export type ParetoAlgorithm = (typeof paretoAlgorithms)[number];

/** Which end of the front a point is, or a cap in between. */
export type ParetoPointKind = 'energy-optimal' | 'min-peak' | 'capped';

export interface ParetoPoint {
  kind: ParetoPointKind;
  /** The cap on every edge node's utilization it was solved under (fraction; the problem's own limit for the energy-optimal end). */
  peakCap: number;
  /** Energy per period, J, as the checker computes it (always-on idle energy included). */
  energyJ: number;
  /** The busiest edge node's utilization (fraction). */
  peakUtilization: number;
  feasible: boolean;
  /** Neither lower in energy nor in peak by another feasible point, and not a repeat of one. */
  onFront: boolean;
  /**
   * The lambdas (J per unit of peak) for which `energy + lambda x peak` picks this point among
   * the points found; null for points off the front or inside a dent of it (no weight reaches
   * them: only a cap does). `max` null means unbounded.
   */
  lambdaRange: { min: number; max: number | null } | null;
  /** A lambda inside that range to carry back into the project, or null. */
  lambdaJ: number | null;
  /** The MIP proved this point optimal for its cap. */
  optimal?: boolean;
  /** Node id and model variant per workload id. */
  assignment: Record<string, string>;
  variants: Record<string, string>;
  ms: number;
}

export interface ParetoFront {
  algorithm: ParetoAlgorithm;
  /** Every point solved, by increasing peak; `onFront` marks the front. */
  points: ParetoPoint[];
  ms: number;
}
