/**
 * The job kinds Joule runs in its workers: each kind's input and output, and how long it may
 * stay silent inside native code. One task file per kind under `tasks/` (see `handlers.ts`).
 */
import type { ValidateRequest } from '../common/api/devices';
import type { ValidationReport } from '../common/energy/validation';
import type { AnalysisRequest, CalibrationReport, CalibrationRequest, PartitionRequest, ProfileRequest } from '../common/api/energy';
import type { ImportedModel, ImportRequest, ZooExportReport, ZooExportRequest } from '../common/api/models';
import type { BuiltProblem, FleetReport, FleetRequest, GapRunRequest, GapRunResult, ParetoAlgorithm, ParetoSweepResult, PlacementRunResult, ProblemSource, SolverSettings } from '../common/api/placement';
import type { DemoReport, DemoRequest, ExportReport, ExportRequest, PlanReport, PlanRequest, VerifyReport, VerifyRequest } from '../common/api/plan';
import type { ProjectCheckReport } from '../common/api/project';
import type { PruneReport, PruneRequest } from '../common/api/pruning';
import type { EvalRequest, EvaluationReport, TrainReport, TrainRequest } from '../common/api/training';
import type { EnergyReport, HostCheck, PartitionReport } from '../common/energy/reports';
import type { PlacementAlgorithm } from '../common/placement/algorithms';
import type { PlacementProblem } from '../common/placement/problem';
import type { ModelRef } from '../common/project/schema';
import type { JobLane } from './pool';

export type JouleJobs = {
  'project.check': { input: { models: ModelRef[]; baseDir: string }; output: ProjectCheckReport };
  'models.import': { input: ImportRequest; output: ImportedModel };
  'models.export': { input: ZooExportRequest; output: ZooExportReport };
  'devices.validate': { input: ValidateRequest; output: ValidationReport };
  'energy.analyze': { input: AnalysisRequest; output: EnergyReport[] };
  'energy.partition': { input: PartitionRequest; output: PartitionReport };
  'energy.profile': { input: ProfileRequest; output: HostCheck };
  'energy.calibrate': { input: CalibrationRequest; output: CalibrationReport[] };
  'train.run': { input: TrainRequest; output: TrainReport };
  'train.eval': { input: EvalRequest; output: EvaluationReport };
  'prune.run': { input: PruneRequest; output: PruneReport };
  'placement.problem': { input: ProblemSource; output: BuiltProblem };
  'placement.run': { input: { problem: PlacementProblem; algo: PlacementAlgorithm; settings: SolverSettings }; output: PlacementRunResult };
  'placement.pareto': { input: { problem: PlacementProblem; algo: ParetoAlgorithm; points: number; settings: SolverSettings }; output: ParetoSweepResult };
  'placement.gap': { input: GapRunRequest; output: GapRunResult };
  'placement.fleet': { input: FleetRequest; output: FleetReport };
  'plan.compare': { input: PlanRequest; output: PlanReport };
  'plan.export': { input: ExportRequest; output: ExportReport };
  'plan.verify': { input: VerifyRequest; output: VerifyReport };
  'plan.demo': { input: DemoRequest; output: DemoReport };
};

export type JouleJobKind = keyof JouleJobs & string;

/** A training step or an onnxruntime profiling run can block the worker for seconds. */
const ONNXRUNTIME_HANG_MS = 10 * 60_000;
/** Default solver time limit, as the solvers apply it. */
const DEFAULT_TIME_LIMIT_S = 10;
/** Default time limit of one point of a Pareto sweep. */
export const DEFAULT_PARETO_POINT_S = 2;
/**
 * The longest time limit the hang limit follows (24 h, the bound the request checks apply to
 * `timeLimitS`). The pool caps every hang limit again (`JobPoolOptions.maxHangTimeoutMs`).
 */
const MAX_TIME_LIMIT_S = 24 * 3600;

/**
 * Which lane of the pool a job kind runs in. Short jobs (answers a planner waits for with the
 * window open: checks, analyses, imports) get a worker of their own, so they never queue behind
 * a MIP, a colony, a sweep, a training run or a pruning run.
 */
export function jobLane(kind: string): JobLane {
  switch (kind as JouleJobKind) {
    case 'project.check':
    case 'models.import':
    case 'models.export':
    case 'devices.validate':
    case 'energy.analyze':
    case 'energy.partition':
    case 'energy.calibrate':
    case 'placement.problem':
    case 'placement.fleet':
    case 'plan.export':
      return 'short';
    case 'energy.profile':
    case 'train.run':
    case 'train.eval':
    case 'prune.run':
    case 'placement.run':
    case 'placement.pareto':
    case 'placement.gap':
    case 'plan.compare':
    case 'plan.verify':
    case 'plan.demo':
      return 'long';
    default:
      return 'long';
  }
}

/**
 * Kinds whose worker the pool may terminate when a cancelled job does not stop within a few
 * seconds: they only compute on a problem they were given (no file written, no onnxruntime run),
 * and HiGHS's WebAssembly solve cannot be interrupted from JavaScript between its own callbacks.
 * Kinds that build a problem from a project are left out: they may measure the host profile with
 * onnxruntime and write it.
 */
export function cancelByTermination(kind: string): boolean {
  switch (kind as JouleJobKind) {
    case 'placement.run':
    case 'placement.pareto':
    case 'placement.gap':
      return true;
    default:
      return false;
  }
}

/** A caller's time limit in seconds as the hang limit follows it: the default when absent or absurd, at most 24 h. */
function boundedTimeLimitS(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.min(value, MAX_TIME_LIMIT_S) : fallback;
}

/**
 * How long a job of each kind may send nothing before the pool calls it hung; undefined keeps
 * the pool's default (60 s), enough for everything that reports between short steps.
 */
export function hangTimeoutFor(kind: string, input: unknown): number | undefined {
  switch (kind as JouleJobKind) {
    case 'train.run':
    case 'train.eval':
    case 'prune.run':
    case 'energy.profile':
      return ONNXRUNTIME_HANG_MS;
    case 'plan.verify':
    case 'plan.demo':
      return ONNXRUNTIME_HANG_MS;
    case 'placement.run':
    case 'placement.gap': {
      // HiGHS solves in a thread of its own and the job's worker keeps its heartbeat; the margin
      // covers building the model, which runs in the job's worker.
      const settings = kind === 'placement.run' ? (input as JouleJobs['placement.run']['input']).settings : (input as GapRunRequest);
      return (boundedTimeLimitS(settings?.timeLimitS, DEFAULT_TIME_LIMIT_S) + 60) * 1000;
    }
    case 'placement.pareto':
      // Progress comes once per point, and a MIP point may use its whole time limit.
      return (boundedTimeLimitS((input as JouleJobs['placement.pareto']['input']).settings?.timeLimitS, DEFAULT_PARETO_POINT_S) + 60) * 1000;
    default:
      return undefined;
  }
}
