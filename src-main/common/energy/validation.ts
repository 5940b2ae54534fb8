/** How well the device library's latency predictions match published measurements (`joule devices validate`). */
import type { LatencyModel } from '../devices/profile';

/**
 * - `fit`: the runtime, precision and board the profile describes; fitted and cross-validated.
 * - `other-runtime`: another runtime, thread count, clock or host; shown, never fitted.
 * - `approximate`: a rough figure (a live demo's frame rate); shown, never fitted.
 * - `no-model`: a network Joule does not build; listed only.
 */
export const pointUses = ['fit', 'other-runtime', 'approximate', 'no-model'] as const;
export type PointUse = (typeof pointUses)[number];

export interface ValidationPoint {
  model: string;
  /** Input height and width. */
  input: number;
  precision: string;
  runtime: string;
  use: PointUse;
  /** Why a point is not fitted. */
  why: string;
  source: string;
  measuredMs: number;
  /**
   * For `fit` points: predicted by a fit that never saw this model (leave-one-model-out).
   * For others: by the profile's fit. Null for `no-model` points.
   */
  predictedMs: number | null;
  /** Predicted with the device kind's defaults, before any fit. */
  uncalibratedMs: number | null;
  /** 1-based line in the corpus file. */
  line: number;
}

export interface ErrorSummary {
  points: number;
  /** Median of |predicted / measured - 1|. */
  medianAbsError: number;
  /** Share of points with |predicted / measured - 1| <= 0.25, and <= 0.5. */
  within25: number;
  within50: number;
}

export interface DeviceValidation {
  deviceId: string;
  name: string;
  /** The runtime the profile describes (its latency model), or null when it keeps the kind's defaults. */
  runtime: string | null;
  /** The profile's latency model fitted to all its `fit` points (what the library ships). */
  fitted: Omit<LatencyModel, 'runtime'> | null;
  /** Cross-validated errors over `fit` points, and the same points with the kind's defaults. */
  crossValidated: ErrorSummary | null;
  uncalibrated: ErrorSummary | null;
  points: ValidationPoint[];
  /** What the planner should know: no published data, figures transferred from another profile. */
  note: string | null;
}

export interface ValidationReport {
  corpus: string;
  devices: DeviceValidation[];
  overall: ErrorSummary | null;
  overallUncalibrated: ErrorSummary | null;
}

/** Median absolute relative error and the shares within 25 % and 50 %, of predicted / measured pairs. */
export function errorSummary(pairs: readonly { predicted: number; measured: number }[]): ErrorSummary | null {
  if (!pairs.length) return null;
  const errors = pairs.map((p) => Math.abs(p.predicted / p.measured - 1)).sort((a, b) => a - b);
  const mid = Math.floor(errors.length / 2);
  const median = errors.length % 2 ? errors[mid] : (errors[mid - 1] + errors[mid]) / 2;
  return {
    points: errors.length,
    medianAbsError: median,
    within25: errors.filter((e) => e <= 0.25 + 1e-12).length / errors.length,
    within50: errors.filter((e) => e <= 0.5 + 1e-12).length / errors.length,
  };
}
