/**
 * The placement service. Building a problem (from a project or a problem file) is a job whose
 * result the service keeps by id; runs name the problem by that id, so the problem crosses to a
 * solver's worker from here, never back and forth through the window.
 */
import path from 'node:path';
import {
  placementAlgorithms,
  type BuiltProblem,
  type FleetRequest,
  type GapRunRequest,
  paretoAlgorithms,
  type ParetoAlgorithm,
  type ParetoSweepRequest,
  type PlacementApi,
  type PlacementRunRequest,
  type PlacementRunStarted,
  type ProblemSource,
  type SolverSettings,
} from '../common/api/placement';
import { InvalidRequestError, NotFoundError } from '../common/errors';
import { formatLimit, MAX_GENERATED_NODES, MAX_WORKLOADS } from '../common/limits';
import type { PlacementAlgorithm } from '../common/placement/algorithms';
import type { PlacementProblem } from '../common/placement/problem';
import type { JouleJobs } from '../jobs/catalog';
import type { JobExecutor } from '../jobs/executor';
import { optionalInteger, optionalThreads, optionalTimeLimit, requireInteger, requireNumber, requireObject, requireString } from './arguments';
import { checkProjectModels, type FileAccess } from './file-access';

/** Problems kept for runs; the oldest goes first (a project edited many times builds many). */
const KEPT_PROBLEMS = 8;
/** A front is drawn for a planner to pick from: more points than this is a batch job, not a sweep. */
const MAX_PARETO_POINTS = 50;

export class PlacementService implements PlacementApi {
  private readonly problems = new Map<string, PlacementProblem>();

  constructor(
    private readonly pool: JobExecutor<JouleJobs>,
    private readonly access: FileAccess,
  ) {}

  async startBuildProblem(source: ProblemSource): Promise<string> {
    requireObject(source, 'source');
    let input: ProblemSource;
    let title: string;
    if ('project' in source) {
      const project = requireObject<{ document: { name?: unknown }; baseDir: unknown }>(source.project, 'project');
      requireObject(project.document, 'project.document');
      requireString(project.baseDir, 'project.baseDir');
      await checkProjectModels(this.access, source.project, 'project');
      input = source;
      title = `Placement problem of "${String(project.document.name)}"`;
    } else {
      input = { file: await this.access.readable(requireString((source as { file?: unknown }).file, 'file'), 'file') };
      title = `Placement problem ${path.basename(input.file)}`;
    }
    const job = this.pool.start('placement.problem', input, { title });
    job.done.then((built) => this.keep(built), () => {});
    return job.id;
  }

  async startRun(request: PlacementRunRequest): Promise<PlacementRunStarted[]> {
    requireObject(request, 'request');
    const problem = this.kept(request.problemId);
    if (!Array.isArray(request.algos) || request.algos.length === 0) throw new InvalidRequestError('algos: expected at least one algorithm.');
    request.algos.forEach((algo, i) => requireAlgorithm(algo, `algos[${i}]`));
    const settings = solverSettings(request);
    return request.algos.map((algo) => ({ algo, jobId: this.pool.start('placement.run', { problem, algo, settings }, { title: `Placement by ${algo}` }).id }));
  }

  async startParetoSweep(request: ParetoSweepRequest): Promise<string> {
    requireObject(request, 'request');
    const problem = this.kept(request.problemId);
    const algo = request.algo === undefined ? 'aco' : requireParetoAlgorithm(request.algo);
    const points = request.points === undefined ? 8 : requireInteger(request.points, 'points', 2);
    if (points > MAX_PARETO_POINTS) throw new InvalidRequestError(`points: a sweep solves at most ${MAX_PARETO_POINTS} points, got ${points}.`);
    const settings = solverSettings(request);
    return this.pool.start('placement.pareto', { problem, algo, points, settings }, { title: `Energy-vs-balance front by ${algo}` }).id;
  }

  async startGapRun(request: GapRunRequest): Promise<string> {
    requireObject(request, 'request');
    const file = await this.access.readable(requireString(request.file, 'file'), 'file');
    requireInteger(request.instance, 'instance', 1);
    requireAlgorithm(request.algo, 'algo');
    const input = { ...solverSettings(request), file, instance: request.instance, algo: request.algo, ...(request.maximize === undefined ? {} : { maximize: request.maximize === true }) };
    return this.pool.start('placement.gap', input, { title: `${request.algo} on ${path.basename(file)} #${request.instance}` }).id;
  }

  async startGenerateFleet(request: FleetRequest): Promise<string> {
    requireObject(request, 'request');
    requireInteger(request.nodes, 'nodes', 1);
    requireInteger(request.workloads, 'workloads', 1);
    if (request.nodes > MAX_GENERATED_NODES) throw new InvalidRequestError(`nodes: the generator writes at most ${formatLimit(MAX_GENERATED_NODES)} nodes, got ${request.nodes}.`);
    if (request.workloads > MAX_WORKLOADS) throw new InvalidRequestError(`workloads: a problem has at most ${formatLimit(MAX_WORKLOADS)} workloads, got ${request.workloads}.`);
    optionalInteger(request.seed, 'seed', Number.MIN_SAFE_INTEGER);
    if (request.load !== undefined) requireNumber(request.load, 'load', 0, { exclusive: true });
    const out = await this.access.writable(requireString(request.out, 'out'), 'out', 'problem');
    return this.pool.start('placement.fleet', { ...request, out }, { title: `Generate a fleet of ${request.nodes} nodes` }).id;
  }

  private kept(problemId: unknown): PlacementProblem {
    const problem = this.problems.get(requireString(problemId, 'problemId'));
    if (!problem) throw new NotFoundError(`The placement problem ${String(problemId)} is not kept any more; build it again.`);
    return problem;
  }

  private keep(built: BuiltProblem): void {
    this.problems.delete(built.problemId);
    this.problems.set(built.problemId, built.problem);
    while (this.problems.size > KEPT_PROBLEMS) this.problems.delete(this.problems.keys().next().value!);
  }
}

function requireAlgorithm(value: unknown, name: string): PlacementAlgorithm {
  if (!(placementAlgorithms as readonly unknown[]).includes(value)) {
    throw new InvalidRequestError(`${name}: expected one of ${placementAlgorithms.join(', ')}, got ${JSON.stringify(value)}.`);
  }
  return value as PlacementAlgorithm;
}

function requireParetoAlgorithm(value: unknown): ParetoAlgorithm {
  if (!(paretoAlgorithms as readonly unknown[]).includes(value)) {
    throw new InvalidRequestError(`algo: a sweep runs ${paretoAlgorithms.join(' or ')}, got ${JSON.stringify(value)}.`);
  }
  return value as ParetoAlgorithm;
}

/** The solver settings of a request, checked, without its other fields. */
function solverSettings(request: SolverSettings): SolverSettings {
  const settings: SolverSettings = {};
  if (request.timeLimitS !== undefined) settings.timeLimitS = optionalTimeLimit(request.timeLimitS, 'timeLimitS');
  if (request.seed !== undefined) settings.seed = requireInteger(request.seed, 'seed', Number.MIN_SAFE_INTEGER);
  if (request.threads !== undefined) settings.threads = optionalThreads(request.threads, 'threads');
  if (request.maxIterations !== undefined) settings.maxIterations = requireInteger(request.maxIterations, 'maxIterations', 1);
  return settings;
}
