/**
 * Gradient rules for operators that move elements without changing them: the gradient moves
 * the same elements back (Reshape back, inverse Transpose, Split what was concatenated, pad
 * what was sliced).
 */
import { attrInt, attrInts, attrString } from '../../../onnx/ir';
import { dtypeAttr, int } from '../attrs';
import type { BackwardContext, GradientRule } from '../rule';

/** Same elements in the same order: the gradient is reshaped to the input's shape. */
const reshapeBack: GradientRule = {
  differentiable: [0],
  backward: (ctx) => [ctx.e.reshape(ctx.dy(0)!, ctx.e.shapeOf(ctx.node.inputs[0]))],
};

function axisOf(ctx: BackwardContext, rank: number): number {
  const axis = attrInt(ctx.node, 'axis', 0);
  return axis < 0 ? axis + rank : axis;
}

/** The static size of `axis` in each of `dims`; a batch axis cannot be cut at build time. */
function staticSizes(ctx: BackwardContext, all: (number | null)[][], axis: number): number[] {
  return all.map((d) => {
    const n = d[axis];
    if (n === null) throw ctx.error(`splitting its gradient along the dynamic axis ${axis} is not supported`);
    return n;
  });
}

const concat: GradientRule = {
  backward(ctx) {
    const { node, e } = ctx;
    const axis = axisOf(ctx, ctx.outDims(0).length);
    const sizes = staticSizes(ctx, node.inputs.map((_, i) => ctx.inDims(i)), axis);
    const parts = e.node('Split', [ctx.dy(0)!, e.ints(sizes)], { axis: int(axis) }, node.inputs.length);
    return parts.map((p, i) => (ctx.needs(i) ? p : undefined));
  },
};

const split: GradientRule = {
  differentiable: [0],
  backward(ctx) {
    const { node, e } = ctx;
    const axis = axisOf(ctx, ctx.inDims(0).length);
    const parts = node.outputs.map((o, i) => ctx.dy(i) ?? e.zerosLike(o));
    return [e.op('Concat', parts, { axis: int(axis) })];
  },
};

const transpose: GradientRule = {
  backward(ctx) {
    const rank = ctx.inDims(0).length;
    const perm = attrInts(ctx.node, 'perm', Array.from({ length: rank }, (_, i) => rank - 1 - i));
    const inverse = new Array<number>(rank);
    perm.forEach((p, i) => (inverse[p] = i));
    return [ctx.e.transpose(ctx.dy(0)!, inverse)];
  },
};

/**
 * Slice with step 1: the gradient is the output gradient padded with zeros back to the input
 * (ONNX clamps starts/ends into [0, dim] after adding dim to negative values).
 */
const slice: GradientRule = {
  differentiable: [0],
  backward(ctx) {
    const dims = ctx.inDims(0);
    const rank = dims.length;
    const starts = ctx.constant(1);
    const ends = ctx.constant(2);
    const axes = ctx.has(3) ? ctx.constant(3) : starts?.map((_, i) => i);
    const steps = ctx.has(4) ? ctx.constant(4) : starts?.map(() => 1);
    if (!starts || !ends || !axes || !steps) throw ctx.error('only a Slice with constant starts, ends, axes and steps has a gradient');
    const pads = new Array<number>(2 * rank).fill(0);
    axes.forEach((a, k) => {
      const axis = a < 0 ? a + rank : a;
      const dim = dims[axis];
      if (steps[k] !== 1) throw ctx.error(`only step 1 is supported, got ${steps[k]}`);
      if (dim === null) throw ctx.error(`slicing the dynamic axis ${axis} is not supported`);
      const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim);
      const begin = clamp(starts[k]);
      const end = Math.max(clamp(ends[k]), begin);
      pads[axis] = begin;
      pads[axis + rank] = dim - end;
    });
    return [ctx.e.op('Pad', [ctx.dy(0)!, ctx.e.ints(pads)])];
  },
};

/** Constant-mode Pad: the gradient crops the padding off again (negative pads crop). */
const pad: GradientRule = {
  differentiable: [0],
  backward(ctx) {
    const mode = attrString(ctx.node, 'mode', 'constant');
    if (mode !== 'constant') throw ctx.error(`only mode 'constant' has a gradient, got '${mode}'`);
    const pads = ctx.constant(1);
    if (!pads) throw ctx.error('only constant pads are supported');
    if (ctx.has(3)) throw ctx.error('the axes input is not supported');
    return [ctx.e.op('Pad', [ctx.dy(0)!, ctx.e.ints(pads.map((p) => -p))])];
  },
};

export const shapeRules: Record<string, GradientRule> = {
  Identity: { backward: (ctx) => [ctx.dy(0)] },
  Reshape: reshapeBack,
  Flatten: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,
  Transpose: transpose,
  Concat: concat,
  Split: split,
  Slice: slice,
  Pad: pad,
  Expand: {
    differentiable: [0],
    backward: (ctx) => [ctx.e.unbroadcast(ctx.dy(0)!, ctx.outDims(0), ctx.node.inputs[0])],
  },
  Cast: {
    backward(ctx) {
      const from = ctx.e.info.get(ctx.node.inputs[0])!.dtype;
      return [ctx.e.op('Cast', [ctx.dy(0)!], { to: dtypeAttr(from) })];
    },
  },
};

