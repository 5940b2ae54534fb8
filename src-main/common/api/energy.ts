/** The energy model as the window sees it: per-layer energy and latency, partitions. */
import type { Precision } from '../devices/profile';
import type { ModelSource } from './models';

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
}

export interface PartitionReport {
  best: { cutAfter: string | null; deviceEnergyJ: number; latencyMs: number; transmitBytes: number; reason: string };
  /** From all-in-cloud (0 device layers) to all-on-device. */
  cuts: PartitionCutReport[];
}

export interface AnalysisRequest {
  model: ModelSource;
  deviceIds: string[];
  /** 'auto' picks each device's fastest float precision (int8 where it is the only one). */
  precision: Precision | 'auto';
}

export interface PartitionRequest {
  model: ModelSource;
  deviceId: string;
  uplinkMbps: number;
  radio: 'wifi' | 'lte';
  rttMs: number;
  sloMs: number | null;
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
}
