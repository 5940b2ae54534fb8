/** From plan to fleet: the joint choice of variant and node, deployment bundles, and their verification. */
import type { FileProblem, VerifiedModel } from '../bundle/verification';
import type { PlacementProblem } from '../placement/problem';
import type { ProjectDocument } from '../project/schema';
import type { PlacementRunResult, SolverSettings } from './placement';

export type { FileProblem, VerifiedModel } from '../bundle/verification';

export interface PlanRequest extends SolverSettings {
  project: { document: ProjectDocument; baseDir: string };
}

/** One strategy's placement, or why it has none (no feasible placement, a workload nothing can run). */
export interface StrategyOutcome {
  result: PlacementRunResult | null;
  error: string | null;
}

/**
 * The improved ACO choosing a variant and a node for every workload together, beside the two
 * simpler strategies: every workload on its original model, and every model compressed once for
 * the whole fleet. Savings are energy over the planning period (positive: the joint plan uses less).
 */
export interface PlanReport {
  problem: PlacementProblem;
  joint: PlacementRunResult;
  originals: StrategyOutcome;
  oneVariant: StrategyOutcome;
  savingVsOriginalsJ: number | null;
  savingVsOneVariantJ: number | null;
}

export interface ExportRequest {
  project: { document: ProjectDocument; baseDir: string };
  /** The bundle folder to create (absolute; it must not exist or be empty). */
  outDir: string;
  /** Also write Kubernetes manifests (a Deployment per workload pinned to its node, a ConfigMap per node). */
  k8s?: boolean;
  /** Also pack each node's folder as a deterministic `.tar.gz`. */
  tarballs?: boolean;
}

export interface ExportedNode {
  nodeId: string;
  /** Folder of the node inside the bundle, `nodes/<name>`. */
  folder: string;
  workloads: string[];
  models: string[];
}

export interface ExportReport {
  dir: string;
  nodes: ExportedNode[];
  /** Every file written, relative to the bundle, with its sha256, as in SHA256SUMS. */
  files: { path: string; sha256: string; bytes: number }[];
  report: string;
  ms: number;
}

export interface VerifyRequest {
  dir: string;
  /** Timed runs per model (default 10). */
  runs?: number;
}

export interface VerifyReport {
  dir: string;
  ok: boolean;
  problems: FileProblem[];
  checkedFiles: number;
  models: VerifiedModel[];
}

/** The whole flow on the sample fleet: energy, two pruning budgets, the joint plan, a bundle, verified. */
export interface DemoRequest {
  /** Folder for the demo project and its bundle (absolute; default: a new temporary folder). */
  dir?: string;
}

export interface DemoReport {
  dir: string;
  project: string;
  model: string;
  /** The shipped model's energy and latency on every device type of the sample fleet. */
  energy: { deviceType: string; energyJ: number; latencyMs: number }[];
  /** The two pruned variants. */
  variants: { label: string; deviceType: string; fraction: number; energyJ: number; originalEnergyJ: number; accuracy: number | null; originalAccuracy: number | null }[];
  plan: { jointJ: number; originalsJ: number | null; oneVariantJ: number | null; compressedWorkloads: number; workloads: number };
  bundle: string;
  report: string;
  verified: boolean;
  ms: number;
}

export interface PlanApi {
  /** Starts a job whose result is a `PlanReport`. */
  startCompare(request: PlanRequest): Promise<string>;
  /** Starts a job that writes a deployment bundle of the project's accepted placement; its result is an `ExportReport`. */
  startExport(request: ExportRequest): Promise<string>;
  /** Starts a job whose result is a `VerifyReport`. */
  startVerify(request: VerifyRequest): Promise<string>;
  /** Starts the demo job; its result is a `DemoReport`. */
  startDemo(request: DemoRequest): Promise<string>;
}
