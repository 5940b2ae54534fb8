/**
 * Energy and latency of one layer from its access counts: the arithmetic shared by the tiled
 * layers (Conv, Gemm, MatMul) and the streaming ones (element-wise, pooling, copies).
 */
import type { Hardware } from './hardware';
import type { LevelAccesses } from './tiling';

/** Data-movement energy by the role of the tensor moved (Yang et al.'s split). */
export interface DataSplit {
  weightsJ: number;
  inputsJ: number;
  outputsJ: number;
}

export interface LayerCost {
  /** MACs plus MAC-equivalents of the layer's other arithmetic (op-costs.ts). */
  macEquivalents: number;
  computeJ: number;
  dramJ: number;
  bufferJ: number;
  /** Register file plus PE array; `arrayJ` is the array's part of it. */
  rfJ: number;
  arrayJ: number;
  staticJ: number;
  energyJ: number;
  latencyMs: number;
  dramBytes: number;
  bound: 'compute' | 'memory';
  data: DataSplit;
}

export interface LayerAccesses {
  weights: LevelAccesses;
  inputs: LevelAccesses;
  outputs: LevelAccesses;
}

export const NO_ACCESS: LevelAccesses = { dram: 0, buffer: 0, array: 0, rf: 0 };

export function addAccesses(a: LevelAccesses, b: LevelAccesses): LevelAccesses {
  return { dram: a.dram + b.dram, buffer: a.buffer + b.buffer, array: a.array + b.array, rf: a.rf + b.rf };
}

/** A tensor streamed once through every level: read from DRAM, staged, used `uses` times. */
export function streamed(elements: number, uses = 1, viaDram = true): LevelAccesses {
  return { dram: viaDram ? elements : 0, buffer: elements, array: elements, rf: elements * uses };
}

function movement(hw: Hardware, a: LevelAccesses) {
  const b = hw.bytes;
  const dram = a.dram * b * hw.dramPerByte;
  const buffer = a.buffer * b * hw.bufferPerByte;
  const array = hw.arrayPerByte > 0 ? a.array * b * hw.arrayPerByte : 0;
  const rf = a.rf * b * hw.rfPerByte;
  return { dram, buffer, array, rf, total: dram + buffer + array + rf };
}

export interface CostInput {
  accesses: LayerAccesses;
  /** MACs plus MAC-equivalents of other arithmetic. */
  macEquivalents: number;
  /** False for an op fused into another layer: it runs inside that layer's memory traffic. */
  runsAlone: boolean;
  /** MAC/s the layer's arithmetic runs at (its class's rate); default the regular-convolution rate. */
  macsPerSecond?: number;
}

/**
 * Energy and roofline latency of a layer. `runsAlone` is false for ops fused into another
 * layer: they add their arithmetic time but no memory time and no per-layer overhead.
 */
export function layerCost(hw: Hardware, input: CostInput): LayerCost {
  const w = movement(hw, input.accesses.weights);
  const i = movement(hw, input.accesses.inputs);
  const o = movement(hw, input.accesses.outputs);
  const dramElements = input.accesses.weights.dram + input.accesses.inputs.dram + input.accesses.outputs.dram;
  const dramBytes = dramElements * hw.bytes;
  const computeS = input.macEquivalents / (input.macsPerSecond ?? hw.macsPerSecond);
  const memoryS = input.runsAlone ? dramBytes / hw.bytesPerSecond : 0;
  const busy = input.runsAlone && (input.macEquivalents > 0 || dramBytes > 0);
  const seconds = Math.max(computeS, memoryS) + (busy ? hw.layerOverheadS : 0);
  const computeJ = input.macEquivalents * hw.macEnergy;
  const staticJ = hw.staticPower * seconds;
  const arrayJ = w.array + i.array + o.array;
  const rfJ = w.rf + i.rf + o.rf + arrayJ;
  const dramJ = w.dram + i.dram + o.dram;
  const bufferJ = w.buffer + i.buffer + o.buffer;
  return {
    macEquivalents: input.macEquivalents,
    computeJ,
    dramJ,
    bufferJ,
    rfJ,
    arrayJ,
    staticJ,
    energyJ: computeJ + dramJ + bufferJ + rfJ + staticJ,
    latencyMs: seconds * 1e3,
    dramBytes,
    bound: computeS >= memoryS && computeS > 0 ? 'compute' : 'memory',
    data: { weightsJ: w.total, inputsJ: i.total, outputsJ: o.total },
  };
}
