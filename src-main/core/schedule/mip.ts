/**
 * The exact optimum by mixed-integer programming with HiGHS (npm `highs`, WebAssembly). HiGHS's
 * solve blocks its thread: `solveMip` runs in this thread (tests, the worker itself);
 * `solveMipInWorker` (mip-worker.ts) keeps the caller free.
 *
 * Model (docs/placement.md), with x[o,i] = 1 when option o of its workload runs on node i:
 *   min  sum c[o] x[o,i] + sum idle[i] y[i] + lambda z            (+ the constant offset)
 *   s.t. sum over o of j, i of x[o,i] = 1                 every workload placed once
 *        sum w[o,r] x[o,i] <= cap[i,r] (x y[i] if idle)   every finite capacity
 *        x[o,i] <= y[i]                                   node on when used (idle > 0)
 *        sum over x crossing l of mbps[o] x[o,i] <= cap[l] every link with a capacity
 *        sum w[o,r] utilScale[i,r] x[o,i] <= z            every utilization the peak watches (lambda > 0)
 * The balance term (the largest utilization) is linear in this form, so the MIP optimum is the
 * optimum of the very objective the heuristics minimise.
 *
 * @example
 * const r = await solveMip(cp, { timeLimitS: 60 }); // r.optimal, r.bound, r.gap
 */
import highsLoader, { type Highs, type ModelData } from 'highs';
import type { CompiledProblem } from './compiled';
import { reportObjective } from './compiled';
import { ScheduleError } from './errors';
import type { SolveResult } from './scheduler';
import { PlacementState } from './state';

export interface MipOptions {
  /** HiGHS time limit in seconds (default 60). */
  timeLimitS?: number;
  /** Relative gap at which HiGHS stops (default 1e-4, its own default). */
  relGap?: number;
  /** Cooperative cancel, polled from HiGHS's MIP callback. */
  shouldStop?: () => boolean;
  /** Incumbent to start from (node and option per workload), e.g. the ACO's best. */
  start?: { node: Int32Array; opt: Int32Array };
}

let loaded: Promise<Highs> | null = null;
function loadHighs(): Promise<Highs> {
  loaded ??= highsLoader();
  return loaded;
}

interface Built {
  model: ModelData;
  /** Option and node of each x column; x columns come first. */
  xOpt: Int32Array;
  xNode: Int32Array;
  /** Column of y[i] or -1. */
  yCol: Int32Array;
  /** Column of the peak z, or -1 without a balance term. */
  zCol: number;
}

