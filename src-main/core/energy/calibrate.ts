/**
 * Calibration of a profile from a planner's measurements (model, measured latency, optionally
 * measured energy), by least squares.
 *
 * Latency model: each layer takes max(x * c_l, y * m_l) + o_l (fused ops x * c_l), where c_l
 * and m_l are its compute and memory times on the uncalibrated profile and o_l its fixed
 * overhead. x and y scale the effective throughput and bandwidth (x = 2 means half the
 * throughput). They minimise the squared relative error sum_i ((L_i(x, y) - T_i) / T_i)^2,
 * solved in log space (x, y > 0) by a coarse grid then Levenberg-Marquardt; a direction the
 * rows cannot see (no memory-bound layer, say) stays at its prior value 1.
 *
 * Energy model: E_i = kMac * C_i + kByte * M_i + P_idle * T_i, with C_i the computation energy
 * and M_i the data-movement energy predicted on the profile, T_i the measured latency. kMac and
 * kByte minimise the squared relative energy error, non-negative (a weighted 2x2 least squares;
 * with one row, or collinear rows, one common scale).
 *
 * The calibrated profile is a valid device-library profile: peak throughputs are divided by x,
 * the bandwidth by y, per-MAC energies multiplied by kMac and per-byte energies by kByte, each
 * with a note giving the old value, so `analyzeModel` on it reproduces the fit.
 */
import type { Figure, Precision } from '../../common/devices/profile';
import type { CalibrationFit, CalibrationResidual } from '../../common/energy/reports';
import type { Model } from '../onnx/ir';
import { analyzeModel } from './analyze';
import type { EnergyAnalysis } from './analyze';
import type { EnergyProfile } from './device-kind';
import { EnergyModelError } from './errors';
import { resolveHardware } from './hardware';

export interface CalibrationRow {
  model: Model;
  /** Label for residuals (default: the graph's name). */
  name?: string;
  measuredLatencyMs: number;
  measuredEnergyMJ?: number;
  batch?: number;
}

export interface CalibrationOptions {
  /** Precision the rows were measured at (default: the profile's first listed precision). */
  precision?: Precision;
  fuse?: boolean;
  /** Date stamped into the calibrated figures' sources (default: today). */
  date?: string;
}

export interface CalibrationResult {
  profile: EnergyProfile;
  fit: CalibrationFit;
  residuals: CalibrationResidual[];
}

/** Per-layer roofline terms of one row, in seconds. */
interface RowTerms {
  compute: number[];
  memory: number[];
  overhead: number;
  fusedCompute: number;
  target: number;
}

function rowTerms(a: EnergyAnalysis, macsPerSecond: number, bytesPerSecond: number, overheadS: number, targetMs: number): RowTerms {
  const t: RowTerms = { compute: [], memory: [], overhead: 0, fusedCompute: 0, target: targetMs / 1e3 };
  for (const l of a.layers) {
    const c = l.macEquivalents / macsPerSecond;
    if (l.fusedInto !== undefined) {
      t.fusedCompute += c;
      continue;
    }
    const m = l.dramBytes / bytesPerSecond;
    if (c === 0 && m === 0) continue;
    t.compute.push(c);
    t.memory.push(m);
    t.overhead += overheadS;
  }
  return t;
}

/** Latency of a row at (x, y) and its derivatives in log space. */
function latency(t: RowTerms, x: number, y: number): { value: number; du: number; dv: number } {
  let value = t.overhead + x * t.fusedCompute;
  let du = x * t.fusedCompute;
  let dv = 0;
  for (let i = 0; i < t.compute.length; i++) {
    const c = x * t.compute[i];
    const m = y * t.memory[i];
    if (c >= m) {
      value += c;
      du += c;
    } else {
      value += m;
      dv += m;
    }
  }
  return { value, du, dv };
}

/**
 * A vanishing pull toward the prior (u = v = 0): it decides only directions the data leave
 * free (one row, or no memory-bound layer) and shifts a determined fit by ~1e-10.
 */
const RIDGE = 1e-10;

function latencyLoss(rows: RowTerms[], u: number, v: number): number {
  let s = RIDGE * (u * u + v * v);
  for (const t of rows) {
    const r = (latency(t, Math.exp(u), Math.exp(v)).value - t.target) / t.target;
    s += r * r;
  }
  return s;
}

