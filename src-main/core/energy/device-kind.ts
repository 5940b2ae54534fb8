/**
 * What kind of machine a profile describes, and the per-kind factors the roofline needs but
 * datasheets do not give: the share of peak throughput and bandwidth a batch-1 CNN actually
 * reaches, a fixed per-layer overhead (kernel launch, operator dispatch), and whether the
 * runtime keeps activations and weights on chip between layers.
 *
 * Profiles keep the schema of the device library (`DeviceProfile`); the few figures that schema
 * has no field for (PE count, PE-array hop energy, normalized units) ride in `extensions`,
 * which only built-in profiles (Eyeriss, the cloud GPU) carry.
 */
import type { DeviceProfile, Figure } from '../../common/devices/profile';

export const deviceKinds = ['cpu', 'gpu', 'tpu', 'vpu', 'spatial', 'host'] as const;
export type DeviceKind = (typeof deviceKinds)[number];

/**
 * `layer`: every layer reads its inputs from DRAM and writes its output back (Eyeriss and
 * Timeloop's layer-by-layer convention). `resident`: the compiler keeps activations on chip and
 * caches as many weights as fit across inferences; only the rest stream from memory on every
 * inference (the Edge TPU's parameter caching, coral.ai/docs/edgetpu/compiler).
 */
export type Residency = 'layer' | 'resident';

export interface KindFactors {
  /** Achieved / peak MAC throughput for batch-1 CNN layers. */
  computeEfficiency: number;
  /** Achieved / peak memory bandwidth for streaming tensors. */
  bandwidthEfficiency: number;
  /** Fixed cost of every layer that does work (kernel launch, operator dispatch), microseconds. */
  layerOverheadUs: number;
  residency: Residency;
  source: string;
}

/**
 * Per-kind factors. These are estimates fitted to one public measurement each, or plain
 * assumptions where none was found; `calibrateProfile` replaces them with a fit to the
 * planner's own measurements.
 */
export const KIND_FACTORS: Record<DeviceKind, KindFactors> = {
  cpu: {
    computeEfficiency: 0.27,
    bandwidthEfficiency: 0.6,
    layerOverheadUs: 10,
    residency: 'layer',
    source:
      'Fitted: MobileNet-v1 1.0 224 in 87 ms on a Raspberry Pi 4 CPU with TFLite (TildAlice, dev.to, weak source) = 569 M MACs / 87 ms = 6.5 GMAC/s of the 24 GMAC/s fp32 peak; bandwidth share and overhead assumed.',
  },
  gpu: {
    computeEfficiency: 0.5,
    bandwidthEfficiency: 0.7,
    layerOverheadUs: 10,
    residency: 'layer',
    source:
      'Assumed (no clean public batch-1 figure for these modules was confirmed): half of peak for TensorRT convolutions, 70% of DRAM peak, about 10 us per CUDA kernel launch.',
  },
  tpu: {
    computeEfficiency: 0.06,
    bandwidthEfficiency: 1,
    layerOverheadUs: 0,
    residency: 'resident',
    source:
      'Fitted: MobileNet-v2 224 in 2.6 ms on the Coral Dev Board (coral.ai benchmarks) = 300 M MACs / 2.6 ms = 0.115 TMAC/s of the 2 TMAC/s int8 peak; the model fits on chip so it is compute bound. Full PCIe rate: the parameter-streaming benchmarks (VGG-16 343 ms, ResNet-50 56 ms at 299x299) are bound by the 0.5 GB/s link.',
  },
  vpu: {
    computeEfficiency: 0.3,
    bandwidthEfficiency: 0.6,
    layerOverheadUs: 10,
    residency: 'layer',
    source: 'Assumed (no primary Myriad X batch-1 benchmark was confirmed); calibrate with measurements.',
  },
  spatial: {
    computeEfficiency: 0.69,
    bandwidthEfficiency: 1,
    layerOverheadUs: 0,
    residency: 'layer',
    source:
      'Fitted: Eyeriss runs the AlexNet conv layers (666 M MACs) at 35 fps (Chen et al., JSSC 2017) = 23.3 GMAC/s of 168 PEs x 200 MHz = 33.6 GMAC/s.',
  },
  host: {
    computeEfficiency: 1,
    bandwidthEfficiency: 1,
    layerOverheadUs: 5,
    residency: 'layer',
    source:
      "Fitted on this repository's host (docs/bench-energy.md, 'Host check'): the profile's peak is onnxruntime's own best GEMM rate (MatMul or 3x3 convolution, 1 thread: 30-42 GMAC/s), and whole networks run at about that rate (ResNet-50 36, VGG-16 38 GMAC/s); bandwidth is measured, so its share is 1; about 5 us of dispatch per operator.",
  },
};

/** Figures an energy profile may carry beyond the device-library schema. */
export interface ProfileExtensions {
  kind?: DeviceKind;
  /** A spatial array of processing elements; `registerFileKB` is then per PE. */
  peCount?: Figure;
  /** Energy of one hop over the PE array / network on chip, per byte (Eyeriss's "array" level). */
  arrayPJPerByte?: Figure;
  /** 'normalized': energy figures are relative to one MAC (Eyeriss), not picojoules. */
  energyUnits?: 'pJ' | 'normalized';
}

/** A device-library profile, optionally with the extensions above. */
export type EnergyProfile = DeviceProfile & { extensions?: ProfileExtensions };

/**
 * The kind of a profile: its `extensions.kind`, 'host' for the measured host profile (id
 * `host` or `host-*`), else read from the compute unit's description.
 *
 * @example deviceKind(library.get('coral-dev-board')) // 'tpu'
 */
export function deviceKind(profile: EnergyProfile): DeviceKind {
  if (profile.extensions?.kind) return profile.extensions.kind;
  if (profile.id === 'host' || profile.id.startsWith('host-')) return 'host';
  const unit = profile.computeUnit;
  if (/edge\s*tpu|\btpu\b/i.test(unit)) return 'tpu';
  if (/\bvpu\b|myriad/i.test(unit)) return 'vpu';
  if (/\bgpu\b|cuda|tensor core/i.test(unit)) return 'gpu';
  return 'cpu';
}
