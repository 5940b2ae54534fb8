/**
 * Calibration of a profile from a planner's measurements (model, measured latency, optionally
 * measured energy), by least squares.
 *
 * Latency: the same per-layer-class model the library is fitted with (core/energy/fidelity):
 * per class the share of peak reached, the bandwidth share, the overhead per layer, fitted on
 * log latency with a vanishing pull toward the profile's current latency model, which therefore
 * decides only what the rows cannot see (no depthwise layer measured, say).
 *
 * Energy model: E_i = kMac * C_i + kByte * M_i + P_idle * T_i, with C_i the computation energy
 * and M_i the data-movement energy predicted on the profile, T_i the measured latency. kMac and
 * kByte minimise the squared relative energy error, non-negative (a weighted 2x2 least squares;
 * with one row, or collinear rows, one common scale).
 *
 * The calibrated profile is a valid device-library profile: its latency model is the fit, per-MAC
 * energies are multiplied by kMac and per-byte energies by kByte, each with a note giving the old
 * value, so `analyzeModel` on it reproduces the fit.
 */
import { layerClasses, type Figure, type LatencyModel, type Precision, type SpeedParams } from '../../common/devices/profile';
import type { CalibrationFit, CalibrationResidual } from '../../common/energy/reports';
import type { Model } from '../onnx/ir';
import { analyzeModel } from './analyze';
import type { EnergyProfile } from './device-kind';
import { EnergyModelError } from './errors';
import { fitSpeeds } from './fidelity/fit';
import { latencyTerms, predictSeconds } from './fidelity/terms';
import { profileSpeed } from './fidelity/speed';
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

/** The pull toward the prior: decides only directions the rows leave free, moves a determined fit by ~1e-6. */
const VANISHING = 1e-9;
/**
 * The pull of the overhead toward the profile's: a few rows of large networks say little about a
 * fixed per-layer cost, and a free overhead would explain a slower device by overhead alone.
 */
const OVERHEAD_PULL = 0.1;
/** A planner's own runtime may have a larger fixed cost per layer than the library's (an interpreter, a Python loop). */
const CALIBRATION_MAX_OVERHEAD_US = 10_000;

function calibratedLatencyModel(profile: EnergyProfile, speed: SpeedParams, stamp: string): LatencyModel {
  const figure = (value: number, what: string, old: number): Figure => ({ value: Number(value.toPrecision(6)), source: stamp, estimate: true, note: `${what}; before calibration ${Number(old.toPrecision(4))}.` });
  const before = profileSpeed(profile);
  return {
    runtime: profile.latencyModel?.runtime ? `${profile.latencyModel.runtime}, calibrated to the planner's measurements` : "The planner's runtime (calibrated to their measurements)",
    efficiency: Object.fromEntries(layerClasses.map((c) => [c, figure(speed.efficiency[c], `Share of peak reached by ${c} layers`, before.efficiency[c])])) as LatencyModel['efficiency'],
    bandwidthEfficiency: figure(speed.bandwidthEfficiency, 'Share of the memory bandwidth reached', before.bandwidthEfficiency),
    layerOverheadUs: figure(speed.layerOverheadUs, 'Fixed cost per layer, microseconds', before.layerOverheadUs),
  };
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
  const terms = analyses.map((a) => latencyTerms(a, profile, precision));
  const before = profileSpeed(profile);
  const fitRows = terms.map((t, i) => ({ group: rows[i].name ?? String(i), device: 0, terms: t, measuredS: rows[i].measuredLatencyMs / 1e3 }));
  const [after] = fitSpeeds(fitRows, [before], { ridgePrior: VANISHING, ridgeDevice: VANISHING, ridgeOverhead: OVERHEAD_PULL, maxOverheadUs: Math.max(CALIBRATION_MAX_OVERHEAD_US, before.layerOverheadUs) });

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
    latencyModel: calibratedLatencyModel(profile, after, stamp),
    energy: {
      macPJ: scalePrecisions(profile.energy.macPJ, kMac, 'Energy per MAC after calibration', stamp),
      dramPJPerByte: scaled(profile.energy.dramPJPerByte, kByte, 'DRAM energy after calibration', stamp),
      bufferPJPerByte: scaled(profile.energy.bufferPJPerByte, kByte, 'Buffer energy after calibration', stamp),
      registerPJPerByte: scaled(profile.energy.registerPJPerByte, kByte, 'Register energy after calibration', stamp),
    },
    notes: `${profile.notes ? `${profile.notes} ` : ''}${stamp}: latency model refitted, MAC energy x${kMac.toPrecision(4)}, byte energy x${kByte.toPrecision(4)}.`,
  };
  if (ext?.arrayPJPerByte) {
    calibrated.extensions = { ...ext, arrayPJPerByte: scaled(ext.arrayPJPerByte, kByte, 'Array energy after calibration', stamp) };
  }

  const residuals: CalibrationResidual[] = analyses.map((a, i) => {
    const predictedLatencyMs = predictSeconds(terms[i], after) * 1e3;
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
      speedBefore: before,
      speedAfter: after,
      macEnergyScale: kMac,
      byteEnergyScale: kByte,
      latencyRmsErrorBefore: rms(terms.map((t, i) => (predictSeconds(t, before) * 1e3 - rows[i].measuredLatencyMs) / rows[i].measuredLatencyMs)),
      latencyRmsError: rms(residuals.map((r) => r.latencyError)),
      energyRmsError: energyErrors.length > 0 ? rms(energyErrors) : null,
    },
    residuals,
  };
}