/** Coarse grid over log scales, then Levenberg-Marquardt from the best grid point. */
function fitLatency(rows: RowTerms[]): { x: number; y: number } {
  let u = 0;
  let v = 0;
  let best = latencyLoss(rows, 0, 0);
  for (let gu = -4; gu <= 4; gu += 0.25) {
    for (let gv = -4; gv <= 4; gv += 0.25) {
      const loss = latencyLoss(rows, gu, gv);
      if (loss < best - 1e-15) [best, u, v] = [loss, gu, gv];
    }
  }
  let lambda = 1e-3;
  for (let iter = 0; iter < 200; iter++) {
    let a11 = 0, a12 = 0, a22 = 0, g1 = 0, g2 = 0;
    for (const t of rows) {
      const l = latency(t, Math.exp(u), Math.exp(v));
      const r = (l.value - t.target) / t.target;
      const j1 = l.du / t.target;
      const j2 = l.dv / t.target;
      a11 += j1 * j1; a12 += j1 * j2; a22 += j2 * j2; g1 += j1 * r; g2 += j2 * r;
    }
    a11 += RIDGE; a22 += RIDGE; g1 += RIDGE * u; g2 += RIDGE * v;
    const d11 = a11 + lambda * a11;
    const d22 = a22 + lambda * a22;
    const det = d11 * d22 - a12 * a12;
    if (!(Math.abs(det) > 0)) break;
    const du = -(d22 * g1 - a12 * g2) / det;
    const dv = -(d11 * g2 - a12 * g1) / det;
    const next = latencyLoss(rows, u + du, v + dv);
    if (next < best) {
      [best, u, v] = [next, u + du, v + dv];
      lambda = Math.max(lambda / 10, 1e-12);
      if (Math.abs(du) + Math.abs(dv) < 1e-12) break;
    } else {
      lambda *= 10;
      if (lambda > 1e12) break;
    }
  }
  return { x: Math.exp(u), y: Math.exp(v) };
}

/** Weighted non-negative least squares for E - S = kMac * C + kByte * M (weights 1 / E). */
interface EnergyRow {
  /** Predicted computation and data-movement energy (J) at scale 1. */
  c: number;
  m: number;
  /** Measured energy (J) and measured minus static energy. */
  e: number;
  y: number;
}

function fitEnergy(rows: EnergyRow[]): { kMac: number; kByte: number } {
  if (rows.length === 0) return { kMac: 1, kByte: 1 };
  let cc = 0, cm = 0, mm = 0, cy = 0, my = 0;
  for (const r of rows) {
    const w = 1 / (r.e * r.e);
    cc += w * r.c * r.c; cm += w * r.c * r.m; mm += w * r.m * r.m; cy += w * r.c * r.y; my += w * r.m * r.y;
  }
  const det = cc * mm - cm * cm;
  if (rows.length >= 2 && det > 1e-9 * cc * mm) {
    const kMac = (cy * mm - my * cm) / det;
    const kByte = (my * cc - cy * cm) / det;
    if (kMac >= 0 && kByte >= 0) return { kMac, kByte };
    if (kMac < 0) return { kMac: 0, kByte: mm > 0 ? Math.max(0, my / mm) : 1 };
    return { kMac: cc > 0 ? Math.max(0, cy / cc) : 1, kByte: 0 };
  }
  // One common scale when the rows cannot tell computation from data movement apart.
  const k = Math.max(0, (cy + my) / (cc + 2 * cm + mm));
  return { kMac: k, kByte: k };
}

function scaled(f: Figure, factor: number, what: string, stamp: string): Figure {
  if (factor === 1) return f;
  const value = Number((f.value * factor).toPrecision(6));
  return {
    value,
    source: stamp,
    estimate: true,
    note: `${what}: ${f.value} x ${factor.toPrecision(4)}. Before calibration: ${f.source}${f.note ? ` (${f.note})` : ''}`,
  };
}

function scalePrecisions<T extends Partial<Record<Precision, Figure>>>(figs: T, factor: number, what: string, stamp: string): T {
  const out: Partial<Record<Precision, Figure>> = {};
  for (const [p, f] of Object.entries(figs) as [Precision, Figure | undefined][]) if (f) out[p] = scaled(f, factor, what, stamp);
  return out as T;
}

/**
 * Fits `profile` to measured rows (see the file comment for the model) and returns the
 * calibrated profile with the fit and the residuals after it.
 *
 * @example
 *   const { profile: tuned, residuals } = calibrateProfile(pi4, [
 *     { model: zoo.mobilenet_v2.build(), measuredLatencyMs: 120, measuredEnergyMJ: 410 },
 *     { model: zoo.resnet18.build(), measuredLatencyMs: 610, measuredEnergyMJ: 2300 },
 *   ], { precision: 'fp32' });
 */
