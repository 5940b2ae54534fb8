/**
 * Shape rules for operators that join, cut, index or produce tensors: Concat, Split, Slice,
 * Gather, Pad, Shape, Constant, ConstantOfShape. Shape, Gather, Concat and Slice fold known
 * constants, which resolves the Shape -> Gather -> Unsqueeze -> Concat -> Reshape chains that
 * PyTorch emits for `x.view(x.size(0), -1)`.
 */
import { attrFloat, attrFloats, attrInt, attrInts, attrTensor } from '../ir';
import type { DataType } from '../ir';
import { isFloatDtype } from '../dtype';
import { MAX_FOLDED_ELEMENTS, normAxis, product } from '../shape-rule';
import type { InferredOutput, RuleContext, ShapeRule } from '../shape-rule';

const concat: ShapeRule = (ctx) => {
  const shapes = ctx.node.inputs.map((_, i) => ctx.shape(i));
  const first = shapes[0];
  const axis = normAxis(ctx, attrInt(ctx.node, 'axis', ctx.opset < 4 ? 1 : undefined), first.length);
  const shape = [...first];
  shape[axis] = 0;
  for (const s of shapes) {
    if (s.length !== first.length || s.some((d, i) => i !== axis && d !== first[i])) {
      throw ctx.error(
        `cannot concatenate [${s.join(', ')}] with [${first.join(', ')}] along axis ${axis}`,
      );
    }
    shape[axis] += s[axis];
  }
  const out: InferredOutput = { dtype: ctx.dtype(0), shape };
  const values = ctx.node.inputs.map((_, i) => ctx.constInts(i));
  // Only 1-d constants are folded: those are the shape vectors exporters build.
  if (shape.length === 1 && values.every((v) => v !== undefined)) out.value = values.flat() as number[];
  return [out];
};

/** Split sizes: attribute before 13, input from 13, num_outputs (18+), or equal parts. */
function splitSizes(ctx: RuleContext, dim: number): number[] {
  const { node } = ctx;
  const given = ctx.opset < 13 ? (node.attributes.split ? attrInts(node, 'split') : undefined) : ctx.has(1) ? ctx.requireConstInts(1, 'split') : undefined;
  if (given) {
    if (given.length !== node.outputs.length || given.reduce((a, b) => a + b, 0) !== dim) {
      throw ctx.error(`split [${given.join(', ')}] does not cut a dim of ${dim} into ${node.outputs.length} outputs`);
    }
    return given;
  }
  const n = node.attributes.num_outputs ? attrInt(node, 'num_outputs') : node.outputs.length;
  if (node.attributes.num_outputs) {
    // Opset 18: every chunk is ceil(dim / n) except a smaller last one.
    const chunk = Math.ceil(dim / n);
    return Array.from({ length: n }, (_, i) => (i < n - 1 ? chunk : dim - chunk * (n - 1)));
  }
  if (dim % n !== 0) throw ctx.error(`cannot split a dim of ${dim} into ${n} equal outputs`);
  return new Array<number>(n).fill(dim / n);
}

const split: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const axis = normAxis(ctx, attrInt(ctx.node, 'axis', 0), x.length);
  // A 1-d constant (tf2onnx splits pads vectors this way) splits into known pieces.
  const value = x.length === 1 ? ctx.constInts(0) : undefined;
  let offset = 0;
  return splitSizes(ctx, x[axis]).map((size) => {
    const out: InferredOutput = { dtype: ctx.dtype(0), shape: x.map((d, i) => (i === axis ? size : d)) };
    if (value) out.value = value.slice(offset, offset + size);
    offset += size;
    return out;
  });
};

/** ONNX Slice semantics: negative indices count from the end, then clamp to the dim. */
const slice: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const { node } = ctx;
  const legacy = ctx.opset < 10;
  const starts = legacy ? attrInts(node, 'starts') : ctx.requireConstInts(1, 'starts');
  const ends = legacy ? attrInts(node, 'ends') : ctx.requireConstInts(2, 'ends');
  const axes = legacy
    ? attrInts(node, 'axes', starts.map((_, i) => i))
    : ctx.has(3) ? ctx.requireConstInts(3, 'axes') : starts.map((_, i) => i);
  const steps = !legacy && ctx.has(4) ? ctx.requireConstInts(4, 'steps') : starts.map(() => 1);
  const shape = [...x];
  const ranges = x.map((d) => ({ start: 0, step: 1, count: d }));
  axes.forEach((a, j) => {
    const axis = normAxis(ctx, a, x.length);
    const dim = x[axis];
    const step = steps[j];
    if (step === 0) throw ctx.error('has a step of 0');
    let start = starts[j] < 0 ? starts[j] + dim : starts[j];
    let end = ends[j] < 0 ? ends[j] + dim : ends[j];
    if (step > 0) {
      start = Math.min(Math.max(start, 0), dim);
      end = Math.min(Math.max(end, 0), dim);
    } else {
      start = Math.min(Math.max(start, 0), dim - 1);
      end = Math.min(Math.max(end, -1), dim - 1);
    }
    shape[axis] = Math.max(0, Math.ceil((end - start) / step));
    ranges[axis] = { start, step, count: shape[axis] };
  });
  const out: InferredOutput = { dtype: ctx.dtype(0), shape };
  const value = ctx.constInts(0);
  // Constants are sliced n-d too: PyTorch builds F.pad's pads by reversing the rows of a 2-d constant.
  if (value && product(shape) <= MAX_FOLDED_ELEMENTS) out.value = pick(value, x, shape, (axis, i) => ranges[axis].start + i * ranges[axis].step);
  return [out];
};

