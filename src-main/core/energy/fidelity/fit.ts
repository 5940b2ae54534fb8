/**
 * Fitting devices' speed parameters to measured latencies, jointly: least squares on log latency
 * (a 2x miss on a 2 ms network weighs what it weighs on a 2 s one) over every device at once, in
 * log space, by Levenberg-Marquardt with the exact Jacobian.
 *
 * Per device d: a regular-convolution efficiency a_d, a bandwidth efficiency b_d and a per-layer
 * overhead o_d. The other classes' efficiencies are a_d x exp(s_c + D_dc): s_c is shared by every
 * device (depthwise layers run worse than regular ones almost everywhere), D_dc is the device's own
 * departure from it. Ridge terms pull a_d, b_d, o_d weakly toward the device's prior (its kind's
 * defaults, or its current profile when calibrating), s_c toward the prior's ratios, and D_dc toward
 * zero with a weight chosen by cross-validation: a device with few measurements borrows the class
 * ratios of the others instead of inventing its own.
 *
 * Honest error: `crossValidate` predicts each model from a fit (weight choice included) that never
 * saw that model on any device.
 */
import { layerClasses, type LayerClass } from '../../../common/devices/profile';
import { CLASS_INDEX, predictSeconds, type LatencyTerms, type SpeedParams } from './terms';

export interface FitRow {
  /** What is held out together in cross-validation: the network's name. */
  group: string;
  /** Index of the device in the priors. */
  device: number;
  terms: LatencyTerms;
  measuredS: number;
}

export interface FitOptions {
  /** Weight of the pull of a_d, b_d, o_d and s_c toward their priors (weak). */
  ridgePrior: number;
  /** Weight of the pull of each device's class ratios toward the shared ones. */
  ridgeDevice: number;
  /** Weight of the pull of each device's overhead toward its prior (weak: overheads range over orders of magnitude between runtimes). */
  ridgeOverhead: number;
  /**
   * The most a layer's fixed cost may be, microseconds. Kernel launches cost 5-20 us and
   * thread-pool dispatch tens of us on the library's runtimes; without a cap a fit may explain a
   * network's speed by overhead alone, which would wreck predictions for the small networks the
   * corpus lacks.
   */
  maxOverheadUs: number;
}

/** The settings `chooseRidge` tries: device ratio weights x overhead prior weights x overhead caps. */
export const RIDGE_GRID: readonly Omit<FitOptions, 'ridgePrior'>[] = [0.1, 0.3, 1].flatMap((ridgeDevice) =>
  [1e-3, 1e-4].flatMap((ridgeOverhead) => [30, 100].map((maxOverheadUs) => ({ ridgeDevice, ridgeOverhead, maxOverheadUs }))),
);
export const DEFAULT_RIDGE_PRIOR = 0.01;

const OTHER = layerClasses.filter((c) => c !== 'conv');
const K = OTHER.length;
/** Per device: a, b, o, then D for each non-conv class. */
const PER_DEVICE = 3 + K;
/** Efficiencies above 1 would beat the datasheet peak. */
const MAX_LOG = 0;
const OVERHEAD_FLOOR_US = 0.1;

const offsetOf = (d: number) => K + d * PER_DEVICE;

function priorVector(priors: readonly SpeedParams[]): Float64Array {
  const v = new Float64Array(K + priors.length * PER_DEVICE);
  // Shared ratios start at the mean prior ratio.
  OTHER.forEach((c, k) => (v[k] = priors.reduce((s, p) => s + Math.log(p.efficiency[c] / p.efficiency.conv), 0) / Math.max(1, priors.length)));
  priors.forEach((p, d) => {
    const o = offsetOf(d);
    v[o] = Math.log(p.efficiency.conv);
    v[o + 1] = Math.log(p.bandwidthEfficiency);
    v[o + 2] = Math.log(Math.max(p.layerOverheadUs, OVERHEAD_FLOOR_US));
    OTHER.forEach((c, k) => (v[o + 3 + k] = Math.log(p.efficiency[c] / p.efficiency.conv) - v[k]));
  });
  return v;
}