export function calibrateProfile(profile: EnergyProfile, rows: CalibrationRow[], options: CalibrationOptions = {}): CalibrationResult {
  const precision = options.precision ?? profile.precisions[0];
  if (rows.length === 0) throw new EnergyModelError(`Calibrating '${profile.id}' needs at least one measurement.`);
  rows.forEach((r, i) => {
    if (!(r.measuredLatencyMs > 0)) {
      throw new EnergyModelError(`Measurement ${i + 1} (${r.name ?? r.model.graph.name}) has latency ${r.measuredLatencyMs} ms; it must be positive.`);
    }
    if (r.measuredEnergyMJ !== undefined && !(r.measuredEnergyMJ > 0)) {
      throw new EnergyModelError(`Measurement ${i + 1} (${r.name ?? r.model.graph.name}) has energy ${r.measuredEnergyMJ} mJ; it must be positive.`);
    }
  });
  const hw = resolveHardware(profile, precision);
  const analyses = rows.map((r) => analyzeModel(r.model, profile, { precision, batch: r.batch, fuse: options.fuse }));
  const terms = analyses.map((a, i) => rowTerms(a, hw.macsPerSecond, hw.bytesPerSecond, hw.layerOverheadS, rows[i].measuredLatencyMs));
  const { x, y } = fitLatency(terms);

  const staticW = hw.staticPower;
  const energyRows: (EnergyRow | null)[] = analyses.map((a, i) => {
    const mj = rows[i].measuredEnergyMJ;
    if (mj === undefined) return null;
    const e = mj / 1e3;
    const moving = a.totals.dramJ + a.totals.bufferJ + a.totals.rfJ;
    return { c: a.totals.computeJ, m: moving, e, y: e - staticW * (rows[i].measuredLatencyMs / 1e3) };
  });
  const { kMac, kByte } = fitEnergy(energyRows.filter((r): r is EnergyRow => r !== null));

  const stamp = `Calibrated by Joule from ${rows.length} measurement${rows.length === 1 ? '' : 's'} (${options.date ?? new Date().toISOString().slice(0, 10)})`;
  const ext = profile.extensions;
  const calibrated: EnergyProfile = {
    ...profile,
    peakTops: scalePrecisions(profile.peakTops, 1 / x, 'Effective peak after calibration', stamp),
    memoryBandwidthGBps: scaled(profile.memoryBandwidthGBps, 1 / y, 'Effective bandwidth after calibration', stamp),
    energy: {
      macPJ: scalePrecisions(profile.energy.macPJ, kMac, 'Energy per MAC after calibration', stamp),
      dramPJPerByte: scaled(profile.energy.dramPJPerByte, kByte, 'DRAM energy after calibration', stamp),
      bufferPJPerByte: scaled(profile.energy.bufferPJPerByte, kByte, 'Buffer energy after calibration', stamp),
      registerPJPerByte: scaled(profile.energy.registerPJPerByte, kByte, 'Register energy after calibration', stamp),
    },
    notes: `${profile.notes ? `${profile.notes} ` : ''}${stamp}: throughput x${(1 / x).toPrecision(4)}, bandwidth x${(1 / y).toPrecision(4)}, MAC energy x${kMac.toPrecision(4)}, byte energy x${kByte.toPrecision(4)}.`,
  };
  if (ext?.arrayPJPerByte) {
    calibrated.extensions = { ...ext, arrayPJPerByte: scaled(ext.arrayPJPerByte, kByte, 'Array energy after calibration', stamp) };
  }

  const residuals: CalibrationResidual[] = analyses.map((a, i) => {
    const predictedLatencyMs = latency(terms[i], x, y).value * 1e3;
    const er = energyRows[i];
    const predictedJ = er ? kMac * er.c + kByte * er.m + staticW * (rows[i].measuredLatencyMs / 1e3) : null;
    return {
      name: rows[i].name ?? a.model.name,
      measuredLatencyMs: rows[i].measuredLatencyMs,
      predictedLatencyMs,
      latencyError: (predictedLatencyMs - rows[i].measuredLatencyMs) / rows[i].measuredLatencyMs,
      measuredEnergyMJ: er ? er.e * 1e3 : null,
      predictedEnergyMJ: predictedJ === null ? null : predictedJ * 1e3,
      energyError: er && predictedJ !== null ? (predictedJ - er.e) / er.e : null,
    };
  });
  const rms = (v: number[]) => Math.sqrt(v.reduce((s, e) => s + e * e, 0) / v.length);
  const energyErrors = residuals.flatMap((r) => (r.energyError === null ? [] : [r.energyError]));
  return {
    profile: calibrated,
    fit: {
      throughputScale: 1 / x,
      bandwidthScale: 1 / y,
      macEnergyScale: kMac,
      byteEnergyScale: kByte,
      latencyRmsError: rms(residuals.map((r) => r.latencyError)),
      energyRmsError: energyErrors.length > 0 ? rms(energyErrors) : null,
    },
    residuals,
  };
}