/** Builds the MIP as CSC arrays. Exported for tests of the formulation. */
export function buildMip(cp: CompiledProblem, highs: Pick<Highs, 'infinity' | 'constants'>): Built {
  const { n, m, K, R } = cp;
  const inf = highs.infinity;
  const byClass: number[][] = Array.from({ length: K }, () => []);
  for (let i = 0; i < m; i++) byClass[cp.nodeClass[i]].push(i);
  const xOpt: number[] = [];
  const xNode: number[] = [];
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < K; k++) {
      for (let o = cp.optStart[j * K + k]; o < cp.optStart[j * K + k + 1]; o++) {
        for (const i of byClass[k]) {
          xOpt.push(o);
          xNode.push(i);
        }
      }
    }
  }
  const X = xOpt.length;
  const strongLink = X <= 50_000;
  const yCol = new Int32Array(m).fill(-1);
  let cols = X;
  for (let i = 0; i < m; i++) if (cp.idleCost[i] > 0) yCol[i] = cols++;
  const balance = cp.lambda > 0 && cp.utilScale.some((v) => v > 0);
  const zCol = balance ? cols : -1; // the last column

  // Rows.
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const addRow = (lo: number, hi: number) => {
    rowLower.push(lo);
    rowUpper.push(hi);
    return rowLower.length - 1;
  };
  const assignRow = Array.from({ length: n }, () => addRow(1, 1));
  const capRow = new Int32Array(m * R).fill(-1);
  for (let i = 0; i < m; i++) {
    for (let r = 0; r < R; r++) {
      const c = cp.cap[i * R + r];
      if (c === Infinity) continue;
      capRow[i * R + r] = yCol[i] >= 0 ? addRow(-inf, 0) : addRow(-inf, c);
    }
  }
  const linkRow = new Int32Array(strongLink ? X : m).fill(-1);
  if (strongLink) {
    for (let x = 0; x < X; x++) if (yCol[xNode[x]] >= 0) linkRow[x] = addRow(-inf, 0);
  } else {
    for (let i = 0; i < m; i++) if (yCol[i] >= 0) linkRow[i] = addRow(-inf, 0);
  }
  const linkRowOf = Int32Array.from({ length: cp.L }, () => addRow(-inf, 0));
  for (let l = 0; l < cp.L; l++) rowUpper[linkRowOf[l]] = cp.linkCap[l];
  // sum w utilScale x - z <= 0 for every (node, resource) the peak watches.
  const peakRow = new Int32Array(m * R).fill(-1);
  if (balance) for (let k = 0; k < m * R; k++) if (cp.utilScale[k] > 0) peakRow[k] = addRow(-inf, 0);

  // Columns (CSC).
  const starts: number[] = [0];
  const index: number[] = [];
  const value: number[] = [];
  const colCost: number[] = [];
  const colLower: number[] = [];
  const colUpper: number[] = [];
  const integrality: (0 | 1)[] = [];
  const perNodeJobs = new Int32Array(m);
  for (let x = 0; x < X; x++) perNodeJobs[xNode[x]]++;
  const entry = (row: number, v: number) => {
    if (row >= 0 && v !== 0) {
      index.push(row);
      value.push(v);
    }
  };
  const endCol = (cost: number, lo: number, hi: number, integer: boolean) => {
    // HiGHS wants row indices in increasing order within a column.
    const from = starts[starts.length - 1];
    const pairs = index.slice(from).map((row, t) => [row, value[from + t]] as const).sort((a, b) => a[0] - b[0]);
    pairs.forEach(([row, v], t) => {
      index[from + t] = row;
      value[from + t] = v;
    });
    starts.push(index.length);
    colCost.push(cost);
    colLower.push(lo);
    colUpper.push(hi);
    integrality.push(integer ? 1 : 0);
  };
  for (let x = 0; x < X; x++) {
    const o = xOpt[x];
    const i = xNode[x];
    const j = workloadOf(cp, o);
    entry(assignRow[j], 1);
    for (let r = 0; r < R; r++) entry(capRow[i * R + r], cp.optW[o * R + r]);
    entry(strongLink ? linkRow[x] : linkRow[i], 1);
    for (let t = cp.optLinkStart[o]; t < cp.optLinkStart[o + 1]; t++) entry(linkRowOf[cp.optLinks[t]], cp.optMbps[o]);
    if (balance) for (let r = 0; r < R; r++) entry(peakRow[i * R + r], cp.optW[o * R + r] * cp.utilScale[i * R + r]);
    endCol(cp.optCost[o], 0, 1, true);
  }
  for (let i = 0; i < m; i++) {
    if (yCol[i] < 0) continue;
    for (let r = 0; r < R; r++) entry(capRow[i * R + r], -cp.cap[i * R + r]);
    if (strongLink) {
      for (let x = 0; x < X; x++) if (xNode[x] === i) entry(linkRow[x], -1);
    } else entry(linkRow[i], -perNodeJobs[i]);
    endCol(cp.idleCost[i], 0, 1, true);
  }
  if (balance) {
    for (let k = 0; k < m * R; k++) entry(peakRow[k], -1);
    endCol(cp.lambda, 0, inf, false);
    if (colCost.length - 1 !== zCol) throw new ScheduleError('The MIP builder lost track of its columns; this is a bug.');
  }
  const model: ModelData = {
    numCols: colCost.length,
    numRows: rowLower.length,
    sense: highs.constants.objectiveSense.minimize,
    colCost,
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    matrix: { format: 'csc', numRows: rowLower.length, numCols: colCost.length, starts, indices: index, values: value },
    integrality,
  };
  return { model, xOpt: Int32Array.from(xOpt), xNode: Int32Array.from(xNode), yCol, zCol };
}

