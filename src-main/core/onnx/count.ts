/**
 * MACs and parameters of a model, per layer and in total, counted the way torchvision's model
 * cards count them: MACs of convolutions (groups included) and matrix products; parameters are
 * the learnable float initializers. Batch-norm running statistics and other non-learnable
 * float constants (Clip bounds) are reported separately as `constants`, as torchvision keeps
 * them in buffers rather than parameters.
 */
import { isFloatDtype } from './dtype';
import { attrInt, tensorSize } from './ir';
import type { Model, Node } from './ir';
import type { InferredValue } from './shape-rule';
import { asFloatOp } from './quantized';
import { inferValues } from './shapes';

export interface LayerCount {
  name: string;
  op: string;
  macs: number;
  /** Learnable parameters this node is the first consumer of. */
  params: number;
  outputShape: number[];
}

export interface ModelCount {
  macs: number;
  params: number;
  /** Float initializer elements that are not learnable (batch-norm statistics, bounds). */
  constants: number;
  layers: LayerCount[];
}

/** Shape lookup: the concrete shape of a tensor by name. */
export type ShapeOf = (tensor: string) => number[];

type MacRule = (node: Node, shape: ShapeOf) => number;

/** MAC counts by op type; every other op counts zero MACs. */
const MAC_RULES: Record<string, MacRule> = {
  Conv: (node, shape) => {
    const w = shape(node.inputs[1]);
    // Each output element sums over (C / group) x kernel.
    return tensorSize(shape(node.outputs[0])) * tensorSize(w.slice(1));
  },
  ConvTranspose: (node, shape) => {
    const w = shape(node.inputs[1]);
    // Each input element scatters into (C_out / group) x kernel outputs.
    return tensorSize(shape(node.inputs[0])) * tensorSize(w.slice(1));
  },
  Gemm: (node, shape) => {
    const a = shape(node.inputs[0]);
    const k = attrInt(node, 'transA', 0) ? a[0] : a[1];
    return tensorSize(shape(node.outputs[0])) * k;
  },
  MatMul: (node, shape) => {
    const a = shape(node.inputs[0]);
    return tensorSize(shape(node.outputs[0])) * a[a.length - 1];
  },
  LSTM: recurrentMacs,
  GRU: recurrentMacs,
  RNN: recurrentMacs,
};

/** Every step, every direction: each gate multiplies the input and the previous hidden state by its weights. */
function recurrentMacs(node: Node, shape: ShapeOf): number {
  const w = shape(node.inputs[1]);
  const r = shape(node.inputs[2]);
  const x = shape(node.inputs[0]);
  const steps = tensorSize(x.slice(0, 2));
  return steps * w[0] * w[1] * (w[2] + r[2]);
}

/** Inputs that hold state or settings rather than learnable weights, by op type. */
const NON_LEARNABLE_INPUTS: Record<string, number[]> = {
  BatchNormalization: [3, 4],
  Clip: [1, 2],
};

/** MACs of one node (0 for ops without multiply-accumulates). */
export function nodeMacs(node: Node, shape: ShapeOf): number {
  const view = asFloatOp(node);
  const rule = MAC_RULES[view.opType];
  return rule ? rule(view, shape) : 0;
}

/** True when input `index` of `node` is a learnable parameter when it is a float initializer. */
export function isLearnableInput(node: Node, index: number): boolean {
  return !(NON_LEARNABLE_INPUTS[node.opType] ?? []).includes(index);
}

/**
 * Counts MACs and parameters at the given batch (default 1).
 *
 * @example countModel(zoo.resnet50.build()).macs // 4.09e9
 */
export function countModel(model: Model, options: { batch?: number } = {}): ModelCount {
  return countWithValues(model, inferValues(model, { batch: options.batch ?? 1 }));
}

/** `countModel` over shapes already inferred (the energy model infers them once for both). */
export function countWithValues(model: Model, values: Map<string, InferredValue>): ModelCount {
  const shape = shapeLookup(values);
  const inits = model.graph.initializers;
  const seen = new Set<string>();
  const layers: LayerCount[] = [];
  let macs = 0;
  let params = 0;
  for (const node of model.graph.nodes) {
    let nodeParams = 0;
    node.inputs.forEach((name, i) => {
      const t = inits.get(name);
      if (!t || seen.has(name) || !isFloatDtype(t.dtype) || !isLearnableInput(node, i)) return;
      seen.add(name);
      nodeParams += tensorSize(t.dims);
    });
    const nodeMacCount = nodeMacs(node, shape);
    macs += nodeMacCount;
    params += nodeParams;
    layers.push({ name: node.name, op: node.opType, macs: nodeMacCount, params: nodeParams, outputShape: shape(node.outputs[0]) });
  }
  let constants = 0;
  for (const t of inits.values()) {
    if (isFloatDtype(t.dtype) && !seen.has(t.name)) constants += tensorSize(t.dims);
  }
  return { macs, params, constants, layers };
}

/** A `ShapeOf` over inferred values that names the tensor when it is missing. */
export function shapeLookup(values: Map<string, InferredValue>): ShapeOf {
  return (t) => {
    const v = values.get(t);
    if (!v) throw new Error(`no inferred shape for tensor '${t}'`);
    return v.shape;
  };
}
