/** The energy model as the window and the CLI reach it: analyses, partitions, profiling, calibration. */
import type { Precision } from '../devices/profile';
import type { CalibrationFit, CalibrationResidual } from '../energy/reports';
import type { ModelSource } from './models';

/** A precision, or 'auto': each device's fastest float precision (int8 where it is the only one). */
export type PrecisionChoice = Precision | 'auto';

export interface AnalysisRequest {
  model: ModelSource;
  /** Library ids, `eyeriss`, `cloud-t4`, `host`, or profile `.json` files (absolute paths; not through the browser host, which takes ids only). */
  deviceIds: string[];
  precision: PrecisionChoice;
  /** Batch size a dynamic batch dimension counts as (default 1). */
  batch?: number;
  /** Refuse an operator without a cost rule instead of costing it as memory-bound (listed as a warning). */
  strict?: boolean;
}

export interface PartitionRequest {
  model: ModelSource;
  deviceId: string;
  uplinkMbps: number;
  radio: 'wifi' | 'lte';
  rttMs: number;
  sloMs: number | null;
  /** Precision on the device (default 'auto'). */
  precision?: PrecisionChoice;
}

/** Run a model on this machine with onnxruntime's profiler, beside the host profile's prediction. */
export interface ProfileRequest {
  model: ModelSource;
  /** onnxruntime threads (default 1, as the host profile was measured). */
  threads?: number;
  /** Timed runs (default 10). */
  runs?: number;
  /** Measure the host profile again instead of using the cached one. */
  remeasure?: boolean;
}

/** One measured inference: latency, and energy where it was measured. */
export interface CalibrationMeasurement {
  model: ModelSource;
  deviceId: string;
  latencyMs: number;
  energyMJ?: number;
  /** Where the row came from, for error messages: `measured.csv line 3`. */
  origin: string;
}

export interface CalibrationRequest {
  measurements: CalibrationMeasurement[];
  /** Folder the calibrated `<device>.calibrated.json` profiles are written to. */
  outDir: string;
  /** Precision the measurements were taken at (default 'auto'). */
  precision?: PrecisionChoice;
}

/** One calibrated device: the profile file written, the fit and the error per measurement. */
export interface CalibrationReport {
  device: string;
  file: string;
  fit: CalibrationFit;
  residuals: CalibrationResidual[];
}

export interface EnergyProfileInfo {
  id: string;
  name: string;
  /** library, builtin (eyeriss, cloud-t4) or host. */
  kind: 'library' | 'builtin' | 'host';
}

export interface EnergyApi {
  profiles(): Promise<EnergyProfileInfo[]>;
  /** Starts a job whose result is `EnergyReport[]`, one per device, in request order. */
  startAnalysis(request: AnalysisRequest): Promise<string>;
  /** Starts a job whose result is a `PartitionReport`. */
  startPartition(request: PartitionRequest): Promise<string>;
  /** Starts a job whose result is a `HostCheck`: measured and predicted latency per layer on this machine. */
  startProfile(request: ProfileRequest): Promise<string>;
  /** Starts a job whose result is `CalibrationReport[]`, one per device measured. */
  startCalibration(request: CalibrationRequest): Promise<string>;
}

export type { CalibrationFit, CalibrationResidual, EnergyLayerReport, EnergyReport, EnergySplit, EnergyTotalsReport, HostCheck, HostCheckLayer, PartitionBest, PartitionCutReport, PartitionReport } from '../energy/reports';