/** Row-major elements of `out` read from `value` (of shape `from`) at source index `source(axis, i)` per axis. */
function pick(value: number[], from: number[], out: number[], source: (axis: number, i: number) => number): number[] {
  const strides = from.map((_, a) => product(from.slice(a + 1)));
  const result = new Array<number>(product(out));
  const index = new Array<number>(out.length).fill(0);
  for (let k = 0; k < result.length; k++) {
    let flat = 0;
    for (let a = 0; a < out.length; a++) flat += source(a, index[a]) * strides[a];
    result[k] = value[flat];
    for (let a = out.length - 1; a >= 0; a--) {
      if (++index[a] < out[a]) break;
      index[a] = 0;
    }
  }
  return result;
}

const gather: ShapeRule = (ctx) => {
  const data = ctx.shape(0);
  const indices = ctx.shape(1);
  const axis = normAxis(ctx, attrInt(ctx.node, 'axis', 0), data.length);
  const shape = [...data.slice(0, axis), ...indices, ...data.slice(axis + 1)];
  const out: InferredOutput = { dtype: ctx.dtype(0), shape };
  const values = ctx.constInts(0);
  const idx = ctx.constInts(1);
  if (values && idx && data.length === 1) {
    out.value = idx.map((i) => {
      const j = i < 0 ? i + data[0] : i;
      if (j < 0 || j >= data[0]) throw ctx.error(`index ${i} is out of range for a dim of ${data[0]}`);
      return values[j];
    });
  }
  return [out];
};

/** Pads: `paddings` attribute in opset 1, `pads` attribute until 10, an input from 11. */
const pad: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const { node } = ctx;
  const pads =
    ctx.opset < 2 ? attrInts(node, 'paddings') : ctx.opset < 11 ? attrInts(node, 'pads') : ctx.requireConstInts(1, 'pads');
  const axes =
    ctx.opset >= 18 && ctx.has(3)
      ? ctx.requireConstInts(3, 'axes').map((a) => normAxis(ctx, a, x.length))
      : x.map((_, i) => i);
  if (pads.length !== 2 * axes.length) {
    throw ctx.error(`has ${pads.length} pads for ${axes.length} axes (expected ${2 * axes.length})`);
  }
  const shape = [...x];
  axes.forEach((a, j) => {
    shape[a] += pads[j] + pads[j + axes.length];
  });
  if (shape.some((d) => d < 0)) throw ctx.error(`pads [${pads.join(', ')}] cut [${x.join(', ')}] below zero`);
  return [{ dtype: ctx.dtype(0), shape }];
};

/** Shape's output is always known: it is the folding root of every shape chain. */
const shapeOp: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const r = x.length;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
  const start = clamp(attrInt(ctx.node, 'start', 0));
  const end = clamp(attrInt(ctx.node, 'end', r));
  const value = x.slice(start, Math.max(start, end));
  return [{ dtype: 'int64', shape: [value.length], value }];
};

const sizeOp: ShapeRule = (ctx) => [{ dtype: 'int64', shape: [], value: [product(ctx.shape(0))] }];

/** The constant's type, shape and (for small tensors) elements, from whichever attribute holds it. */
const constant: ShapeRule = (ctx) => {
  const { node } = ctx;
  const a = node.attributes;
  if (a.value) {
    const t = attrTensor(node, 'value');
    const out: InferredOutput = { dtype: t.dtype, shape: t.dims };
    // Exporters also store weights as Constants: keep only what shape arithmetic could use.
    const limit = isFloatDtype(t.dtype) ? 64 : MAX_FOLDED_ELEMENTS;
    if (t.data && t.dtype !== 'float16' && t.data.length <= limit) {
      out.value = Array.from(t.data as ArrayLike<number | bigint>, Number);
    }
    return [out];
  }
  const pick = (dtype: DataType, shape: number[], value: number[]) => [{ dtype, shape, value }];
  if (a.value_int) return pick('int64', [], [attrInt(node, 'value_int')]);
  if (a.value_ints) return pick('int64', [attrInts(node, 'value_ints').length], attrInts(node, 'value_ints'));
  if (a.value_float) return pick('float32', [], [attrFloat(node, 'value_float')]);
  if (a.value_floats) return pick('float32', [attrFloats(node, 'value_floats').length], attrFloats(node, 'value_floats'));
  throw ctx.error('holds no value, value_int(s) or value_float(s) attribute (sparse and string constants are not supported)');
};

const constantOfShape: ShapeRule = (ctx) => {
  const shape = ctx.requireConstInts(0, 'shape');
  const t = ctx.node.attributes.value ? attrTensor(ctx.node, 'value') : undefined;
  const dtype = t?.dtype ?? 'float32';
  const fill = t?.data && t.dtype !== 'float16' ? Number(t.data[0]) : 0;
  const out: InferredOutput = { dtype, shape };
  if (product(shape) <= 64) out.value = new Array<number>(product(shape)).fill(fill);
  return [out];
};

export const indexingRules: Record<string, ShapeRule> = {
  Concat: concat,
  Split: split,
  Slice: slice,
  Gather: gather,
  Pad: pad,
  Shape: shapeOp,
  Size: sizeOp,
  Constant: constant,
  ConstantOfShape: constantOfShape,
};
