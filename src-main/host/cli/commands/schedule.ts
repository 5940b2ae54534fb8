/** `joule schedule`, `joule schedule sweep`, `joule generate fleet`, `joule bench schedule`: placement from the command line. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { MAX_GENERATED_NODES, MAX_WORKLOADS } from '../../../common/limits';
import {
  paretoAlgorithms,
  placementAlgorithms,
  type BuiltProblem,
  type FleetReport,
  type GapRunResult,
  type ParetoAlgorithm,
  type ParetoSweepResult,
  type PlacementAlgorithm,
  type PlacementRunResult,
  type ProblemSource,
  type SolverSettings,
} from '../../../common/api/placement';
import { JouleError } from '../../../common/errors';
import { choiceOption, type CliContext, type Command, numberOption, type ParsedArgs, requiredNumberOption, requiredOption, threadsOption, timeLimitOption, UsageError } from '../command';
import { awaitJob } from '../jobs';
import { REDIS_OPTION } from '../queue-option';
import { textTable } from '../table';

const solverOptions = {
  algo: { type: 'string' as const, placeholder: 'A', description: `${placementAlgorithms.join(', ')} (default aco).` },
  'time-limit': { type: 'string' as const, placeholder: 'S', description: 'Seconds the algorithm may run (default 10).' },
  seed: { type: 'string' as const, placeholder: 'N', description: 'Seed of every random choice (default 1).' },
  threads: { type: 'string' as const, placeholder: 'T', description: 'Worker threads for the ACO colonies (default 1).' },
  'max-iterations': { type: 'string' as const, placeholder: 'N', description: 'Stop after N iterations instead (deterministic).' },
};

function solverSettings(args: ParsedArgs): SolverSettings & { algo: PlacementAlgorithm } {
  return {
    algo: choiceOption<PlacementAlgorithm>(args, 'algo', placementAlgorithms, 'aco'),
    timeLimitS: timeLimitOption(args) ?? 10,
    seed: numberOption(args, 'seed', { integer: true }) ?? 1,
    threads: threadsOption(args) ?? 1,
    maxIterations: numberOption(args, 'max-iterations', { min: 1, integer: true }),
  };
}

const schedule: Command = {
  words: ['schedule'],
  summary: 'Place workloads on nodes: a problem .json, a project .joule, or an OR-Library GAP instance (--gap).',
  positionals: [{ name: 'PROBLEM', description: 'A placement problem .json or a .joule project (omit with --gap).', optional: true }],
  options: {
    ...solverOptions,
    gap: { type: 'string', placeholder: 'FILE', description: 'An OR-Library generalized assignment file (gap1..gap12, gapa..gapd).' },
    instance: { type: 'string', placeholder: 'K', description: 'With --gap: the 1-based instance in the file.' },
    maximize: { type: 'boolean', description: 'With --gap: maximise profit (default: as the file name says: gap1-12 maximise).' },
    redis: REDIS_OPTION,
  },
  async run(args, context) {
    const { algo, ...settings } = solverSettings(args);
    if (typeof args.options.gap === 'string') return runGap(args, algo, settings, context);
    const file = args.positionals[0];
    if (!file) throw new UsageError('Give a PROBLEM file or --gap FILE.');
    const { placement } = (await context.runtime()).services;
    const problemId = await buildProblem(file, context);
    const [{ jobId }] = await placement.startRun({ problemId, algos: [algo], ...settings });
    const result = await awaitJob<PlacementRunResult>(context, jobId, { progress: false });
    if (args.json) {
      context.out(JSON.stringify(result, null, 2));
    } else {
      context.out(`${result.algo}: objective ${result.objective.toPrecision(8)} (energy ${(result.energyJ / 1000).toFixed(1)} kJ, busiest node ${(result.maxUtilization * 100).toFixed(1)}%), ${result.feasible ? 'feasible' : `INFEASIBLE (${result.violations.length} violations)`}, ${Math.round(result.ms)} ms`);
      const used = result.nodes.filter((n) => n.workloadIds.length > 0);
      context.out(textTable(['node', 'utilization', 'energy kJ', 'workloads'], used.map((n) => [n.nodeId, `${(n.utilization * 100).toFixed(1)}%`, (n.energyJ / 1000).toFixed(1), n.workloadIds.join(', ')])));
      for (const v of result.violations.slice(0, 10)) context.out(`  ${v.message}`);
    }
    return result.feasible ? 0 : 1;
  },
};

/** Builds the problem of a `.joule` project or reads a problem `.json`; the service keeps it under the returned id. */
async function buildProblem(file: string, context: CliContext): Promise<string> {
  const { project, placement } = (await context.runtime()).services;
  let source: ProblemSource;
  if (file.endsWith('.joule')) {
    const { document, baseDir } = await project.read(file);
    source = { project: { document, baseDir } };
  } else {
    source = { file: path.resolve(file) };
  }
  return (await awaitJob<BuiltProblem>(context, placement.startBuildProblem(source), { progress: false })).problemId;
}

