/** `joule schedule`, `joule generate fleet`, `joule bench schedule`: placement from the command line. */
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { placementAlgorithms, type PlacementAlgorithm } from '../../../common/api/placement';
import { JouleError } from '../../../common/errors';
import { writeFileAtomic } from '../../../core/project/atomic-write';
import { readProjectFile } from '../../../core/project/project-file';
import { problemFromProject } from '../../../core/schedule/from-project';
import { generateFleet } from '../../../core/schedule/fleet';
import { gapToCompiled, readGapFile } from '../../../core/schedule/gap';
import { solve } from '../../../core/schedule/index';
import { runPlacement } from '../../../core/schedule/run';
import { silentProgress } from '../../../core/progress';
import { choiceOption, numberOption, UsageError, type Command, type ParsedArgs } from '../command';

const solverOptions = {
  algo: { type: 'string' as const, placeholder: 'A', description: `${placementAlgorithms.join(', ')} (default aco).` },
  'time-limit': { type: 'string' as const, placeholder: 'S', description: 'Seconds the algorithm may run (default 10).' },
  seed: { type: 'string' as const, placeholder: 'N', description: 'Seed of every random choice (default 1).' },
  threads: { type: 'string' as const, placeholder: 'T', description: 'Worker threads for the ACO colonies (default 1).' },
  'max-iterations': { type: 'string' as const, placeholder: 'N', description: 'Stop after N iterations instead (deterministic).' },
};

function solverSettings(args: ParsedArgs) {
  return {
    algo: choiceOption<PlacementAlgorithm>(args, 'algo', placementAlgorithms, 'aco'),
    timeLimitS: numberOption(args, 'time-limit', { min: 0 }) ?? 10,
    seed: numberOption(args, 'seed', { integer: true }) ?? 1,
    threads: numberOption(args, 'threads', { min: 1, integer: true }) ?? 1,
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
  },
  async run(args, context) {
    const settings = solverSettings(args);
    if (typeof args.options.gap === 'string') return runGap(args, settings, context.out);
    const file = args.positionals[0];
    if (!file) throw new UsageError('Give a PROBLEM file or --gap FILE.');
    const absolute = path.resolve(file);
    let problem: unknown;
    if (absolute.endsWith('.joule')) {
      const runtime = await context.runtime();
      const { document } = await readProjectFile(absolute, runtime.library.ids());
      problem = problemFromProject(document, path.dirname(absolute), runtime.library);
    } else {
      try {
        problem = JSON.parse(await fs.readFile(absolute, 'utf8'));
      } catch (error) {
        throw new JouleError(`Cannot read the problem ${absolute}: ${(error as Error).message}.`);
      }
    }
    const result = await runPlacement({ problem: problem as never, ...settings }, silentProgress);
    const output = {
      algo: result.algo,
      objective: result.objective,
      energyJ: result.energyJ,
      imbalance: result.imbalance,
      maxUtilization: result.maxUtilization,
      feasible: result.feasible,
      violations: result.violations,
      assignment: result.assignment,
      trace: result.trace,
      ms: result.ms,
      ...(result.bound === undefined ? {} : { bound: result.bound, gap: result.gap, optimal: result.optimal }),
    };
    if (args.json) {
      context.out(JSON.stringify(output, null, 2));
    } else {
      context.out(`${result.algo}: objective ${result.objective.toPrecision(8)} (energy ${result.energyJ.toPrecision(6)} J, imbalance ${result.imbalance.toFixed(4)}), ${result.feasible ? 'feasible' : `INFEASIBLE (${result.violations.length} violations)`}, ${Math.round(result.ms)} ms`);
      for (const v of result.violations.slice(0, 10)) context.out(`  ${v.message}`);
    }
    return result.feasible ? 0 : 1;
  },
};

