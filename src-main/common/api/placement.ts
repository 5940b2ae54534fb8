/** Placement of workloads on the fleet, as the window and the CLI request it. */
import type { PlacementReport } from '../placement/checker';
import type { PlacementProblem, PlacementProblemInput } from '../placement/problem';
import type { ProjectDocument } from '../project/schema';

export const placementAlgorithms = ['aco', 'as', 'ga', 'greedy', 'ffd', 'rr', 'random', 'mip'] as const;
export type PlacementAlgorithm = (typeof placementAlgorithms)[number];

export interface PlacementRunRequest {
  problem: PlacementProblemInput;
  algo: PlacementAlgorithm;
  /** Wall-clock limit in seconds (default 10). */
  timeLimitS?: number;
  seed?: number;
  /** Worker threads of the improved ACO's colonies (default 1). */
  threads?: number;
  /** Deterministic stop: colony iterations, GA children, AS iterations. */
  maxIterations?: number;
}

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

/** The result the bars and the map read: the checker's verdict plus the solver's story. */
export interface PlacementRunResult extends PlacementReport, SolveStats {
  algo: PlacementAlgorithm;
  /** Node id per workload id. */
  assignment: Record<string, string>;
  /** Model variant per workload id (the workload's model when it has no variants). */
  variants: Record<string, string>;
}

export interface PlacementApi {
  /** The placement problem of a project (nodes from its devices, figures from the energy model). */
  startBuildProblem(project: { document: ProjectDocument; baseDir: string }): Promise<string>;
  /** Starts one algorithm on a problem; the job's result is a `PlacementRunResult`, its progress carries `{ ms, objective }`. */
  startRun(request: PlacementRunRequest): Promise<string>;
}

export type { PlacementProblem, PlacementReport };