/** Log efficiency per class (index as CLASS_INDEX), log bandwidth efficiency, overhead in us, of device d. */
function deviceLogs(v: Float64Array, d: number, maxOverheadUs: number): { logEff: Float64Array; logBw: number; overheadUs: number } {
  const o = offsetOf(d);
  const logEff = new Float64Array(layerClasses.length);
  logEff[CLASS_INDEX.conv] = v[o];
  OTHER.forEach((c, k) => (logEff[CLASS_INDEX[c]] = v[o] + v[k] + v[o + 3 + k]));
  for (let i = 0; i < logEff.length; i++) logEff[i] = Math.min(MAX_LOG, logEff[i]);
  return { logEff, logBw: Math.min(MAX_LOG, v[o + 1]), overheadUs: Math.min(maxOverheadUs, Math.exp(v[o + 2])) };
}

function deviceParams(v: Float64Array, d: number, maxOverheadUs: number): SpeedParams {
  const { logEff, logBw, overheadUs } = deviceLogs(v, d, maxOverheadUs);
  return {
    efficiency: Object.fromEntries(layerClasses.map((c) => [c, Math.exp(logEff[CLASS_INDEX[c]])])) as Record<LayerClass, number>,
    bandwidthEfficiency: Math.exp(logBw),
    layerOverheadUs: overheadUs,
  };
}

/**
 * Log residual of a row; fills `grad` with d(residual)/d(vector) for the entries it touches and
 * returns the list of those entries.
 */
function residual(row: FitRow, v: Float64Array, grad: Float64Array, touched: number[], maxOverheadUs: number): number {
  const o = offsetOf(row.device);
  const { logEff, logBw, overheadUs } = deviceLogs(v, row.device, maxOverheadUs);
  const t = row.terms;
  // Seconds spent per class (compute-bound), memory-bound, and in overhead.
  const perClass = new Float64Array(layerClasses.length);
  let memory = 0;
  const e = Array.from(logEff, Math.exp);
  const bw = Math.exp(logBw);
  perClass[CLASS_INDEX.conv] += t.fused / e[CLASS_INDEX.conv];
  for (let i = 0; i < t.cls.length; i++) {
    const c = t.compute[i] / e[t.cls[i]];
    const m = t.memory[i] / bw;
    if (c >= m) perClass[t.cls[i]] += c;
    else memory += m;
  }
  const overhead = t.cls.length * overheadUs * 1e-6;
  const total = perClass.reduce((s, x) => s + x, 0) + memory + overhead;
  touched.length = 0;
  const set = (index: number, value: number) => {
    grad[index] = value / total;
    touched.push(index);
  };
  // d total / d log e_class = -time of that class (zero when clamped at the peak).
  const raw = (c: LayerClass) => (c === 'conv' ? v[o] : v[o] + v[OTHER.indexOf(c)] + v[o + 3 + OTHER.indexOf(c)]);
  const dClass = (c: LayerClass) => (raw(c) > MAX_LOG ? 0 : -perClass[CLASS_INDEX[c]]);
  set(o, layerClasses.reduce((s, c) => s + dClass(c), 0));
  set(o + 1, v[o + 1] > MAX_LOG ? 0 : -memory);
  set(o + 2, Math.exp(v[o + 2]) > maxOverheadUs ? 0 : overhead);
  OTHER.forEach((c, k) => {
    set(k, dClass(c));
    set(o + 3 + k, dClass(c));
  });
  return Math.log(total) - Math.log(row.measuredS);
}

function priorWeights(n: number, devices: number, options: FitOptions): Float64Array {
  const w = new Float64Array(n).fill(options.ridgePrior);
  for (let d = 0; d < devices; d++) {
    w[offsetOf(d) + 2] = options.ridgeOverhead;
    for (let k = 0; k < K; k++) w[offsetOf(d) + 3 + k] = options.ridgeDevice;
  }
  return w;
}

function loss(rows: readonly FitRow[], v: Float64Array, prior: Float64Array, weights: Float64Array, grad: Float64Array, touched: number[], maxOverheadUs: number): number {
  let s = 0;
  for (const row of rows) s += residual(row, v, grad, touched, maxOverheadUs) ** 2;
  for (let i = 0; i < v.length; i++) s += weights[i] * (v[i] - prior[i]) ** 2;
  return s;
}

function solve(a: Float64Array[], b: Float64Array): Float64Array | null {
  const n = b.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    if (Math.abs(a[pivot][col]) < 1e-300) return null;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    [b[col], b[pivot]] = [b[pivot], b[col]];
    for (let r = col + 1; r < n; r++) {
      const f = a[r][col] / a[col][col];
      if (f === 0) continue;
      for (let k = col; k < n; k++) a[r][k] -= f * a[col][k];
      b[r] -= f * b[col];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= a[r][k] * x[k];
    x[r] = s / a[r][r];
  }
  return x;
}

