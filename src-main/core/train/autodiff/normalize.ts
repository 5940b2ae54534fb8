/**
 * Brings a model's default-domain nodes to opset 17, the opset every training graph is written
 * in, so gradient rules see one form of each operator: axes of Squeeze/Unsqueeze/ReduceSum and
 * the sizes of Split as inputs, Clip bounds and the Dropout ratio as inputs, Softmax over one
 * axis. Exporters emit opsets 11 to 17 (PyTorch) and older; the rest of the operators this
 * autodiff knows did not change between 7 and 17.
 */
import { isFloatDtype } from '../../onnx/dtype';
import { attrFloat, attrInt, attrInts, opsetOf } from '../../onnx/ir';
import type { Attribute, Model, Node, Tensor } from '../../onnx/ir';
import { int } from './attrs';
import { GradientError } from './errors';
import { inferTensorInfo } from './shapes';

export const TRAINING_OPSET = 17;
const MIN_OPSET = 7;
const MAX_OPSET = 21;

interface UpgradeContext {
  /** Opset of the source model. */
  opset: number;
  /** A new int64 1-d initializer. */
  ints(values: number[], hint: string): string;
  /** A new float scalar initializer of the model's float type. */
  scalar(value: number, hint: string): string;
  /** Rank of a tensor of the source model. */
  rank(tensor: string): number;
  fresh(hint: string): string;
}

type Upgrade = (node: Node, ctx: UpgradeContext) => Node[];

function without(attrs: Record<string, Attribute>, ...names: string[]): Record<string, Attribute> {
  const out = { ...attrs };
  for (const n of names) delete out[n];
  return out;
}

/** An attribute list that became input 1 (axes, split sizes) in `since`. */
function attributeToInput(name: string, since: number): Upgrade {
  return (node, ctx) => {
    if (ctx.opset >= since || !node.attributes[name]) return [node];
    const values = attrInts(node, name);
    const input = ctx.ints(values, `${node.name}/${name}`);
    return [{ ...node, inputs: [node.inputs[0], input], attributes: without(node.attributes, name) }];
  };
}

/** Reduce operators other than ReduceSum took axes as an input from opset 18: back to the attribute. */
const reduceAxesToAttribute: Upgrade = (node, ctx) => {
  if (ctx.opset < 18 || node.inputs.length < 2 || node.inputs[1] === '') return [{ ...node, inputs: [node.inputs[0]] }];
  throw new GradientError(`Node '${node.name}' (${node.opType}) takes its axes as an input (opset ${ctx.opset}); only opset 17 or older reductions are supported.`);
};

/** Before opset 13, Softmax flattened the input to 2-D at `axis` (default 1). */
const softmax: Upgrade = (node, ctx) => {
  if (ctx.opset >= 13) return [node];
  const rank = ctx.rank(node.inputs[0]);
  const axisAttr = attrInt(node, 'axis', 1);
  const axis = axisAttr < 0 ? axisAttr + rank : axisAttr;
  if (axis === rank - 1) return [{ ...node, attributes: { axis: int(axis) } }];
  const flat = ctx.fresh(`${node.name}/flat`);
  const soft = ctx.fresh(`${node.name}/2d`);
  const shape = ctx.fresh(`${node.name}/shape`);
  const [x] = node.inputs;
  return [
    { ...node, name: `${node.name}/flatten`, opType: 'Flatten', inputs: [x], outputs: [flat], attributes: { axis: int(axis) } },
    { ...node, inputs: [flat], outputs: [soft], attributes: { axis: int(1) } },
    { ...node, name: `${node.name}/shape`, opType: 'Shape', inputs: [x], outputs: [shape], attributes: {} },
    { ...node, name: `${node.name}/reshape`, opType: 'Reshape', inputs: [soft, shape], outputs: node.outputs, attributes: {} },
  ];
};

const clip: Upgrade = (node, ctx) => {
  if (ctx.opset >= 11) return [node];
  const lo = ctx.scalar(attrFloat(node, 'min', -3.4028234663852886e38), `${node.name}/min`);
  const hi = ctx.scalar(attrFloat(node, 'max', 3.4028234663852886e38), `${node.name}/max`);
  return [{ ...node, inputs: [node.inputs[0], lo, hi], attributes: {} }];
};

const dropout: Upgrade = (node, ctx) => {
  if (ctx.opset >= 12) return [node];
  const ratio = ctx.scalar(attrFloat(node, 'ratio', 0.5), `${node.name}/ratio`);
  return [{ ...node, inputs: [node.inputs[0], ratio], attributes: without(node.attributes, 'ratio', 'is_test') }];
};

const batchNorm: Upgrade = (node, ctx) => {
  if (ctx.opset < 9 && attrInt(node, 'spatial', 1) !== 1) {
    throw new GradientError(`Node '${node.name}' (BatchNormalization) uses spatial=0, which is not supported.`);
  }
  return [{ ...node, attributes: without(node.attributes, 'spatial', 'is_test', 'consumed_inputs') }];
};

