/**
 * Shape rules for operators whose output has the shape of their (broadcast) inputs:
 * activations, arithmetic, normalisation, Cast, Dropout. Integer arithmetic on known constants
 * is folded, because exporters compute reshape targets this way (Shape -> Gather -> Mul).
 */
import { dtypeFromCode } from '../dtype';
import { attrInt } from '../ir';
import type { DataType } from '../ir';
import { broadcastShapes, foldable, normAxis, product } from '../shape-rule';
import type { InferredOutput, ShapeRule } from '../shape-rule';

/** Output 0 = input 0, with `fold` applied to known constant elements. */
function unary(fold?: (x: number) => number): ShapeRule {
  return (ctx) => {
    const value = ctx.constInts(0);
    const out: InferredOutput = { dtype: ctx.dtype(0), shape: ctx.shape(0) };
    if (fold && value) out.value = value.map(fold);
    return [out];
  };
}

const isInteger = (t: DataType) => t !== 'float32' && t !== 'float16' && t !== 'float64';

/** Elements of `value` (of `shape`) read at every index of the broadcast `outShape`. */
function broadcastValues(value: number[], shape: number[], outShape: number[]): number[] {
  const n = product(outShape);
  if (value.length === n) return value;
  const out = new Array<number>(n);
  const offset = outShape.length - shape.length;
  for (let flat = 0; flat < n; flat++) {
    let rest = flat;
    let src = 0;
    let stride = 1;
    for (let axis = outShape.length - 1; axis >= 0; axis--) {
      const i = rest % outShape[axis];
      rest = Math.floor(rest / outShape[axis]);
      const d = shape[axis - offset] ?? 1;
      if (axis >= offset) {
        src += (d === 1 ? 0 : i) * stride;
        stride *= d;
      }
    }
    out[flat] = value[src];
  }
  return out;
}

/** Numpy-broadcast binary operator; `fold` computes known constant elements. */
function binary(outDtype?: DataType, fold?: (a: number, b: number, integer: boolean) => number): ShapeRule {
  return (ctx) => {
    const shape = broadcastShapes(ctx, [ctx.shape(0), ctx.shape(1)]);
    const out: InferredOutput = { dtype: outDtype ?? ctx.dtype(0), shape };
    const a = ctx.constInts(0);
    const b = ctx.constInts(1);
    if (fold && a && b && product(shape) <= 4096) {
      const av = broadcastValues(a, ctx.shape(0), shape);
      const bv = broadcastValues(b, ctx.shape(1), shape);
      const integer = isInteger(ctx.dtype(0));
      out.value = foldable(av.map((x, i) => fold(x, bv[i], integer)));
    }
    return [out];
  };
}

/** Sum, Max, Min, Mean: any number of broadcast inputs. */
const variadic: ShapeRule = (ctx) => {
  const shapes = ctx.node.inputs.map((_, i) => ctx.shape(i));
  return [{ dtype: ctx.dtype(0), shape: broadcastShapes(ctx, shapes) }];
};

const where: ShapeRule = (ctx) => [
  { dtype: ctx.dtype(1), shape: broadcastShapes(ctx, [ctx.shape(0), ctx.shape(1), ctx.shape(2)]) },
];

/** Outputs beyond Y (running or saved statistics) are per-channel vectors. */
const batchNorm: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const channels = x[1] ?? 1;
  return ctx.node.outputs.map((_, i) =>
    i === 0 ? { dtype: ctx.dtype(0), shape: x } : { dtype: ctx.dtype(0), shape: [channels] },
  );
};

const layerNorm: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const axis = normAxis(ctx, attrInt(ctx.node, 'axis', -1), x.length);
  const stats = x.map((d, i) => (i < axis ? d : 1));
  return ctx.node.outputs.map((_, i) => ({ dtype: i === 0 ? ctx.dtype(0) : 'float32', shape: i === 0 ? x : stats }));
};

/** The mask output is bool from opset 10 on, the input's type before. */
const dropout: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const maskType: DataType = ctx.opset >= 10 ? 'bool' : ctx.dtype(0);
  return ctx.node.outputs.map((_, i) => ({ dtype: i === 0 ? ctx.dtype(0) : maskType, shape: x }));
};

const cast: ShapeRule = (ctx) => {
  const to = attrInt(ctx.node, 'to');
  const dtype = dtypeFromCode(to);
  if (!dtype) throw ctx.error(`casts to ONNX type ${to}, which Joule does not support`);
  const value = ctx.constInts(0);
  const out: InferredOutput = { dtype, shape: ctx.shape(0) };
  if (value) out.value = isInteger(dtype) ? value.map(Math.trunc) : value;
  return [out];
};

const same = unary();
const compare = (fold: (a: number, b: number) => boolean) => binary('bool', (a, b) => (fold(a, b) ? 1 : 0));

export const elementwiseRules: Record<string, ShapeRule> = {
  Relu: same,
  LeakyRelu: same,
  PRelu: (ctx) => [{ dtype: ctx.dtype(0), shape: broadcastShapes(ctx, [ctx.shape(0), ctx.shape(1)]) }],
  Sigmoid: same,
  HardSigmoid: same,
  HardSwish: same,
  Tanh: same,
  Elu: same,
  Selu: same,
  Celu: same,
  Gelu: same,
  Mish: same,
  Softplus: same,
  Softsign: same,
  Erf: same,
  Exp: same,
  Log: same,
  Sqrt: same,
  Reciprocal: same,
  Clip: same,
  Softmax: same,
  LogSoftmax: same,
  LRN: same,
  InstanceNormalization: same,
  Neg: unary((x) => -x),
  Not: unary((x) => (x ? 0 : 1)),
  And: compare((a, b) => !!a && !!b),
  Or: compare((a, b) => !!a || !!b),
  Xor: compare((a, b) => !!a !== !!b),
  Abs: unary(Math.abs),
  Floor: unary(Math.floor),
  Ceil: unary(Math.ceil),
  Identity: unary((x) => x),
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
  Dropout: dropout,
  Cast: cast,
  Add: binary(undefined, (a, b) => a + b),
  Sub: binary(undefined, (a, b) => a - b),
  Mul: binary(undefined, (a, b) => a * b),
  // Integer division truncates toward zero, as onnxruntime's kernels do.
  Div: binary(undefined, (a, b, integer) => (integer ? Math.trunc(a / b) : a / b)),
  Pow: binary(undefined, (a, b) => a ** b),
  Mod: binary(),
  Equal: compare((a, b) => a === b),
  Less: compare((a, b) => a < b),
  Greater: compare((a, b) => a > b),
  LessOrEqual: compare((a, b) => a <= b),
  GreaterOrEqual: compare((a, b) => a >= b),
  Where: where,
  Sum: variadic,
  Max: variadic,
  Min: variadic,
  Mean: variadic,
};
