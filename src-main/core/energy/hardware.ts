/**
 * A profile at one precision, reduced to the numbers the model computes with: energies in the
 * output unit (joules, or Eyeriss's normalized units), capacities in bytes, rates per second.
 */
import { layerClasses, type LayerClass, type Precision } from '../../common/devices/profile';
import { deviceKind, KIND_FACTORS } from './device-kind';
import type { DeviceKind, EnergyProfile, Residency } from './device-kind';
import { EnergyModelError } from './errors';

/** Bytes per element at each precision. */
export const BYTES_PER_ELEMENT: Record<Precision, number> = { fp32: 4, fp16: 2, int8: 1 };

export type EnergyUnits = 'J' | 'normalized (MAC = 1)';

export interface Hardware {
  deviceId: string;
  kind: DeviceKind;
  precision: Precision;
  units: EnergyUnits;
  /** Bytes per tensor element. */
  bytes: number;
  macEnergy: number;
  dramPerByte: number;
  bufferPerByte: number;
  rfPerByte: number;
  /** 0 on devices without a spatial PE array. */
  arrayPerByte: number;
  bufferBytes: number;
  /** Register file of one processing element (or of the one SM / core modelled). */
  rfBytes: number;
  peCount: number;
  /** Effective MAC/s of regular (up to 3x3) convolutions, and of arithmetic outside MAC layers. */
  macsPerSecond: number;
  /** Effective MAC/s per layer class: peak x that class's efficiency. */
  classMacsPerSecond: Record<LayerClass, number>;
  /** Effective DRAM bytes/s: peak x bandwidth efficiency. */
  bytesPerSecond: number;
  layerOverheadS: number;
  /** Static (idle) power in output units per second. */
  staticPower: number;
  ramBytes: number;
  residency: Residency;
}

/**
 * Resolves `profile` at `precision`; throws `EnergyModelError` when the device has no such
 * precision or lacks a figure for it.
 *
 * @example resolveHardware(library.get('coral-dev-board'), 'fp32') // throws: supports int8 only
 */
export function resolveHardware(profile: EnergyProfile, precision: Precision): Hardware {
  const peak = profile.peakTops[precision]?.value;
  const mac = profile.energy.macPJ[precision]?.value;
  if (!profile.precisions.includes(precision) || peak === undefined || mac === undefined) {
    throw new EnergyModelError(
      `Device '${profile.id}' does not support ${precision}; it supports ${profile.precisions.join(', ')}.`,
    );
  }
  if (peak <= 0) throw new EnergyModelError(`Device '${profile.id}' has a peak ${precision} throughput of ${peak} TOPS; it must be positive.`);
  if (profile.memoryBandwidthGBps.value <= 0) {
    throw new EnergyModelError(`Device '${profile.id}' has a memory bandwidth of ${profile.memoryBandwidthGBps.value} GB/s; it must be positive.`);
  }
  const ext = profile.extensions ?? {};
  const normalized = ext.energyUnits === 'normalized';
  // Library figures are picojoules; normalized figures are already in output units.
  const scale = normalized ? 1 : 1e-12;
  const kind = deviceKind(profile);
  const factors = KIND_FACTORS[kind];
  const speed = profile.latencyModel;
  const peakMacs = (peak * 1e12) / 2;
  const classMacsPerSecond = Object.fromEntries(layerClasses.map((c) => [c, peakMacs * (speed ? speed.efficiency[c].value : factors.computeEfficiency)])) as Record<LayerClass, number>;
  return {
    deviceId: profile.id,
    kind,
    precision,
    units: normalized ? 'normalized (MAC = 1)' : 'J',
    bytes: BYTES_PER_ELEMENT[precision],
    macEnergy: mac * scale,
    dramPerByte: profile.energy.dramPJPerByte.value * scale,
    bufferPerByte: profile.energy.bufferPJPerByte.value * scale,
    rfPerByte: profile.energy.registerPJPerByte.value * scale,
    arrayPerByte: (ext.arrayPJPerByte?.value ?? 0) * scale,
    bufferBytes: profile.onChipBufferKB.value * 1024,
    rfBytes: profile.registerFileKB.value * 1024,
    peCount: Math.max(1, Math.round(ext.peCount?.value ?? 1)),
    macsPerSecond: classMacsPerSecond.conv,
    classMacsPerSecond,
    bytesPerSecond: profile.memoryBandwidthGBps.value * 1e9 * (speed ? speed.bandwidthEfficiency.value : factors.bandwidthEfficiency),
    layerOverheadS: (speed ? speed.layerOverheadUs.value : factors.layerOverheadUs) * 1e-6,
    staticPower: normalized ? 0 : profile.idlePowerW.value,
    ramBytes: profile.ramMB.value * 1024 * 1024,
    residency: factors.residency,
  };
}
