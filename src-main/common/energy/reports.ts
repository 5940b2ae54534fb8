/**
 * The energy model's results as plain data: what an analysis, a partition and a measured profile
 * report. The same shapes for the window, the CLI, the worker jobs and the core functions.
 */
import type { Precision, SpeedParams } from '../devices/profile';

/** Where the energy of a layer or a model goes, and how long it takes. */
export interface EnergySplit {
  energyJ: number;
  computeJ: number;
  dramJ: number;
  bufferJ: number;
  rfJ: number;
  staticJ: number;
  latencyMs: number;
}

export interface EnergyTotalsReport extends EnergySplit {
  weightBytes: number;
  peakActivationBytes: number;
  peakActivationLayer: string;
  ramBytes: number;
  fits: boolean;
}

export interface EnergyLayerReport extends EnergySplit {
  name: string;
  op: string;
  macs: number;
  params: number;
  dramBytes: number;
  bound: 'compute' | 'memory';
  /** Set when the op runs fused inside another layer. */
  fusedInto?: string;
}

export interface EnergyReport {
  model: { name: string; macs: number; params: number };
  device: { id: string; name: string };
  precision: Precision;
  batch: number;
  /** 'J', or the Eyeriss profile's normalized units. */
  units: string;
  totals: EnergyTotalsReport;
  layers: EnergyLayerReport[];
  warnings: string[];
}

export interface PartitionCutReport {
  /** The last layer run on the device; null when everything runs in the cloud. */
  cutAfter: string | null;
  deviceLayers: number;
  deviceEnergyJ: number;
  /** Parts of deviceEnergyJ: layers on the device, the radio, idling while the cloud works. */
  layersJ: number;
  transmitJ: number;
  waitJ: number;
  latencyMs: number;
  deviceMs: number;
  transmitMs: number;
  cloudMs: number;
  transmitBytes: number;
  meetsSlo: boolean;
  /** The tensors sent to the cloud at this cut. */
  tensors: string[];
}

export interface PartitionBest {
  cutAfter: string | null;
  deviceEnergyJ: number;
  latencyMs: number;
  transmitBytes: number;
  /** One sentence: why this cut wins. */
  reason: string;
}

export interface PartitionReport {
  best: PartitionBest;
  /** From all-in-cloud (0 device layers) to all-on-device. */
  cuts: PartitionCutReport[];
}

/** One layer of a model run on this machine: the host profile's prediction beside onnxruntime's time. */
export interface HostCheckLayer {
  name: string;
  op: string;
  predictedMs: number;
  /** Kernel time of the onnxruntime nodes that belong to this layer; null when none matched. */
  measuredMs: number | null;
}

/** Measured onnxruntime latency beside the host profile's prediction (`joule profile`). */
export interface HostCheck {
  model: string;
  device: string;
  totals: { measuredMs: number; predictedMs: number; errorPercent: number; kernelMs: number; unmatchedKernelMs: number };
  layers: HostCheckLayer[];
}

export interface CalibrationFit {
  /** The profile's latency model (per-class efficiencies, bandwidth efficiency, overhead per layer) before and after. */
  speedBefore: SpeedParams;
  speedAfter: SpeedParams;
  macEnergyScale: number;
  byteEnergyScale: number;
  /** Root mean square relative latency errors of the rows before and after the fit. */
  latencyRmsErrorBefore: number;
  latencyRmsError: number;
  energyRmsError: number | null;
}

export interface CalibrationResidual {
  name: string;
  measuredLatencyMs: number;
  predictedLatencyMs: number;
  /** (predicted - measured) / measured, after the fit. */
  latencyError: number;
  measuredEnergyMJ: number | null;
  predictedEnergyMJ: number | null;
  energyError: number | null;
}
