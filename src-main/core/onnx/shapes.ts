/**
 * Shape inference over the IR: the type and concrete shape of every tensor, which the energy
 * model turns into MACs and bytes and the pruner uses to check its surgery. Per-operator
 * behaviour lives in the `SHAPE_RULES` registry; this file only walks the graph.
 */
import { isFloatDtype } from './dtype';
import { OnnxError, UnsupportedOperatorError } from './errors';
import { tensorSize } from './ir';
import type { Dim, Model, Node, Tensor, ValueInfo } from './ir';
import { MAX_FOLDED_ELEMENTS, MAX_FOLDED_FLOATS } from './shape-rule';
import type { InferredValue, RuleContext } from './shape-rule';
import { SHAPE_RULES } from './shape-rules/registry';
import { sortNodes } from './toposort';

export interface InferShapesOptions {
  /**
   * Sizes of named symbolic dims (`{ height: 224 }`). A dynamic dim 0 (a name, 0 or -1) is
   * the batch and counts as `batch` unless named here; any other dynamic dim must be named here.
   */
  dims?: Record<string, number>;
  /** The size a dynamic batch dim counts as (default 1). */
  batch?: number;
}

/**
 * Infers the dtype and shape of every tensor: graph inputs, initializers and every node
 * output, with concrete sizes. Node outputs are also stored into `model.graph.valueInfo`,
 * where dims that follow a dynamic batch keep its symbolic name, so an exported model still
 * runs at any batch size. Throws `UnsupportedOperatorError` for an operator without a rule
 * and `OnnxError` naming the node for inputs that do not fit together (a channel mismatch
 * after pruning, say).
 *
 * @example inferShapes(model).get('conv1_out')?.shape // [1, 64, 112, 112]
 */
export function inferShapes(model: Model, options: InferShapesOptions = {}): Map<string, ValueInfo> {
  const values = inferValues(model, options);
  const result = new Map<string, ValueInfo>();
  for (const [name, v] of values) result.set(name, { name, dtype: v.dtype, shape: v.shape });
  const symbolic = batchDependentShapes(model, options, values);
  for (const node of model.graph.nodes) {
    for (const out of node.outputs) {
      const v = values.get(out);
      if (out === '' || !v) continue;
      model.graph.valueInfo.set(out, { name: out, dtype: v.dtype, shape: symbolic.get(out) ?? [...v.shape] });
    }
  }
  return result;
}

/**
 * Shapes with the batch-dependent dims made symbolic: inference runs again at batch + 1 and
 * every dim that changed becomes the batch's name (when it is the batch itself) or an unknown
 * dim (when it mixes the batch with other dims, as a Reshape to [-1] does). Empty when the
 * inputs have no dynamic batch or the graph only works at the given batch.
 */
function batchDependentShapes(
  model: Model,
  options: InferShapesOptions,
  values: Map<string, InferredValue>,
): Map<string, Dim[]> {
  const out = new Map<string, Dim[]>();
  const batchDims = model.graph.inputs
    .map((v) => v.shape?.[0])
    .filter((d) => d !== undefined && !(typeof d === 'number' && d > 0) && !(typeof d === 'string' && options.dims?.[d] !== undefined));
  if (batchDims.length === 0) return out;
  const name = batchDims.find((d): d is string => typeof d === 'string') ?? '';
  const batch = options.batch ?? 1;
  let varied: Map<string, InferredValue>;
  try {
    varied = inferValues(model, { ...options, batch: batch + 1 });
  } catch {
    return out; // e.g. a Reshape hard-coding the batch: the model only runs at `batch`.
  }
  for (const [tensor, v] of values) {
    const w = varied.get(tensor);
    if (!w || w.shape.length !== v.shape.length || w.shape.every((d, i) => d === v.shape[i])) continue;
    out.set(tensor, v.shape.map((d, i) => (w.shape[i] === d ? d : d === batch && w.shape[i] === batch + 1 ? name : '')));
  }
  return out;
}

/**
 * Like `inferShapes`, but returns the inferred values with their known constant elements
 * (folded shape arithmetic) and leaves the model untouched.
 */