/** Speed parameters of every device (in the order of `priors`) fitted to `rows`. */
export function fitSpeeds(rows: readonly FitRow[], priors: readonly SpeedParams[], options: FitOptions): SpeedParams[] {
  const p0 = priorVector(priors);
  const n = p0.length;
  const weights = priorWeights(n, priors.length, options);
  const grad = new Float64Array(n);
  const touched: number[] = [];
  let v = Float64Array.from(p0);
  let best = loss(rows, v, p0, weights, grad, touched, options.maxOverheadUs);
  let lambda = 1e-3;
  for (let iter = 0; iter < 200; iter++) {
    const jtj = Array.from({ length: n }, () => new Float64Array(n));
    const jtr = new Float64Array(n);
    for (const row of rows) {
      const r = residual(row, v, grad, touched, options.maxOverheadUs);
      for (const i of touched) {
        jtr[i] += grad[i] * r;
        for (const k of touched) jtj[i][k] += grad[i] * grad[k];
      }
    }
    for (let i = 0; i < n; i++) {
      jtj[i][i] = (jtj[i][i] + weights[i]) * (1 + lambda);
      jtr[i] += weights[i] * (v[i] - p0[i]);
    }
    const step = solve(jtj, jtr.map((g) => -g));
    if (!step) break;
    const next = v.map((x, i) => x + step[i]);
    const nextLoss = loss(rows, next, p0, weights, grad, touched, options.maxOverheadUs);
    if (nextLoss < best) {
      const gain = best - nextLoss;
      [v, best] = [next, nextLoss];
      lambda = Math.max(lambda / 10, 1e-9);
      if (gain < 1e-12 * Math.max(1, best)) break;
    } else {
      lambda *= 10;
      if (lambda > 1e9) break;
    }
  }
  return priors.map((_, d) => deviceParams(v, d, options.maxOverheadUs));
}

/** Predictions for every row, each from a fit that never saw the row's network on any device. */
export function leaveOneGroupOut(rows: readonly FitRow[], fit: (training: readonly FitRow[]) => SpeedParams[], onGroup?: (done: number, of: number) => void): number[] {
  const out = new Array<number>(rows.length);
  const groups = [...new Set(rows.map((r) => r.group))];
  for (const [done, group] of groups.entries()) {
    onGroup?.(done, groups.length);
    const params = fit(rows.filter((r) => r.group !== group));
    rows.forEach((r, i) => {
      if (r.group === group) out[i] = predictSeconds(r.terms, params[r.device]);
    });
  }
  return out;
}

const squaredLogError = (rows: readonly FitRow[], predicted: readonly number[]) => rows.reduce((s, r, i) => s + Math.log(predicted[i] / r.measuredS) ** 2, 0);

/** The settings of `RIDGE_GRID` with the least leave-one-network-out error on `rows` (the heaviest pull with fewer than three networks). */
export function chooseRidge(rows: readonly FitRow[], priors: readonly SpeedParams[]): FitOptions {
  const options = RIDGE_GRID.map((o) => ({ ...o, ridgePrior: DEFAULT_RIDGE_PRIOR }));
  if (new Set(rows.map((r) => r.group)).size < 3) return options[options.length - 2];
  let best = options[0];
  let bestError = Infinity;
  for (const o of options) {
    const error = squaredLogError(rows, leaveOneGroupOut(rows, (training) => fitSpeeds(training, priors, o)));
    if (error < bestError - 1e-12) [best, bestError] = [o, error];
  }
  return best;
}

export function fitWithChosenRidge(rows: readonly FitRow[], priors: readonly SpeedParams[]): { params: SpeedParams[]; options: FitOptions } {
  const options = chooseRidge(rows, priors);
  return { params: fitSpeeds(rows, priors, options), options };
}

/** Honest predictions: every network predicted by a fit (weight choice included) made without it. */
export function crossValidate(rows: readonly FitRow[], priors: readonly SpeedParams[], onProgress?: (fraction: number) => void): number[] {
  return leaveOneGroupOut(rows, (training) => fitWithChosenRidge(training, priors).params, (done, of) => onProgress?.(done / of));
}
