/**
 * A model's latency on a device as a function of the device's speed parameters: the per-layer
 * terms an analysis fixes (MACs and DRAM bytes of every layer that runs, its class) once, so a
 * fit can try thousands of parameter sets without analysing the model again.
 *
 * latency = sum over layers that run of max(c_l / e[class_l], m_l / b) + fused / e[conv] + n x o
 * with c_l the layer's MACs over the peak MAC rate, m_l its DRAM bytes over the peak bandwidth,
 * e the per-class efficiencies, b the bandwidth efficiency, o the per-layer overhead.
 */
import { layerClasses, type LayerClass, type Precision, type SpeedParams } from '../../../common/devices/profile';
import type { EnergyAnalysis } from '../analyze';
import type { EnergyProfile } from '../device-kind';

/** Index of each class in the parameter vector; arithmetic outside MAC layers runs at the `conv` rate. */
export const CLASS_INDEX: Record<LayerClass, number> = Object.fromEntries(layerClasses.map((c, i) => [c, i])) as Record<LayerClass, number>;

export interface LatencyTerms {
  /** Class index of each layer that runs on its own. */
  cls: Int8Array;
  /** Seconds of arithmetic at the peak MAC rate. */
  compute: Float64Array;
  /** Seconds of DRAM traffic at the peak bandwidth. */
  memory: Float64Array;
  /** Seconds at the peak MAC rate of ops fused into other layers. */
  fused: number;
}

export type { SpeedParams };

export function latencyTerms(analysis: EnergyAnalysis, profile: EnergyProfile, precision: Precision): LatencyTerms {
  const peakMacs = ((profile.peakTops[precision]?.value ?? 0) * 1e12) / 2;
  const peakBytes = profile.memoryBandwidthGBps.value * 1e9;
  const cls: number[] = [];
  const compute: number[] = [];
  const memory: number[] = [];
  let fused = 0;
  for (const l of analysis.layers) {
    if (l.fusedInto !== undefined) {
      fused += l.macEquivalents / peakMacs;
      continue;
    }
    if (l.macEquivalents === 0 && l.dramBytes === 0) continue;
    cls.push(CLASS_INDEX[l.computeClass ?? 'conv']);
    compute.push(l.macEquivalents / peakMacs);
    memory.push(l.dramBytes / peakBytes);
  }
  return { cls: Int8Array.from(cls), compute: Float64Array.from(compute), memory: Float64Array.from(memory), fused };
}

/** Latency in seconds under `params`. */
export function predictSeconds(t: LatencyTerms, params: SpeedParams): number {
  const e = layerClasses.map((c) => params.efficiency[c]);
  let s = t.fused / e[CLASS_INDEX.conv] + t.cls.length * params.layerOverheadUs * 1e-6;
  for (let i = 0; i < t.cls.length; i++) s += Math.max(t.compute[i] / e[t.cls[i]], t.memory[i] / params.bandwidthEfficiency);
  return s;
}