const sweep: Command = {
  words: ['schedule', 'sweep'],
  summary: 'Draw the energy-vs-balance Pareto front: the least energy under caps on the busiest node, to pick a point instead of guessing lambda.',
  positionals: [{ name: 'PROBLEM', description: 'A placement problem .json or a .joule project.' }],
  options: {
    algo: { type: 'string', placeholder: 'A', description: `The solver of every point: ${paretoAlgorithms.join(' or ')} (default aco).` },
    points: { type: 'string', placeholder: 'N', description: 'Points to solve, both ends included (default 8, 2 to 50); stops sooner once the front is known.' },
    'time-limit': { type: 'string', placeholder: 'S', description: 'Seconds per point (default 2).' },
    seed: solverOptions.seed,
    threads: solverOptions.threads,
    'max-iterations': solverOptions['max-iterations'],
    redis: REDIS_OPTION,
  },
  async run(args, context) {
    const file = args.positionals[0]; // required: the parser has checked it
    const algo = choiceOption<ParetoAlgorithm>(args, 'algo', paretoAlgorithms, 'aco');
    const points = numberOption(args, 'points', { min: 2, integer: true }) ?? 8;
    if (points > 50) throw new UsageError(`--points must be at most 50, got ${points}.`);
    const settings: SolverSettings = {
      timeLimitS: timeLimitOption(args) ?? 2,
      seed: numberOption(args, 'seed', { integer: true }) ?? 1,
      threads: threadsOption(args) ?? 1,
      maxIterations: numberOption(args, 'max-iterations', { min: 1, integer: true }),
    };
    const { placement } = (await context.runtime()).services;
    const problemId = await buildProblem(file, context);
    const front = await awaitJob<ParetoSweepResult>(context, placement.startParetoSweep({ problemId, algo, points, ...settings }), { progress: !args.json });
    if (args.json) {
      context.out(JSON.stringify(front, null, 2));
      return 0;
    }
    const rows = front.points.map((p) => [
      p.onFront ? '*' : '',
      p.kind,
      `${(p.peakUtilization * 100).toFixed(1)}%`,
      `${(p.peakCap * 100).toFixed(1)}%`,
      (p.energyJ / 1000).toFixed(1),
      p.lambdaJ === null ? '-' : Number(p.lambdaJ.toPrecision(3)).toExponential(2),
      p.feasible ? (p.optimal ? 'optimal' : 'feasible') : 'INFEASIBLE',
    ]);
    context.out(textTable(['front', 'point', 'busiest node', 'cap', 'energy kJ', 'lambda J', 'status'], rows));
    const onFront = front.points.filter((p) => p.onFront).length;
    context.out(`${onFront} point${onFront === 1 ? '' : 's'} on the front (*), ${front.points.length} distinct plans found by ${algo} in ${(front.ms / 1000).toFixed(1)} s. lambda: a weight (J per unit of peak) that picks the point; '-': no weight does, only its cap as the utilization limit.`);
    return 0;
  },
};

