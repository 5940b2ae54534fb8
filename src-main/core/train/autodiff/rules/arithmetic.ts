/**
 * Gradient rules for broadcasting arithmetic and reductions. Every operand's gradient is
 * reduced back to the operand's own shape (`Emitter.unbroadcast`), which is what makes a bias
 * of shape [C, 1, 1] or a scalar factor get the sum over the axes it was stretched along.
 */
import { attrInt, attrInts } from '../../../onnx/ir';
import type { BackwardContext, GradientRule } from '../rule';

/** The gradient `g` of the output, summed down to input `i`'s shape. */
function toInput(ctx: BackwardContext, i: number, g: string): string {
  return ctx.e.unbroadcast(g, ctx.outDims(0), ctx.node.inputs[i]);
}

const add: GradientRule = {
  backward: (ctx) => ctx.node.inputs.map((_, i) => (ctx.needs(i) ? toInput(ctx, i, ctx.dy(0)!) : undefined)),
};

const sub: GradientRule = {
  backward(ctx) {
    const dy = ctx.dy(0)!;
    return [ctx.needs(0) ? toInput(ctx, 0, dy) : undefined, ctx.needs(1) ? toInput(ctx, 1, ctx.e.neg(dy)) : undefined];
  },
};

const mul: GradientRule = {
  backward(ctx) {
    const { e, node } = ctx;
    const dy = ctx.dy(0)!;
    const [a, b] = node.inputs;
    return [
      ctx.needs(0) ? toInput(ctx, 0, e.mul(dy, b)) : undefined,
      ctx.needs(1) ? toInput(ctx, 1, e.mul(dy, a)) : undefined,
    ];
  },
};

/** d(a/b) = da / b - (a/b) db / b, with a/b the output y. */
const div: GradientRule = {
  backward(ctx) {
    const { e, node } = ctx;
    const dy = ctx.dy(0)!;
    const b = node.inputs[1];
    return [
      ctx.needs(0) ? toInput(ctx, 0, e.div(dy, b)) : undefined,
      ctx.needs(1) ? toInput(ctx, 1, e.neg(e.div(e.mul(dy, node.outputs[0]), b))) : undefined,
    ];
  },
};

/** d(a^b) = b a^(b-1) da + a^b ln(a) db. */
const pow: GradientRule = {
  backward(ctx) {
    const { e, node } = ctx;
    const dy = ctx.dy(0)!;
    const [a, b0] = node.inputs;
    const b = e.info.get(b0)!.dtype === e.float ? b0 : e.cast(b0, e.float);
    return [
      ctx.needs(0) ? toInput(ctx, 0, e.mul(dy, e.mul(b, e.op('Pow', [a, e.sub(b, e.scalar(1))])))) : undefined,
      ctx.needs(1) ? toInput(ctx, 1, e.mul(dy, e.mul(node.outputs[0], e.op('Log', [a])))) : undefined,
    ];
  },
};

const where: GradientRule = {
  differentiable: [1, 2],
  backward(ctx) {
    const { e, node } = ctx;
    const dy = ctx.dy(0)!;
    const zero = e.scalar(0);
    return [
      undefined,
      ctx.needs(1) ? toInput(ctx, 1, e.op('Where', [node.inputs[0], dy, zero])) : undefined,
      ctx.needs(2) ? toInput(ctx, 2, e.op('Where', [node.inputs[0], zero, dy])) : undefined,
    ];
  },
};

/** Reduced axes of a ReduceSum/ReduceMean in opset 17 form; null = the node is an identity. */
function reducedAxes(ctx: BackwardContext, fromInput: boolean): number[] | null {
  const rank = ctx.inDims(0).length;
  let axes: number[] | undefined;
  if (fromInput) {
    if (ctx.has(1)) {
      axes = ctx.constant(1);
      if (!axes) throw ctx.error('only constant axes are supported');
    }
  } else {
    axes = ctx.node.attributes.axes ? attrInts(ctx.node, 'axes') : undefined;
  }
  if (!axes || axes.length === 0) {
    if (attrInt(ctx.node, 'noop_with_empty_axes', 0) === 1) return null;
    return Array.from({ length: rank }, (_, i) => i);
  }
  return axes.map((a) => (a < 0 ? a + rank : a)).sort((x, y) => x - y);
}

/** Each input element received the reduced value once: broadcast the gradient back. */
function reduceRule(mean: boolean, axesFromInput: boolean): GradientRule {
  return {
    differentiable: [0],
    backward(ctx) {
      const { e, node } = ctx;
      const axes = reducedAxes(ctx, axesFromInput);
      if (axes === null) return [ctx.dy(0)];
      let g = ctx.dy(0)!;
      const keep = attrInt(node, 'keepdims', 1) === 1;
      if (!keep && ctx.outDims(0).length > 0) g = e.op('Unsqueeze', [g, e.ints(axes)]);
      if (mean) g = e.div(g, e.count(node.inputs[0], axes));
      return [e.op('Expand', [g, e.shapeOf(node.inputs[0])])];
    },
  };
}

export const arithmeticRules: Record<string, GradientRule> = {
  Add: add,
  Sum: add,
  Sub: sub,
  Mul: mul,
  Div: div,
  Pow: pow,
  Where: where,
  Neg: { backward: (ctx) => [ctx.e.neg(ctx.dy(0)!)] },
  ReduceSum: reduceRule(false, true),
  ReduceMean: reduceRule(true, false),
};