/** The workload an option belongs to (binary search over optStart). */
function workloadOf(cp: CompiledProblem, o: number): number {
  let lo = 0;
  let hi = cp.n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cp.optStart[mid * cp.K] <= o) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Solves the MIP in this thread (blocks it until HiGHS returns). */
export async function solveMip(cp: CompiledProblem, options: MipOptions = {}): Promise<SolveResult> {
  const started = performance.now();
  const highs = await loadHighs();
  const built = buildMip(cp, highs);
  const model = highs.createModel(built.model);
  try {
    model.options.set({ output_flag: false, time_limit: options.timeLimitS ?? 60, mip_rel_gap: options.relGap ?? 1e-4, random_seed: 0 });
    if (options.start) {
      const col = new Float64Array(built.model.numCols);
      for (let x = 0; x < built.xOpt.length; x++) if (options.start.opt[workloadOf(cp, built.xOpt[x])] === built.xOpt[x] && options.start.node[workloadOf(cp, built.xOpt[x])] === built.xNode[x]) col[x] = 1;
      for (let i = 0; i < cp.m; i++) if (built.yCol[i] >= 0 && options.start.node.includes(i)) col[built.yCol[i]] = 1;
      if (built.zCol >= 0) {
        const start = new PlacementState(cp);
        start.setFrom(options.start.node, options.start.opt);
        col[built.zCol] = start.peak();
      }
      model.setSolution({ colValue: col });
    }
    const trace: [number, number][] = [];
    // The last incumbent's column vector, in case HiGHS stops where getSolution has none.
    let incumbent: Float64Array | null = null;
    model.run({
      [highs.constants.callbackType.mipImprovingSolution]: (event: { data: { objective_function_value?: number; mip_solution?: Float64Array } }) => {
        const f = event.data.objective_function_value;
        if (f !== undefined) trace.push([performance.now() - started, reportObjective(cp, f)]);
        if (event.data.mip_solution) incumbent = event.data.mip_solution;
      },
      [highs.constants.callbackType.mipInterrupt]: (event: { interrupt(): void }) => {
        if (options.shouldStop?.()) event.interrupt();
      },
    });
    const status = model.getModelStatus();
    const codes = highs.constants.modelStatus;
    if (status === codes.infeasible) throw new ScheduleError('HiGHS proved the placement problem infeasible: no assignment meets every constraint.');
    let colValue: ArrayLike<number> = model.getSolution().colValue;
    if (colValue.length !== built.model.numCols && incumbent) colValue = incumbent;
    const node = new Int32Array(cp.n).fill(-1);
    const opt = new Int32Array(cp.n).fill(-1);
    let found = colValue.length === built.model.numCols;
    if (found) {
      for (let x = 0; x < built.xOpt.length; x++) {
        if (colValue[x] > 0.5) {
          const j = workloadOf(cp, built.xOpt[x]);
          node[j] = built.xNode[x];
          opt[j] = built.xOpt[x];
        }
      }
      found = !node.includes(-1);
    }
    const dual = Number(model.info.get('mip_dual_bound'));
    const gap = Number(model.info.get('mip_gap'));
    const s = new PlacementState(cp);
    if (found) s.setFrom(node, opt);
    const optimal = status === codes.optimal;
    return {
      algorithm: 'mip',
      assignment: node,
      option: opt,
      objective: found ? reportObjective(cp, s.objective()) : NaN,
      feasible: found && s.feasible(),
      trace,
      ms: performance.now() - started,
      iterations: Number(model.info.get('mip_node_count')),
      bound: Number.isFinite(dual) ? reportObjective(cp, dual) : undefined,
      gap: found && Number.isFinite(gap) ? gap : undefined,
      optimal,
    };
  } finally {
    model.dispose();
  }
}