async function runGap(args: ParsedArgs, algo: PlacementAlgorithm, settings: SolverSettings, context: CliContext): Promise<number> {
  const file = path.resolve(String(args.options.gap));
  const instance = requiredNumberOption(args, 'instance', 'K (1-based), with --gap', { min: 1, integer: true });
  const { placement } = (await context.runtime()).services;
  const request = { ...settings, file, instance, algo, ...(args.options.maximize === true ? { maximize: true } : {}) };
  const result = await awaitJob<GapRunResult>(context, placement.startGapRun(request), { progress: false });
  if (args.json) context.out(JSON.stringify(result));
  else context.out(`${path.basename(file)} #${instance} (${result.maximize ? 'max' : 'min'}): ${algo} ${result.feasible ? 'feasible' : 'INFEASIBLE'}, objective ${result.objective}, ${Math.round(result.ms)} ms`);
  return result.feasible ? 0 : 1;
}

const generateFleetCommand: Command = {
  words: ['generate', 'fleet'],
  summary: 'Write a synthetic placement problem: a fleet of library devices and workloads, seeded.',
  positionals: [],
  options: {
    nodes: { type: 'string', placeholder: 'N', description: 'Edge nodes (1 to 10,000).' },
    workloads: { type: 'string', placeholder: 'W', description: 'Workloads (up to 50,000).' },
    seed: { type: 'string', placeholder: 'S', description: 'Seed (default 1).' },
    load: { type: 'string', placeholder: 'L', description: 'Total compute demand over total edge compute (default 0.6).' },
    cloud: { type: 'boolean', description: 'Add a cloud reached over a shared uplink.' },
    locality: { type: 'boolean', description: 'Give workloads a site, sites a LAN and neighbouring sites links.' },
    out: { type: 'string', placeholder: 'FILE', description: 'Where to write the problem .json.' },
  },
  async run(args, context) {
    const request = {
      nodes: requiredNumberOption(args, 'nodes', 'N', { min: 1, max: MAX_GENERATED_NODES, integer: true }),
      workloads: requiredNumberOption(args, 'workloads', 'W', { min: 1, max: MAX_WORKLOADS, integer: true }),
      seed: numberOption(args, 'seed', { integer: true }) ?? 1,
      load: numberOption(args, 'load', { min: 0 }),
      cloud: args.options.cloud === true,
      locality: args.options.locality === true,
      out: path.resolve(requiredOption(args, 'out', 'FILE')),
    };
    const { placement } = (await context.runtime()).services;
    const report = await awaitJob<FleetReport>(context, placement.startGenerateFleet(request), { progress: false });
    context.out(args.json ? JSON.stringify(report) : `Wrote ${report.file}: ${report.nodes} nodes, ${report.workloads} workloads, ${report.models} models.`);
  },
};

const benchSchedule: Command = {
  words: ['bench', 'schedule'],
  summary: 'Compare every algorithm on the GAP files and generated fleets; writes docs/bench-schedule.md (long: use --quick for minutes).',
  positionals: [],
  options: { quick: { type: 'boolean', description: 'Short time limits and fewer instances.' } },
  async run(args, context) {
    const root = path.join(context.resourcesDir, '..');
    const script = path.join(root, 'bench', 'schedule', 'bench-schedule.ts');
    if (!existsSync(script)) throw new JouleError(`The benchmark script ${script} is not here; run it from Joule's source tree.`);
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...(args.options.quick ? ['--quick'] : [])], { stdio: args.json ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
    if (args.json) context.out(JSON.stringify({ ok: code === 0, report: path.join(root, 'docs', 'bench-schedule.md') }));
    return code === 0 ? 0 : 1;
  },
};

export const scheduleCommands = [schedule, sweep, generateFleetCommand, benchSchedule];