const split: Upgrade = (node, ctx) => {
  const [upgraded] = attributeToInput('split', 13)(node, ctx);
  return [{ ...upgraded, attributes: without(upgraded.attributes, 'num_outputs') }];
};

/** Pad took pads and the fill value as attributes before opset 11. */
const pad: Upgrade = (node, ctx) => {
  if (ctx.opset >= 11) return [node];
  const pads = ctx.ints(attrInts(node, 'pads'), `${node.name}/pads`);
  const value = ctx.scalar(attrFloat(node, 'value', 0), `${node.name}/value`);
  return [{ ...node, inputs: [node.inputs[0], pads, value], attributes: without(node.attributes, 'pads', 'value') }];
};

/** Slice took starts, ends and axes as attributes before opset 10. */
const slice: Upgrade = (node, ctx) => {
  if (ctx.opset >= 10) return [node];
  const starts = attrInts(node, 'starts');
  const inputs = [node.inputs[0], ctx.ints(starts, `${node.name}/starts`), ctx.ints(attrInts(node, 'ends'), `${node.name}/ends`)];
  if (node.attributes.axes) inputs.push(ctx.ints(attrInts(node, 'axes'), `${node.name}/axes`));
  return [{ ...node, inputs, attributes: {} }];
};

const UPGRADES: Record<string, Upgrade> = {
  Pad: pad,
  Slice: slice,
  Squeeze: attributeToInput('axes', 13),
  Unsqueeze: attributeToInput('axes', 13),
  ReduceSum: attributeToInput('axes', 13),
  ReduceMean: reduceAxesToAttribute,
  ReduceMax: reduceAxesToAttribute,
  ReduceMin: reduceAxesToAttribute,
  ReduceProd: reduceAxesToAttribute,
  ReduceSumSquare: reduceAxesToAttribute,
  Split: split,
  Softmax: softmax,
  LogSoftmax: softmax,
  Clip: clip,
  Dropout: dropout,
  BatchNormalization: batchNorm,
};

/**
 * A copy of `model` at opset 17 (the input is not modified; tensors are shared, not copied).
 *
 * @example normalizeOpset(readOnnxFile('lenet-opset11.onnx')).opsetImports // [{ domain: '', version: 17 }]
 */
export function normalizeOpset(model: Model): Model {
  const opset = opsetOf(model);
  if (opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new GradientError(`The model imports opset ${opset}; training graphs support opset ${MIN_OPSET} to ${MAX_OPSET}.`);
  }
  const g = model.graph;
  const initializers = new Map(g.initializers);
  const taken = new Set<string>([...initializers.keys(), ...g.inputs.map((v) => v.name)]);
  for (const n of g.nodes) [n.name, ...n.outputs].forEach((t) => taken.add(t));
  const floatType = [...g.inputs, ...g.outputs].find((v) => isFloatDtype(v.dtype))?.dtype ?? 'float32';
  let ranks: Map<string, { dims: unknown[] }> | undefined;
  const ctx: UpgradeContext = {
    opset,
    fresh(hint) {
      let name = hint;
      for (let k = 1; taken.has(name); k++) name = `${hint}_${k}`;
      taken.add(name);
      return name;
    },
    ints(values, hint) {
      const t: Tensor = { name: ctx.fresh(hint), dtype: 'int64', dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) };
      initializers.set(t.name, t);
      return t.name;
    },
    scalar(value, hint) {
      const data = floatType === 'float64' ? Float64Array.from([value]) : Float32Array.from([value]);
      const t: Tensor = { name: ctx.fresh(hint), dtype: floatType, dims: [], data };
      initializers.set(t.name, t);
      return t.name;
    },
    rank(tensor) {
      ranks ??= inferTensorInfo(model);
      const info = ranks.get(tensor);
      if (!info) throw new GradientError(`The rank of tensor '${tensor}' is unknown.`);
      return info.dims.length;
    },
  };
  const nodes = g.nodes.flatMap((node) => {
    const upgrade = node.domain === '' || node.domain === 'ai.onnx' ? UPGRADES[node.opType] : undefined;
    const copy = { ...node, inputs: [...node.inputs], outputs: [...node.outputs], attributes: { ...node.attributes } };
    return upgrade ? upgrade(copy, ctx) : [copy];
  });
  const opsetImports = model.opsetImports.map((o) => (o.domain === '' || o.domain === 'ai.onnx' ? { domain: '', version: TRAINING_OPSET } : o));
  return {
    ...model,
    irVersion: Math.max(model.irVersion, 8),
    opsetImports,
    graph: { ...g, inputs: [...g.inputs], outputs: [...g.outputs], initializers, nodes, valueInfo: new Map(g.valueInfo) },
    metadata: { ...model.metadata },
  };
}
