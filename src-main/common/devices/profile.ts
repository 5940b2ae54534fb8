/**
 * Schema of a device profile in the device library (`resources/devices/<id>.json`).
 *
 * Every number is a `Figure`: a value plus the datasheet or paper it comes from. Figures that are
 * derived rather than published carry `estimate: true` and say in `note` how they were derived,
 * so a planner can tell a datasheet number from Joule's own estimate at a glance.
 * Units are part of the field names (`ramMB`, `memoryBandwidthGBps`, `idlePowerW`).
 */
import { z } from 'zod';

export const precisions = ['fp32', 'fp16', 'int8'] as const;
export type Precision = (typeof precisions)[number];

export const radioTypes = ['wifi', 'ethernet', 'lte', '5g', 'lora', 'none'] as const;
export type RadioType = (typeof radioTypes)[number];

/** Library ids are lower-case slugs: `jetson-nano-10w`. */
export const deviceIdSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);

export const figureSchema = z.strictObject({
  value: z.number().nonnegative(),
  /** Datasheet, paper or benchmark page, precise enough to find the number again. */
  source: z.string().min(3),
  /** True when Joule derived the number rather than reading it from the source. */
  estimate: z.boolean().optional(),
  note: z.string().optional(),
});
export type Figure = z.infer<typeof figureSchema>;

const perPrecision = z.strictObject({
  fp32: figureSchema.optional(),
  fp16: figureSchema.optional(),
  int8: figureSchema.optional(),
});

/**
 * The classes of layer whose batch-1 speed differs enough on real runtimes to need their own
 * efficiency: regular convolutions with small (up to 3x3) and large (5x5 and up) kernels,
 * pointwise (1x1) convolutions, depthwise (and other grouped) convolutions, and fully connected
 * layers (Gemm, MatMul).
 */
export const layerClasses = ['conv', 'convLarge', 'pointwise', 'depthwise', 'fc'] as const;
export type LayerClass = (typeof layerClasses)[number];

/**
 * How fast one runtime runs batch-1 networks on the device: per layer class the share of the
 * peak MAC throughput reached, the share of the memory bandwidth reached by layers that stream
 * (pooling, element-wise, concat, and weights that do not fit on chip), and a fixed cost per
 * layer (kernel launch, operator dispatch). Fitted to published measurements of that runtime.
 */
export const latencyModelSchema = z.strictObject({
  /** The runtime, precision and threads the figures describe: `TensorRT (fp16), batch 1`. */
  runtime: z.string().min(3),
  efficiency: z.strictObject(Object.fromEntries(layerClasses.map((c) => [c, figureSchema])) as Record<LayerClass, typeof figureSchema>),
  bandwidthEfficiency: figureSchema,
  layerOverheadUs: figureSchema,
});
export type LatencyModel = z.infer<typeof latencyModelSchema>;

/** A latency model's numbers without their sources: what fits and predictions work with. */
export interface SpeedParams {
  efficiency: Record<LayerClass, number>;
  bandwidthEfficiency: number;
  layerOverheadUs: number;
}

export const radioSchema = z.strictObject({
  type: z.enum(radioTypes),
  /** `802.11ac`, `Gigabit Ethernet`, ... */
  standard: z.string(),
  /** Practical uplink the radio can sustain, not the PHY rate, when known. */
  maxUplinkMbps: figureSchema,
  /** True when the radio is an add-on (USB dongle, HAT) rather than on the board. */
  optional: z.boolean().optional(),
});
export type Radio = z.infer<typeof radioSchema>;

export const deviceProfileSchema = z.strictObject({
  schemaVersion: z.literal(1),
  id: deviceIdSchema,
  name: z.string().min(1),
  vendor: z.string().min(1),
  /** What runs the network: `128-core Maxwell GPU`, `Edge TPU`, `4x Cortex-A72`. */
  computeUnit: z.string().min(1),
  /**
   * True for a device that cannot run alone and is plugged into a host computer (a USB stick such
   * as the Intel NCS2 or the USB Coral): a project attaches its rows to a host row, whose power,
   * CPU and link it shares. A board with its own CPU (the Coral Dev Board) is not one.
   */
  accelerator: z.boolean().optional(),
  /** A USB accelerator runs attached to a host board; say which one the figures assume. */
  attachedTo: z.string().optional(),
  precisions: z.array(z.enum(precisions)).min(1),
  /** Peak arithmetic throughput in tera-operations per second (1 MAC = 2 operations). */
  peakTops: perPrecision,
  memoryBandwidthGBps: figureSchema,
  ramMB: figureSchema,
  storageGB: figureSchema,
  /** Largest on-chip buffer shared by the compute units (L2, scratchpad, parameter SRAM). */
  onChipBufferKB: figureSchema,
  /** Registers / local storage per processing element or core, the innermost level. */
  registerFileKB: figureSchema,
  idlePowerW: figureSchema,
  loadedPowerW: figureSchema,
  /** Energy per MAC and per byte moved at each memory level, in picojoules. */
  energy: z.strictObject({
    macPJ: perPrecision,
    dramPJPerByte: figureSchema,
    bufferPJPerByte: figureSchema,
    registerPJPerByte: figureSchema,
  }),
  radios: z.array(radioSchema).min(1),
  /** Per-layer-class speed of the runtime the profile represents; absent: the device kind's defaults. */
  latencyModel: latencyModelSchema.optional(),
  notes: z.string().optional(),
});
export type DeviceProfile = z.infer<typeof deviceProfileSchema>;

/** The device ids the library must contain (the product's design card). */
export const libraryDeviceIds = [
  'raspberry-pi-4',
  'jetson-nano-5w',
  'jetson-nano-10w',
  'jetson-xavier-nx',
  'jetson-orin-nano',
  'coral-dev-board',
  'intel-ncs2',
] as const;

/** The summary of a profile the window needs for pickers and defaults. */
export interface DeviceTypeSummary {
  id: string;
  name: string;
  vendor: string;
  computeUnit: string;
  ramMB: number;
  storageGB: number;
  idlePowerW: number;
  loadedPowerW: number;
  radios: RadioType[];
  maxUplinkMbps: number;
  /** A USB stick that runs plugged into a host row (the profile's `accelerator`). */
  accelerator?: true;
}

export function summarizeProfile(p: DeviceProfile): DeviceTypeSummary {
  return {
    id: p.id,
    name: p.name,
    vendor: p.vendor,
    computeUnit: p.computeUnit,
    ramMB: p.ramMB.value,
    storageGB: p.storageGB.value,
    idlePowerW: p.idlePowerW.value,
    loadedPowerW: p.loadedPowerW.value,
    radios: p.radios.map((r) => r.type),
    maxUplinkMbps: Math.max(0, ...p.radios.map((r) => r.maxUplinkMbps.value)),
    ...(p.accelerator ? { accelerator: true as const } : {}),
  };
}
