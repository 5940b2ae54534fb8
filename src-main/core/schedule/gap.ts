/**
 * OR-Library generalized assignment problem files (Beasley; Osman; Chu & Beasley 1997): the
 * pure-assignment special case of placement, with known optima. Format (tests/fixtures/gap/README.md):
 *
 * ```
 * P                        problems in the file
 * m n                      agents, jobs          } repeated P times
 * c[i][j] (m rows of n)    cost or profit        }
 * r[i][j] (m rows of n)    resource              }
 * b[i]    (m values)       capacity              }
 * ```
 * gap1..gap12 maximise profit; gapa..gapd minimise cost.
 *
 * @example
 * const file = parseGapFile(readFileSync('gapa.txt', 'utf8'), 'gapa.txt');
 * const cp = gapToCompiled(file.instances[0], file.maximize); // 5 agents x 100 jobs
 */
import path from 'node:path';
import { readRegularText, UnreadableFileError } from '../io/regular-file';
import type { CompiledProblem } from './compiled';
import { ScheduleError } from './errors';
import { formatLimit, MAX_GAP_AGENTS, MAX_GAP_CELLS, MAX_GAP_JOBS } from '../../common/limits';
import type { PlacementProblem } from '../../common/placement/problem';

export interface GapInstance {
  /** Agents (nodes). */
  m: number;
  /** Jobs (workloads). */
  n: number;
  /** Cost or profit of job j on agent i at `i*n + j`. */
  cost: Float64Array;
  /** Resource job j takes on agent i at `i*n + j`. */
  weight: Float64Array;
  capacity: Float64Array;
}

export interface GapFile {
  name: string;
  maximize: boolean;
  instances: GapInstance[];
}

/** gap1..gap12 are maximisation files; every other name (gapa..gapd) minimises. */
export function gapFileMaximizes(name: string): boolean {
  return /^gap\d+(\.txt)?$/i.test(path.basename(name));
}

/** Parses the text of one OR-Library GAP file; `name` decides the sense and names errors. */
export function parseGapFile(text: string, name: string): GapFile {
  const tokens = text.split(/\s+/).filter((t) => t.length > 0);
  let at = 0;
  const next = (what: string): number => {
    if (at >= tokens.length) throw new ScheduleError(`GAP file ${name} ends early: expected ${what} at number ${at + 1}.`);
    const value = Number(tokens[at]);
    if (!Number.isFinite(value)) throw new ScheduleError(`GAP file ${name}: number ${at + 1} (${what}) is not a number.`);
    at++;
    return value;
  };
  const count = next('the number of problems');
  const instances: GapInstance[] = [];
  for (let p = 0; p < count; p++) {
    const m = next(`the agent count of problem ${p + 1}`);
    const n = next(`the job count of problem ${p + 1}`);
    if (!Number.isInteger(m) || !Number.isInteger(n) || m < 1 || n < 1) {
      throw new ScheduleError(`GAP file ${name}: problem ${p + 1} has ${m} agents and ${n} jobs; both must be whole numbers of at least 1.`);
    }
    if (m > MAX_GAP_AGENTS || n > MAX_GAP_JOBS || m * n > MAX_GAP_CELLS) {
      throw new ScheduleError(
        `GAP file ${name}: problem ${p + 1} declares ${m} agents x ${n} jobs; the limits are ${formatLimit(MAX_GAP_AGENTS)} agents, ${formatLimit(MAX_GAP_JOBS)} jobs and ${formatLimit(MAX_GAP_CELLS)} agent-job pairs (docs/limits.md).`,
      );
    }
    // Allocate only what the file can fill: a header may promise far more numbers than follow it.
    const needed = 2 * m * n + m;
    if (tokens.length - at < needed) {
      throw new ScheduleError(`GAP file ${name} ends early: problem ${p + 1} declares ${m} agents x ${n} jobs (${needed} numbers), but only ${tokens.length - at} numbers follow.`);
    }
    const cost = new Float64Array(m * n);
    const weight = new Float64Array(m * n);
    const capacity = new Float64Array(m);
    // OR-Library costs, resources and capacities are non-negative; a capacity of 0 divides the
    // solvers' load balance by zero.
    const atLeast = (what: string, min: number, strict: boolean): number => {
      const value = next(what);
      if (strict ? value <= min : value < min) throw new ScheduleError(`GAP file ${name}: ${what} is ${value}; it must be ${strict ? 'above' : 'at least'} ${min}.`);
      return value;
    };
    for (let k = 0; k < m * n; k++) cost[k] = atLeast(`cost ${k + 1} of problem ${p + 1}`, 0, false);
    for (let k = 0; k < m * n; k++) weight[k] = atLeast(`resource ${k + 1} of problem ${p + 1}`, 0, false);
    for (let i = 0; i < m; i++) capacity[i] = atLeast(`capacity ${i + 1} of problem ${p + 1}`, 0, true);
    instances.push({ m, n, cost, weight, capacity });
  }
  if (at < tokens.length) throw new ScheduleError(`GAP file ${name} has ${tokens.length - at} numbers after its ${count} problems.`);
  return { name: path.basename(name), maximize: gapFileMaximizes(name), instances };
}

