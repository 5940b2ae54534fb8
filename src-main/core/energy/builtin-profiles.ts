/**
 * Profiles that are not edge devices of the library: `eyeriss`, the normalized-cost model of
 * Chen et al. used to reproduce published energy comparisons, and `cloud-t4`, the datacenter
 * GPU that the edge-cloud partition offloads to.
 */
import type { Figure } from '../../common/devices/profile';
import type { EnergyProfile } from './device-kind';
import { libraryMemoryEnergy } from './library-method';

/** The profile of this machine, measured once with onnxruntime and cached (`resolve-profile.ts`). */
export const HOST_PROFILE_ID = 'host';

const EYERISS_ISCA = 'Chen, Emer, Sze, "Eyeriss: A Spatial Architecture for Energy-Efficient Dataflow for CNNs", ISCA 2016';
const EYERISS_JSSC = 'Chen, Krishna, Emer, Sze, "Eyeriss: An Energy-Efficient Reconfigurable Accelerator for Deep CNNs", JSSC 2017';

function fig(value: number, source: string, note?: string, estimate?: boolean): Figure {
  const f: Figure = { value, source };
  if (estimate) f.estimate = true;
  if (note) f.note = note;
  return f;
}

/**
 * Eyeriss with the energy costs of Chen et al. (ISCA 2016, Table IV) relative to one 16-bit
 * MAC: register file 1, PE array 2, global buffer 6, DRAM 200 per 16-bit access, hence per
 * byte 0.5, 1, 3 and 100. Energies it yields are unitless multiples of one MAC (static power is
 * zero: the normalized model has none). Eyeriss computes in 16-bit fixed point, modelled as the
 * 2-byte precision `fp16`.
 *
 * @example analyzeModel(zoo.alexnet.build(), eyerissProfile(), { precision: 'fp16' }).units // 'normalized'
 */
export function eyerissProfile(): EnergyProfile {
  const none = fig(0, EYERISS_ISCA, 'Not modelled: the normalized-cost model has no static power.');
  return {
    schemaVersion: 1,
    id: 'eyeriss',
    name: 'Eyeriss (normalized energy model)',
    vendor: 'MIT',
    computeUnit: '168-PE spatial array (12 x 14), row-stationary dataflow, 16-bit fixed point',
    precisions: ['fp16'],
    peakTops: {
      fp16: fig(0.0672, EYERISS_JSSC, '168 PEs x 1 MAC x 200 MHz core clock x 2 operations = 67.2 GOPS.', true),
    },
    memoryBandwidthGBps: fig(0.48, EYERISS_JSSC, '64-bit off-chip link at 60 MHz (check); AlexNet needs about 0.14 GB/s at 35 fps.', true),
    ramMB: fig(1024, 'Joule assumption', 'Eyeriss is a chip; its off-chip DRAM is not specified.', true),
    storageGB: fig(0, 'Joule assumption', 'A chip without storage.', true),
    onChipBufferKB: fig(108, EYERISS_ISCA, 'Global buffer.'),
    registerFileKB: fig(0.5, EYERISS_ISCA, 'Per PE: filter, ifmap and psum scratchpads (224 + 12 + 24 16-bit words).'),
    idlePowerW: none,
    loadedPowerW: fig(0.278, EYERISS_JSSC, 'AlexNet conv layers at 35 fps.'),
    energy: {
      macPJ: { fp16: fig(1, `${EYERISS_ISCA}, Table IV`, 'Normalized: one 16-bit MAC = 1.') },
      dramPJPerByte: fig(100, `${EYERISS_ISCA}, Table IV`, 'Normalized: 200 per 16-bit DRAM access = 100 per byte.'),
      bufferPJPerByte: fig(3, `${EYERISS_ISCA}, Table IV`, 'Normalized: 6 per 16-bit global-buffer access = 3 per byte.'),
      registerPJPerByte: fig(0.5, `${EYERISS_ISCA}, Table IV`, 'Normalized: 1 per 16-bit register-file access = 0.5 per byte.'),
    },
    radios: [{ type: 'none', standard: 'none', maxUplinkMbps: fig(0, 'A chip without a radio.') }],
    notes: 'Reproduces the energy model of Yang, Chen, Sze (CVPR 2017): energies are unitless multiples of one MAC.',
    extensions: {
      kind: 'spatial',
      peCount: fig(168, EYERISS_ISCA, '12 x 14 processing elements.'),
      arrayPJPerByte: fig(1, `${EYERISS_ISCA}, Table IV`, 'Normalized: 2 per 16-bit inter-PE (array) access = 1 per byte.'),
      energyUnits: 'normalized',
    },
  };
}

const T4 = 'NVIDIA T4 Tensor Core GPU datasheet (2019)';

/**
 * An NVIDIA T4 in a datacenter: the cloud side of `partitionModel`. Peak figures from the
 * datasheet; energy figures by the device library's method (docs/device-library.md).
 */
export function cloudT4Profile(): EnergyProfile {
  const macPJ = (tops: number) => Number(((70 - 10) / ((tops / 2) * 1e12) * 1e12).toFixed(3));
  const derived = (tops: number) =>
    fig(macPJ(tops), 'Joule derivation from loadedPowerW, idlePowerW and peakTops', `(70 W - 10 W) / (${tops} TOPS / 2).`, true);
  return {
    schemaVersion: 1,
    id: 'cloud-t4',
    name: 'NVIDIA T4 (cloud)',
    vendor: 'NVIDIA',
    computeUnit: '2560-core Turing GPU with 320 Tensor Cores',
    precisions: ['fp32', 'fp16', 'int8'],
    peakTops: {
      fp32: fig(8.1, T4, 'Single precision 8.1 TFLOPS.'),
      fp16: fig(65, T4, 'Mixed precision (FP16/FP32) 65 TFLOPS on Tensor Cores.'),
      int8: fig(130, T4, 'INT8 130 TOPS.'),
    },
    memoryBandwidthGBps: fig(320, T4, '16 GB GDDR6, 320+ GB/s.'),
    ramMB: fig(16384, T4, '16 GB GDDR6.'),
    storageGB: fig(0, 'Joule assumption', 'Storage belongs to the host server.', true),
    onChipBufferKB: fig(4096, 'NVIDIA Turing GPU Architecture whitepaper (TU104: 4 MB L2)'),
    registerFileKB: fig(256, 'NVIDIA CUDA C++ Programming Guide: 64K 32-bit registers per SM (compute capability 7.5)', 'Per SM.'),
    idlePowerW: fig(10, 'Joule assumption', 'Idle board power assumed; only the cloud latency enters the device energy.', true),
    loadedPowerW: fig(70, T4, 'Max power 70 W.'),
    energy: {
      macPJ: { fp32: derived(8.1), fp16: derived(65), int8: derived(130) },
      ...libraryMemoryEnergy(),
    },
    radios: [{ type: 'ethernet', standard: 'datacenter network', maxUplinkMbps: fig(10000, 'Joule assumption', undefined, true) }],
    notes: 'Cloud side of the edge-cloud partition: only its latency matters to the device energy.',
    extensions: { kind: 'gpu' },
  };
}

/** The built-in profiles by id, for hosts that resolve `--device eyeriss` and the like. */
export const BUILTIN_PROFILES: Record<string, () => EnergyProfile> = {
  eyeriss: eyerissProfile,
  'cloud-t4': cloudT4Profile,
};
