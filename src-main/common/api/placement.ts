/** Placement of workloads on the fleet, as the window and the CLI request it. */
import type { PlacementReport } from '../placement/checker';
import type { PlacementAlgorithm, SolveStats } from '../placement/algorithms';
import type { ParetoAlgorithm, ParetoFront } from '../placement/pareto';
import type { PlacementProblem } from '../placement/problem';
import type { ProjectDocument } from '../project/schema';

/** Where a placement problem comes from: a project (built with the energy model), or a problem `.json` file. */
export type ProblemSource = { project: { document: ProjectDocument; baseDir: string } } | { file: string };

/**
 * A problem the placement service keeps after building it. Runs name it by `problemId` (a hash
 * of its content, so a project that changed gets a new id), and the problem itself crosses to
 * the window once, for the map and the checker.
 */
export interface BuiltProblem {
  problemId: string;
  problem: PlacementProblem;
}

/** How long and how a solver runs; every field has a default. */
export interface SolverSettings {
  /** Wall-clock limit in seconds (default 10). */
  timeLimitS?: number;
  seed?: number;
  /** Worker threads of the improved ACO's colonies (default 1). */
  threads?: number;
  /** Deterministic stop: colony iterations, GA children, AS iterations. */
  maxIterations?: number;
}

export interface PlacementRunRequest extends SolverSettings {
  problemId: string;
  /** One job per algorithm, in this order. */
  algos: PlacementAlgorithm[];
}

export interface PlacementRunStarted {
  algo: PlacementAlgorithm;
  jobId: string;
}

/** The result the bars and the map read: the checker's verdict plus the solver's story. */
export interface PlacementRunResult extends PlacementReport, SolveStats {
  algo: PlacementAlgorithm;
  /** Node id per workload id. */
  assignment: Record<string, string>;
  /** Model variant per workload id (the workload's model when it has no variants). */
  variants: Record<string, string>;
}

/**
 * The energy-vs-balance front of a kept problem: the least energy under caps on the busiest
 * node's utilization, from the lowest reachable peak to the energy optimum (docs/placement.md).
 */
export interface ParetoSweepRequest extends SolverSettings {
  problemId: string;
  /** The solver of every point (default aco). */
  algo?: ParetoAlgorithm;
  /** Points to solve, both ends included (default 8, 2 to 50). */
  points?: number;
  /** `timeLimitS` is per point (default 2). */
}

/** The sweep's result: every point solved, by increasing peak, the front marked. */
export type ParetoSweepResult = ParetoFront;

/** One instance of an OR-Library generalized assignment file, solved by one algorithm. */
export interface GapRunRequest extends SolverSettings {
  file: string;
  /** 1-based instance in the file. */
  instance: number;
  /** Maximise profit; default: as the file name says (gap1-12 maximise). */
  maximize?: boolean;
  algo: PlacementAlgorithm;
}

export interface GapRunResult extends SolveStats {
  file: string;
  instance: number;
  maximize: boolean;
  algo: PlacementAlgorithm;
  objective: number;
  feasible: boolean;
  /** Agent index per job. */
  assignment: number[];
}

/** A synthetic fleet of library devices and workloads, written as a problem file. */
export interface FleetRequest {
  nodes: number;
  workloads: number;
  seed?: number;
  /** Total compute demand over total edge compute (default 0.6). */
  load?: number;
  cloud?: boolean;
  /** Workloads come from sites and cross LANs and a ring of links between neighbouring sites. */
  locality?: boolean;
  /** The problem `.json` to write (absolute path). */
  out: string;
}

export interface FleetReport {
  file: string;
  nodes: number;
  workloads: number;
  models: number;
}

export interface PlacementApi {
  /** Starts a job whose result is a `BuiltProblem`; the service keeps the problem for runs. */
  startBuildProblem(source: ProblemSource): Promise<string>;
  /** Starts one job per algorithm on a kept problem; each job's result is a `PlacementRunResult`, its progress carries `{ ms, objective }`. */
  startRun(request: PlacementRunRequest): Promise<PlacementRunStarted[]>;
  /**
   * Starts a job whose result is a `ParetoSweepResult`; its progress reports each point solved
   * as `{ point, of, energyJ, peak }`.
   */
  startParetoSweep(request: ParetoSweepRequest): Promise<string>;
  /** Starts a job whose result is a `GapRunResult`. */
  startGapRun(request: GapRunRequest): Promise<string>;
  /** Starts a job that writes a generated fleet problem; its result is a `FleetReport`. */
  startGenerateFleet(request: FleetRequest): Promise<string>;
}

export { placementAlgorithms, type PlacementAlgorithm, type SolveStats } from '../placement/algorithms';
export { paretoAlgorithms, type ParetoAlgorithm, type ParetoPoint, type ParetoPointKind } from '../placement/pareto';
export type { PlacementProblem, PlacementReport };