export function inferValues(model: Model, options: InferShapesOptions = {}): Map<string, InferredValue> {
  const g = model.graph;
  const values = new Map<string, InferredValue>();
  const batchNames = batchDimNames(model);
  for (const input of g.inputs) {
    if (!g.initializers.has(input.name)) values.set(input.name, inputValue(input, options, batchNames));
  }
  for (const t of g.initializers.values()) values.set(t.name, initializerValue(t));

  for (const node of sortNodes(g)) {
    const domain = node.domain === 'ai.onnx' ? '' : node.domain;
    const opset = model.opsetImports.find((o) => (o.domain === 'ai.onnx' ? '' : o.domain) === domain)?.version ?? 0;
    const rule = domain === '' ? SHAPE_RULES[node.opType] : undefined;
    if (!rule) throw new UnsupportedOperatorError(node.opType, node.name, opset, domain);
    const ctx = ruleContext(node, opset, values);
    let outputs: InferredValue[];
    try {
      outputs = rule(ctx);
    } catch (e) {
      if (e instanceof OnnxError) throw e;
      throw ctx.error(`shape inference failed (${(e as Error).message})`);
    }
    node.outputs.forEach((name, i) => {
      if (name === '') return;
      const out = outputs[i];
      if (!out) throw ctx.error(`has ${node.outputs.length} outputs, but the operator defines ${outputs.length}`);
      values.set(name, out);
    });
  }
  return values;
}

/** The context a shape rule runs in: typed access to a node's inputs and errors naming the node. */
export function ruleContext(node: Node, opset: number, values: Map<string, InferredValue>): RuleContext {
  const error = (message: string) => new OnnxError(`Node '${node.name}' (${node.opType}): ${message}.`);
  const has = (i: number) => i < node.inputs.length && node.inputs[i] !== '';
  const input = (i: number): InferredValue => {
    if (!has(i)) throw error(`needs input ${i}, which is omitted`);
    const v = values.get(node.inputs[i]);
    // sortNodes guarantees producers ran first, so a miss is a tensor with no known type.
    if (!v) throw error(`reads tensor '${node.inputs[i]}', whose type is unknown`);
    return v;
  };
  return {
    node,
    opset,
    has,
    input,
    shape: (i) => input(i).shape,
    dtype: (i) => input(i).dtype,
    constInts: (i) => (has(i) ? values.get(node.inputs[i])?.value : undefined),
    requireConstInts(i, what) {
      const v = input(i).value;
      if (v === undefined) {
        throw error(`needs its '${what}' input '${node.inputs[i]}' to be a constant, but it is computed at run time`);
      }
      return v;
    },
    error,
  };
}

/**
 * Sizes to suggest for an input's dynamic dimensions: 1 for the batch, 224 for the sides of an
 * image-like input (4-d with 1-4 channels), 128 otherwise.
 */
export function suggestedShape(shape: readonly Dim[], batchNames: ReadonlySet<string>): number[] {
  const image = shape.length === 4 && typeof shape[1] === 'number' && shape[1] > 0 && shape[1] <= 4;
  return shape.map((d, axis) => (typeof d === 'number' && d > 0 ? d : axis === 0 || (typeof d === 'string' && batchNames.has(d)) ? 1 : image ? 224 : 128));
}

/** Names the first dimension of the runtime inputs carries (`batch`, `N`): the batch wherever it appears (an RNN state [2, batch, 64]). */
export function batchDimNames(model: Model): Set<string> {
  const names = new Set<string>();
  for (const input of model.graph.inputs) {
    const d = input.shape?.[0];
    if (typeof d === 'string' && d !== '' && !model.graph.initializers.has(input.name)) names.add(d);
  }
  return names;
}

function inputValue(input: ValueInfo, options: InferShapesOptions, batchNames: ReadonlySet<string>): InferredValue {
  if (!input.shape) {
    throw new OnnxError(`Graph input '${input.name}' has no shape; shape inference needs at least its rank.`);
  }
  const shape = input.shape.map((d: Dim, axis) => {
    if (typeof d === 'number' && d > 0) return d;
    if (typeof d === 'string' && d !== '' && options.dims?.[d] !== undefined) return options.dims[d];
    if (axis === 0 || (typeof d === 'string' && batchNames.has(d))) return options.batch ?? 1;
    const example = suggestedShape(input.shape!, batchNames).join('x');
    throw new OnnxError(
      `Graph input '${input.name}' has dynamic dimension ${JSON.stringify(d)} at axis ${axis}; ` +
        `give the input's shape (on the command line: --input-shape ${input.name}=${example}, with your sizes).`,
    );
  });
  return { dtype: input.dtype, shape };
}

/** Small integer initializers (shapes, axes, pads) and scalars keep their elements for folding. */
function initializerValue(t: Tensor): InferredValue {
  const v: InferredValue = { dtype: t.dtype, shape: t.dims };
  const n = tensorSize(t.dims);
  const integer = !isFloatDtype(t.dtype);
  if (t.data && t.dtype !== 'float16' && (integer ? n <= MAX_FOLDED_ELEMENTS : n <= MAX_FOLDED_FLOATS)) {
    v.value = Array.from(t.data as ArrayLike<number | bigint>, Number);
  }
  return v;
}
