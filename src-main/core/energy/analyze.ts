/**
 * Per-layer inference energy and latency of a model on a device profile, and whether it fits
 * in memory. The model is described in docs/energy-model.md; in short, per layer:
 * computation = MAC-equivalents x energy per MAC; data movement = accesses at DRAM, global
 * buffer, PE array and register file (from the cheapest loop tiling, `tiling.ts`) x energy
 * per access; static = idle power x latency; latency = roofline + per-layer overhead.
 */
import type { LayerClass, Precision } from '../../common/devices/profile';
import { isFloatDtype } from '../onnx/dtype';
import { tensorSize } from '../onnx/ir';
import type { Model, Node } from '../onnx/ir';
import type { InferredValue } from '../onnx/shape-rule';
import { inferValues } from '../onnx/shapes';
import { sortNodes } from '../onnx/toposort';
import { countWithValues, shapeLookup } from '../onnx/count';
import type { ShapeOf } from '../onnx/count';
import type { DeviceKind, EnergyProfile } from './device-kind';
import { EnergyModelError } from './errors';
import { planFusion } from './fusion';
import type { FusionPlan } from './fusion';
import { resolveHardware } from './hardware';
import type { EnergyUnits, Hardware } from './hardware';
import { addAccesses, layerCost, NO_ACCESS, streamed } from './layer-costs';
import type { DataSplit, LayerAccesses, LayerCost } from './layer-costs';
import { asFloatOp } from '../onnx/quantized';
import { layerClass } from './layer-class';
import { memoryFit } from './memory-fit';
import { OP_COSTS, UNKNOWN_OP_COST } from './op-costs';
import type { OpCost } from './op-costs';
import { createTilingCache, tileConv } from './tiling';
import type { TilingCache, TilingChoice } from './tiling';
import { convWorkload } from './workload';

export interface AnalyzeOptions {
  precision: Precision;
  /** Batch size a dynamic batch dim counts as (default 1). */
  batch?: number;
  /** Fuse element-wise ops into the layer before them, as runtimes do (default true). */
  fuse?: boolean;
  /** Name shown for the model (default: the graph's name). */
  name?: string;
  /**
   * Tiling results to reuse across calls, from `createTilingCache()`: worth it when one caller
   * analyses many variants of a model on one device (the pruner). Default: one per call.
   */
  tilingCache?: TilingCache;
  /** Refuse an operator without a cost rule instead of costing it as memory-bound. */
  strict?: boolean;
}

export interface LayerEnergy extends LayerCost {
  name: string;
  op: string;
  macs: number;
  params: number;
  /** Set when this op runs fused inside another layer (its memory traffic is that layer's). */
  fusedInto?: string;
  /** The tiling chosen for convolutions and matrix products. */
  tiling?: TilingChoice;
  /** The efficiency class of a convolution or matrix product (its arithmetic runs at that class's rate). */
  computeClass?: LayerClass;
}

export interface EnergyTotals {
  energyJ: number;
  computeJ: number;
  dramJ: number;
  bufferJ: number;
  /** Register file plus PE array (`arrayJ` is the array's part). */
  rfJ: number;
  arrayJ: number;
  staticJ: number;
  latencyMs: number;
  dramBytes: number;
  data: DataSplit;
  weightBytes: number;
  peakActivationBytes: number;
  peakActivationLayer: string;
  fits: boolean;
  ramBytes: number;
}

export interface EnergyAnalysis {
  model: { name: string; macs: number; params: number };
  device: { id: string; name: string; kind: DeviceKind };
  precision: Precision;
  batch: number;
  /** 'J', or Eyeriss's normalized units (one MAC = 1) for fields named `...J`. */
  units: EnergyUnits;
  totals: EnergyTotals;
  /** Every node, in topological order. */
  layers: LayerEnergy[];
  /** Assumptions the result depends on that the planner should know (unknown ops, ...). */
  warnings: string[];
}

interface Context {
  hw: Hardware;
  values: Map<string, InferredValue>;
  shape: ShapeOf;
  plan: FusionPlan;
  model: Model;
  graphInputs: Set<string>;
  graphOutputs: Set<string>;
  /** Mac layers whose weights stream from memory on every inference (resident mode). */
  streamedWeights: Set<string>;
  tilings: TilingCache;
}

function elements(ctx: Context, tensor: string): number {
  const v = ctx.values.get(tensor);
  return v && isFloatDtype(v.dtype) ? tensorSize(v.shape) : 0;
}

/** Whether a tensor crosses DRAM: always layer by layer; only graph I/O when resident. */
function viaDram(ctx: Context, tensor: string): boolean {
  return ctx.hw.residency === 'layer' || ctx.graphInputs.has(tensor) || ctx.graphOutputs.has(tensor);
}

