/**
 * Gradient rules for element-wise activations and softmax. Piecewise-linear activations pass
 * the gradient through a mask (Where), computed from the output when that is equivalent, so
 * the rule does not keep the pre-activation alive.
 */
import { attrFloat, attrInt } from '../../../onnx/ir';
import type { BackwardContext, GradientRule } from '../rule';

/** dy where `mask` holds, else 0. */
function masked(ctx: BackwardContext, mask: string, value = ctx.dy(0)!): string {
  return ctx.e.select(mask, value);
}

const x = (ctx: BackwardContext) => ctx.node.inputs[0];
const y = (ctx: BackwardContext) => ctx.node.outputs[0];

/** relu(x) > 0 exactly where x > 0: the output gives the mask. */
const relu: GradientRule = {
  backward: (ctx) => [masked(ctx, ctx.e.op('Greater', [y(ctx), ctx.e.scalar(0)]))],
};

const leakyRelu: GradientRule = {
  backward(ctx) {
    const { e } = ctx;
    const dy = ctx.dy(0)!;
    const alpha = attrFloat(ctx.node, 'alpha', 0.01);
    const positive = e.op('Greater', [x(ctx), e.scalar(0)]);
    return [e.op('Where', [positive, dy, e.mul(dy, e.scalar(alpha))])];
  },
};

/** Inside (min, max) the gradient passes; at or beyond a bound it is 0 (PyTorch's choice). */
const clip: GradientRule = {
  differentiable: [0],
  backward(ctx) {
    const { e } = ctx;
    const conds: string[] = [];
    if (ctx.has(1)) conds.push(e.op('Greater', [x(ctx), ctx.node.inputs[1]]));
    if (ctx.has(2)) conds.push(e.op('Less', [x(ctx), ctx.node.inputs[2]]));
    if (conds.length === 0) return [ctx.dy(0)];
    const mask = conds.length === 2 ? e.op('And', conds) : conds[0];
    return [masked(ctx, mask)];
  },
};

/** sigmoid' = y (1 - y). */
const sigmoid: GradientRule = {
  backward(ctx) {
    const { e } = ctx;
    return [e.mul(ctx.dy(0)!, e.mul(y(ctx), e.sub(e.scalar(1), y(ctx))))];
  },
};

/** tanh' = 1 - y^2. */
const tanh: GradientRule = {
  backward(ctx) {
    const { e } = ctx;
    return [e.mul(ctx.dy(0)!, e.sub(e.scalar(1), e.mul(y(ctx), y(ctx))))];
  },
};

/** y = clamp(alpha x + beta, 0, 1): slope alpha strictly inside (0, 1). */
const hardSigmoid: GradientRule = {
  backward(ctx) {
    const { e } = ctx;
    const alpha = attrFloat(ctx.node, 'alpha', 0.2);
    const inside = e.op('And', [e.op('Greater', [y(ctx), e.scalar(0)]), e.op('Less', [y(ctx), e.scalar(1)])]);
    return [masked(ctx, inside, e.mul(ctx.dy(0)!, e.scalar(alpha)))];
  },
};

/** y = x relu6(x + 3) / 6: slope 0 below -3, 1 above 3, x/3 + 1/2 between. */
const hardSwish: GradientRule = {
  backward(ctx) {
    const { e } = ctx;
    const middle = e.add(e.mul(x(ctx), e.scalar(1 / 3)), e.scalar(0.5));
    const upper = e.op('Where', [e.op('Greater', [x(ctx), e.scalar(3)]), e.scalar(1), middle]);
    const slope = e.op('Where', [e.op('Less', [x(ctx), e.scalar(-3)]), e.scalar(0), upper]);
    return [e.mul(ctx.dy(0)!, slope)];
  },
};

function softmaxAxis(ctx: BackwardContext): number {
  return attrInt(ctx.node, 'axis', -1);
}

/** dx = y (dy - sum(dy y)) along the softmax axis. */
const softmax: GradientRule = {
  backward(ctx) {
    const { e } = ctx;
    const dy = ctx.dy(0)!;
    const dot = e.reduceSum(e.mul(dy, y(ctx)), [softmaxAxis(ctx)], true);
    return [e.mul(y(ctx), e.sub(dy, dot))];
  },
};

/** dx = dy - softmax(x) sum(dy), with softmax(x) = exp(y). */
const logSoftmax: GradientRule = {
  backward(ctx) {
    const { e } = ctx;
    const dy = ctx.dy(0)!;
    const total = e.reduceSum(dy, [softmaxAxis(ctx)], true);
    return [e.sub(dy, e.mul(e.op('Exp', [y(ctx)]), total))];
  },
};

export const activationRules: Record<string, GradientRule> = {
  Relu: relu,
  LeakyRelu: leakyRelu,
  Clip: clip,
  Sigmoid: sigmoid,
  Tanh: tanh,
  HardSigmoid: hardSigmoid,
  HardSwish: hardSwish,
  Softmax: softmax,
  LogSoftmax: logSoftmax,
  Exp: { backward: (ctx) => [ctx.e.mul(ctx.dy(0)!, y(ctx))] },
  Log: { backward: (ctx) => [ctx.e.div(ctx.dy(0)!, x(ctx))] },
  Sqrt: { backward: (ctx) => [ctx.e.div(ctx.e.mul(ctx.dy(0)!, ctx.e.scalar(0.5)), y(ctx))] },
  Reciprocal: { backward: (ctx) => [ctx.e.neg(ctx.e.mul(ctx.dy(0)!, ctx.e.mul(y(ctx), y(ctx))))] },
  Abs: { backward: (ctx) => [ctx.e.mul(ctx.dy(0)!, ctx.e.op('Sign', [x(ctx)]))] },
};
