/**
 * What the backward pass knows about each forward tensor: dtype, and dims where a dim that
 * depends on the batch size is `null`. Shapes are inferred twice, at batch 2 and at batch 3:
 * dims that differ follow the batch. Batch 1 is avoided on purpose, because a batch of 1 looks
 * like a broadcast axis and would make gradients sum over the batch.
 */
import { attrString } from '../../onnx/ir';
import type { Model } from '../../onnx/ir';
import type { InferredValue, ShapeRule } from '../../onnx/shape-rule';
import { SHAPE_RULES } from '../../onnx/shape-rules/registry';
import { ruleContext } from '../../onnx/shapes';
import { sortNodes } from '../../onnx/toposort';
import { GradientError, noGradient } from './errors';
import type { TensorInfo } from './dims';
import { GRADIENT_RULES } from './rules/registry';


/**
 * Shape rules for the operators the training graph uses that `core/onnx` has no rule for
 * (losses appear only in training graphs).
 */
const EXTRA_RULES: Record<string, ShapeRule> = {
  SoftmaxCrossEntropyLoss: (ctx) => {
    const reduction = attrString(ctx.node, 'reduction', 'mean');
    const loss = reduction === 'none' ? ctx.shape(1) : [];
    return [
      { dtype: ctx.dtype(0), shape: loss },
      { dtype: ctx.dtype(0), shape: ctx.shape(0) },
    ];
  },
};

/**
 * Infers every tensor of `model` (graph inputs, initializers, node outputs).
 *
 * @example inferTensorInfo(model).get('conv1_out')?.dims // [null, 32, 28, 28]
 */
export function inferTensorInfo(model: Model, dims: Record<string, number> = {}): Map<string, TensorInfo> {
  const a = inferAt(model, 2, dims);
  const b = inferAt(model, 3, dims);
  const out = new Map<string, TensorInfo>();
  for (const [name, v] of a) {
    const w = b.get(name);
    const dyn = (d: number, i: number) => w !== undefined && w.shape[i] !== d;
    const info: TensorInfo = { dtype: v.dtype, dims: v.shape.map((d, i) => (dyn(d, i) ? null : d)) };
    // Constants that change with the batch (a folded Shape) are not constants.
    if (v.value && w?.value && v.value.every((x, i) => x === w.value?.[i])) info.value = v.value;
    out.set(name, info);
  }
  return out;
}

function inferAt(model: Model, batch: number, dims: Record<string, number>): Map<string, InferredValue> {
  const g = model.graph;
  const values = new Map<string, InferredValue>();
  for (const input of g.inputs) {
    if (!input.shape) throw new GradientError(`Graph input '${input.name}' has no shape.`);
    const shape = input.shape.map((d, axis) => {
      if (typeof d === 'number' && d > 0) return d;
      if (typeof d === 'string' && dims[d] !== undefined) return dims[d];
      if (axis === 0) return batch;
      throw new GradientError(
        `Graph input '${input.name}' has dynamic dimension ${JSON.stringify(d)} at axis ${axis}; only the batch (axis 0) may be dynamic.`,
      );
    });
    values.set(input.name, { dtype: input.dtype, shape });
  }
  for (const t of g.initializers.values()) {
    const v: InferredValue = { dtype: t.dtype, shape: t.dims };
    const n = t.dims.reduce((x, y) => x * y, 1);
    if (t.data && t.dtype !== 'float16' && n <= 4096) v.value = Array.from(t.data as ArrayLike<number | bigint>, Number);
    values.set(t.name, v);
  }
  const opset = model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0;
  for (const node of sortNodes(g)) {
    const rule = node.domain === '' || node.domain === 'ai.onnx' ? (SHAPE_RULES[node.opType] ?? EXTRA_RULES[node.opType]) : undefined;
    if (!rule) {
      // An operator Joule cannot even type has no gradient rule either: say that, it is the actionable part.
      if (!GRADIENT_RULES[node.opType]) throw noGradient(node.opType, node.name);
      throw new GradientError(`Cannot infer shapes through operator '${node.opType}' at node '${node.name}'.`);
    }
    const outputs = rule(ruleContext(node, opset, values));
    node.outputs.forEach((name, i) => {
      if (name !== '' && outputs[i]) values.set(name, outputs[i]);
    });
  }
  return values;
}