function macLayer(ctx: Context, node: Node): { accesses: LayerAccesses; tiling: TilingChoice } {
  const { hw } = ctx;
  const work = convWorkload(asFloatOp(node), ctx.shape);
  const acc = tileConv(work, {
    bufferElements: Math.floor(hw.bufferBytes / hw.bytes),
    rfElements: Math.floor(hw.rfBytes / hw.bytes),
    peCount: hw.peCount,
    bufferCost: hw.bufferPerByte * hw.bytes,
    arrayCost: hw.arrayPerByte * hw.bytes,
    rfCost: hw.rfPerByte * hw.bytes,
  }, ctx.tilings);
  let { weights, inputs, outputs } = acc;
  if (hw.residency === 'resident') {
    const weightElements = work.groups * (work.m * work.c * work.r * work.s + work.bias);
    weights = { ...weights, dram: ctx.streamedWeights.has(node.name) ? weightElements : 0 };
    inputs = { ...inputs, dram: viaDram(ctx, node.inputs[0]) ? elements(ctx, node.inputs[0]) : 0 };
    const out = ctx.plan.chainOutput.get(node.name) ?? node.outputs[0];
    outputs = { ...outputs, dram: viaDram(ctx, out) ? elements(ctx, out) : 0 };
  }
  for (const side of ctx.plan.sideInputs.get(node.name) ?? []) {
    const n = elements(ctx, side);
    const isWeight = ctx.model.graph.initializers.has(side);
    const a = streamed(n, 1, isWeight ? hw.residency === 'layer' : viaDram(ctx, side));
    if (isWeight) weights = addAccesses(weights, a);
    else inputs = addAccesses(inputs, a);
  }
  return { accesses: { weights, inputs, outputs }, tiling: acc.tiling };
}

/** Element-wise, pooling and copy ops: each input read once, the output written once. */
function streamingLayer(ctx: Context, node: Node, cost: OpCost): { accesses: LayerAccesses; ops: number } {
  const outElements = node.outputs.reduce((n, o) => n + (o ? elements(ctx, o) : 0), 0);
  const perOutput = cost.perOutput ? cost.perOutput(node, ctx.shape) : 0;
  const window = cost.window ? cost.window(node, ctx.shape) : 1;
  let weights = NO_ACCESS;
  let inputs = NO_ACCESS;
  for (const input of node.inputs) {
    if (!input) continue;
    const n = elements(ctx, input);
    if (ctx.model.graph.initializers.has(input)) weights = addAccesses(weights, streamed(n, 1, ctx.hw.residency === 'layer'));
    else inputs = addAccesses(inputs, streamed(n, cost.category === 'window' ? 0 : 1, viaDram(ctx, input)));
  }
  if (cost.category === 'window') inputs = { ...inputs, rf: outElements * window };
  const written = node.outputs.reduce((n, o) => n + (o && viaDram(ctx, o) ? elements(ctx, o) : 0), 0);
  const accumulate = cost.category === 'window' ? 2 * (window - 1) * outElements : 0;
  const outputs = { dram: written, buffer: outElements, array: 0, rf: outElements + accumulate };
  return { accesses: { weights, inputs, outputs }, ops: perOutput * outElements };
}

function fusedLayer(ctx: Context, node: Node, cost: OpCost): { accesses: LayerAccesses; ops: number } {
  if (ctx.plan.folded.has(node.name)) return { accesses: { weights: NO_ACCESS, inputs: NO_ACCESS, outputs: NO_ACCESS }, ops: 0 };
  const n = elements(ctx, node.outputs[0]);
  const perOutput = cost.perOutput ? cost.perOutput(node, ctx.shape) : 0;
  // The tile element is read from and written back to the register file.
  return { accesses: { weights: NO_ACCESS, inputs: NO_ACCESS, outputs: { dram: 0, buffer: 0, array: 0, rf: 2 * n } }, ops: perOutput * n };
}

/** Resident mode: cache weights on chip in topological order while they fit beside the activations. */
function streamedWeightLayers(ctx: Context, nodes: Node[], peakActivationBytes: number): Set<string> {
  const streamedSet = new Set<string>();
  if (ctx.hw.residency !== 'resident') return streamedSet;
  let room = Math.max(0, ctx.hw.bufferBytes - peakActivationBytes);
  for (const node of nodes) {
    if (OP_COSTS[node.opType]?.category !== 'mac') continue;
    const bytes = node.inputs.slice(1).reduce((n, t) => n + (t && ctx.model.graph.initializers.has(t) ? elements(ctx, t) : 0), 0) * ctx.hw.bytes;
    if (bytes <= room) room -= bytes;
    else streamedSet.add(node.name);
  }
  return streamedSet;
}

function emptyTotals(): Omit<EnergyTotals, 'weightBytes' | 'peakActivationBytes' | 'peakActivationLayer' | 'fits' | 'ramBytes'> {
  return {
    energyJ: 0, computeJ: 0, dramJ: 0, bufferJ: 0, rfJ: 0, arrayJ: 0, staticJ: 0, latencyMs: 0, dramBytes: 0,
    data: { weightsJ: 0, inputsJ: 0, outputsJ: 0 },
  };
}