export async function readGapFile(file: string): Promise<GapFile> {
  let text: string;
  try {
    text = await readRegularText(file, 'gap');
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new ScheduleError(`Cannot read the GAP file ${file}: ${error.why}.`);
    throw error;
  }
  return parseGapFile(text, file);
}

/**
 * The compiled form of a GAP instance: one resource, cost only, lambda 0. A maximisation
 * instance is minimised as cost = M - profit (M the largest profit), a constant shift per job
 * since every job is assigned once; reported objectives are profits again. Pairs whose
 * resource exceeds the agent's whole capacity are left out (never feasible).
 */
export function gapToCompiled(g: GapInstance, maximize: boolean): CompiledProblem {
  const { m, n } = g;
  let maxProfit = 0;
  if (maximize) for (const c of g.cost) maxProfit = Math.max(maxProfit, c);
  const optStart = new Int32Array(n * m + 1);
  const cost: number[] = [];
  const w: number[] = [];
  const variant: number[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      optStart[j * m + i] = cost.length;
      if (g.weight[i * n + j] > g.capacity[i]) continue;
      cost.push(maximize ? maxProfit - g.cost[i * n + j] : g.cost[i * n + j]);
      w.push(g.weight[i * n + j]);
      variant.push(j);
    }
    if (optStart[j * m] === cost.length) throw new ScheduleError(`GAP job ${j + 1} is larger than every agent's capacity.`);
  }
  optStart[n * m] = cost.length;
  return {
    n,
    m,
    K: m,
    R: 1,
    nodeClass: Int32Array.from({ length: m }, (_, i) => i),
    cap: Float64Array.from(g.capacity),
    idleCost: new Float64Array(m),
    utilScale: Float64Array.from(g.capacity, (c) => 1 / c),
    optStart,
    optCost: Float64Array.from(cost),
    optW: Float64Array.from(w),
    // Job j is "model" j{j+1} in gapToProblem, so variants name jobs.
    optVariant: Int32Array.from(variant),
    optAccel: new Uint8Array(cost.length),
    L: 0,
    linkCap: new Float64Array(0),
    optLinkStart: new Int32Array(cost.length + 1),
    optLinks: new Int32Array(0),
    optMbps: new Float64Array(cost.length),
    lambda: 0,
    maximize,
    offset: maximize ? n * maxProfit : 0,
    resourceNames: ['resource'],
    linkNames: [],
    workloadIds: Array.from({ length: n }, (_, j) => `j${j + 1}`),
    nodeIds: Array.from({ length: m }, (_, i) => `a${i + 1}`),
    acceleratorIds: new Array<string>(m).fill(''),
    variantIds: Array.from({ length: n }, (_, j) => `j${j + 1}`),
  };
}

/**
 * The same instance as a placement problem file, for the checker: agent i is node `a{i+1}` of
 * its own device type, job j is workload `j{j+1}` at one inference per one-second period, its
 * resource is MACs, its cost (M - profit when maximising, as in `gapToCompiled`) is energy.
 * The checker's objective equals the compiled internal cost.
 */
export function gapToProblem(g: GapInstance, maximize: boolean): PlacementProblem {
  let maxProfit = 0;
  if (maximize) for (const c of g.cost) maxProfit = Math.max(maxProfit, c);
  const models = Array.from({ length: g.n }, (_, j) => {
    const perDevice: Record<string, { energyJ: number; latencyMs: number; macs: number }> = {};
    for (let i = 0; i < g.m; i++) {
      const c = g.cost[i * g.n + j];
      perDevice[`agent${i + 1}`] = { energyJ: maximize ? maxProfit - c : c, latencyMs: 0, macs: g.weight[i * g.n + j] };
    }
    return { id: `j${j + 1}`, macs: 0, memoryMB: 0, inputMB: 0, perDevice };
  });
  return {
    schemaVersion: 2,
    periodS: 1,
    lambdaJ: 0,
    nodes: Array.from({ length: g.m }, (_, i) => ({
      id: `a${i + 1}`,
      deviceType: `agent${i + 1}`,
      site: '',
      computeMacPerS: g.capacity[i],
      memoryMB: 1,
      idlePowerW: 0,
      wakeUpJ: 0,
    })),
    models,
    workloads: models.map((model) => ({ id: model.id, model: model.id, ratePerS: 1, sloMs: 1, allowCloud: false })),
    utilizationLimit: 1,
    sites: [],
    links: [],
  };
}