async function runGap(args: ParsedArgs, settings: ReturnType<typeof solverSettings>, out: (text: string) => void): Promise<number> {
  const file = path.resolve(String(args.options.gap));
  const k = numberOption(args, 'instance', { min: 1, integer: true });
  if (k === undefined) throw new UsageError('With --gap, give --instance K (1-based).');
  const gap = await readGapFile(file);
  const instance = gap.instances[k - 1];
  if (!instance) throw new UsageError(`${path.basename(file)} has ${gap.instances.length} instances; --instance ${k} is out of range.`);
  const maximize = args.options.maximize === true || gap.maximize;
  const result = await solve(settings.algo, gapToCompiled(instance, maximize), {
    seed: settings.seed,
    timeLimitMs: settings.timeLimitS * 1000,
    maxIterations: settings.maxIterations,
    threads: settings.threads,
  });
  const output = { algo: settings.algo, objective: result.objective, feasible: result.feasible, ms: result.ms, assignment: Array.from(result.assignment) };
  if (args.json) out(JSON.stringify(output));
  else out(`${path.basename(file)} #${k} (${maximize ? 'max' : 'min'}): ${settings.algo} ${result.feasible ? 'feasible' : 'INFEASIBLE'}, objective ${result.objective}, ${Math.round(result.ms)} ms`);
  return result.feasible ? 0 : 1;
}

const generateFleetCommand: Command = {
  words: ['generate', 'fleet'],
  summary: 'Write a synthetic placement problem: a fleet of library devices and workloads, seeded.',
  positionals: [],
  options: {
    nodes: { type: 'string', placeholder: 'N', description: 'Edge nodes (10 to 10,000).' },
    workloads: { type: 'string', placeholder: 'W', description: 'Workloads (up to 50,000).' },
    seed: { type: 'string', placeholder: 'S', description: 'Seed (default 1).' },
    load: { type: 'string', placeholder: 'L', description: 'Total compute demand over total edge compute (default 0.6).' },
    cloud: { type: 'boolean', description: 'Add a cloud reached over a shared uplink.' },
    out: { type: 'string', placeholder: 'FILE', description: 'Where to write the problem .json.' },
  },
  async run(args, context) {
    const nodes = numberOption(args, 'nodes', { min: 1, integer: true });
    const workloads = numberOption(args, 'workloads', { min: 1, integer: true });
    if (nodes === undefined || workloads === undefined) throw new UsageError('Give --nodes N and --workloads W.');
    if (typeof args.options.out !== 'string') throw new UsageError('Missing --out FILE.');
    const runtime = await context.runtime();
    const problem = generateFleet(runtime.library, { nodes, workloads, seed: numberOption(args, 'seed', { integer: true }) ?? 1, load: numberOption(args, 'load', { min: 0 }), cloud: args.options.cloud === true });
    const file = path.resolve(args.options.out);
    await writeFileAtomic(file, JSON.stringify(problem), { backup: false });
    const summary = { file, nodes: problem.nodes.length, workloads: problem.workloads.length, models: problem.models.length };
    context.out(args.json ? JSON.stringify(summary) : `Wrote ${file}: ${summary.nodes} nodes, ${summary.workloads} workloads, ${summary.models} models.`);
  },
};

const benchSchedule: Command = {
  words: ['bench', 'schedule'],
  summary: 'Compare every algorithm on the GAP files and generated fleets; writes docs/bench-schedule.md (long: use --quick for minutes).',
  positionals: [],
  options: { quick: { type: 'boolean', description: 'Short time limits and fewer instances.' } },
  async run(args, context) {
    const script = path.join(context.paths.resourcesDir, '..', 'bench', 'schedule', 'bench-schedule.ts');
    if (!existsSync(script)) throw new JouleError(`The benchmark script ${script} is not here; run it from Joule's source tree.`);
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...(args.options.quick ? ['--quick'] : [])], { stdio: args.json ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
    if (args.json) context.out(JSON.stringify({ ok: code === 0, report: path.join(context.paths.resourcesDir, '..', 'docs', 'bench-schedule.md') }));
    return code === 0 ? 0 : 1;
  },
};

export const scheduleCommands = [schedule, generateFleetCommand, benchSchedule];