/**
 * Analyses `model` on `profile` at a precision. Throws `EnergyModelError` when the device
 * lacks the precision, `OnnxError` when shapes cannot be inferred.
 *
 * @example
 *   const a = analyzeModel(zoo.resnet50.build(), library.get('jetson-nano-10w'), { precision: 'fp16' });
 *   a.totals.energyJ; a.totals.latencyMs; a.layers.filter((l) => l.bound === 'memory');
 */
export function analyzeModel(model: Model, profile: EnergyProfile, options: AnalyzeOptions): EnergyAnalysis {
  const hw = resolveHardware(profile, options.precision);
  const batch = options.batch ?? 1;
  const values = inferValues(model, { batch });
  const nodes = sortNodes(model.graph);
  const shape = shapeLookup(values);
  const counts = countWithValues(model, values);
  const countByName = new Map(counts.layers.map((l) => [l.name, l]));
  const graphOutputs = new Set(model.graph.outputs.map((o) => o.name));
  const graphInputs = new Set(model.graph.inputs.map((i) => i.name));
  const plan = planFusion(nodes, shape, graphOutputs, options.fuse ?? true);
  const fit = memoryFit(model, nodes, values, hw.bytes, plan.chainInput);
  const ctx: Context = { hw, values, shape, plan, model, graphInputs, graphOutputs, streamedWeights: new Set(), tilings: options.tilingCache ?? createTilingCache() };
  ctx.streamedWeights = streamedWeightLayers(ctx, nodes, fit.peakActivationBytes);

  const warnings: string[] = [];
  const layers: LayerEnergy[] = [];
  const totals = emptyTotals();
  for (const node of nodes) {
    let cost = OP_COSTS[node.opType];
    if (!cost) {
      if (options.strict) throw new EnergyModelError(`Operator '${node.opType}' (node '${node.name}') has no cost rule, and the analysis is strict.`);
      cost = UNKNOWN_OP_COST;
      warnings.push(`No cost rule for '${node.opType}' (node '${node.name}'): costed as memory-bound (reads its inputs, writes its outputs, no arithmetic).`);
    }
    const folded = node.outputs.every((o) => !o || values.get(o)?.value !== undefined);
    const counted = countByName.get(node.name);
    const macs = counted?.macs ?? 0;
    const base = { name: node.name, op: node.opType, macs, params: counted?.params ?? 0 };
    let layer: LayerEnergy;
    const fusedInto = plan.fusedInto.get(node.name);
    if (folded || cost.category === 'free') {
      layer = { ...base, ...layerCost(hw, { accesses: { weights: NO_ACCESS, inputs: NO_ACCESS, outputs: NO_ACCESS }, macEquivalents: 0, runsAlone: false }) };
    } else if (fusedInto !== undefined) {
      const f = fusedLayer(ctx, node, cost);
      layer = { ...base, ...layerCost(hw, { accesses: f.accesses, macEquivalents: f.ops, runsAlone: false }), fusedInto };
    } else if (cost.category === 'mac') {
      const m = macLayer(ctx, node);
      if (!m.tiling.fits) warnings.push(`Layer '${node.name}' overflows the on-chip buffer even with the smallest tile; its DRAM traffic is a lower bound.`);
      const computeClass = layerClass(asFloatOp(node), shape);
      layer = { ...base, ...layerCost(hw, { accesses: m.accesses, macEquivalents: macs, runsAlone: true, macsPerSecond: hw.classMacsPerSecond[computeClass] }), tiling: m.tiling, computeClass };
    } else {
      const s = streamingLayer(ctx, node, cost);
      layer = { ...base, ...layerCost(hw, { accesses: s.accesses, macEquivalents: s.ops, runsAlone: true }) };
    }
    layers.push(layer);
    for (const k of ['energyJ', 'computeJ', 'dramJ', 'bufferJ', 'rfJ', 'arrayJ', 'staticJ', 'latencyMs', 'dramBytes'] as const) {
      totals[k] += layer[k];
    }
    totals.data.weightsJ += layer.data.weightsJ;
    totals.data.inputsJ += layer.data.inputsJ;
    totals.data.outputsJ += layer.data.outputsJ;
  }
  if (ctx.streamedWeights.size > 0) {
    warnings.push(
      `${ctx.streamedWeights.size} layers' weights do not fit on chip and stream from memory on every inference (resident mode, ${profile.id}).`,
    );
  }
  return {
    model: { name: options.name ?? model.graph.name, macs: counts.macs, params: counts.params },
    device: { id: profile.id, name: profile.name, kind: hw.kind },
    precision: options.precision,
    batch,
    units: hw.units,
    totals: {
      ...totals,
      ...fit,
      fits: fit.weightBytes + fit.peakActivationBytes <= hw.ramBytes,
      ramBytes: hw.ramBytes,
    },
    layers,
    warnings,
  };
}
