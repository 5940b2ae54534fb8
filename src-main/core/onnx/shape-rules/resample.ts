/**
 * Shape rules for operators that resample a tensor: Resize (opset 10+: scales or sizes, with
 * optional axes from 18) and the older Upsample (scales as an attribute before 9, an input after).
 * Output sizes follow the operator's rule: floor(input x scale) unless sizes are given.
 */
import { attrFloats, attrInts } from '../ir';
import { normAxis } from '../shape-rule';
import type { RuleContext, ShapeRule } from '../shape-rule';

/** Constant float elements of input `i`: scales are small float tensors the reader keeps. */
function constFloats(ctx: RuleContext, i: number, what: string): number[] {
  const value = ctx.input(i).value;
  if (value === undefined) throw ctx.error(`needs its '${what}' input '${ctx.node.inputs[i]}' to be a constant, but it is computed at run time`);
  return value;
}

function scaled(ctx: RuleContext, shape: number[], scales: number[], axes: number[]): number[] {
  if (scales.length !== axes.length) throw ctx.error(`has ${scales.length} scales for ${axes.length} axes`);
  const out = [...shape];
  axes.forEach((axis, k) => (out[axis] = Math.floor(shape[axis] * scales[k] + 1e-9)));
  return out;
}

const resize: ShapeRule = (ctx) => {
  const shape = ctx.shape(0);
  const axes = ctx.node.attributes.axes ? attrInts(ctx.node, 'axes').map((a) => normAxis(ctx, a, shape.length)) : shape.map((_, i) => i);
  // Opset 10: (X, scales). Opset 11+: (X, roi, scales, sizes), one of scales and sizes given.
  const scalesIndex = ctx.opset < 11 ? 1 : 2;
  if (ctx.opset >= 11 && ctx.has(3)) {
    const sizes = ctx.requireConstInts(3, 'sizes');
    if (sizes.length !== axes.length) throw ctx.error(`has ${sizes.length} sizes for ${axes.length} axes`);
    const out = [...shape];
    axes.forEach((axis, k) => (out[axis] = sizes[k]));
    return [{ dtype: ctx.dtype(0), shape: out }];
  }
  if (!ctx.has(scalesIndex) || ctx.shape(scalesIndex).every((d) => d === 0)) throw ctx.error('gives neither scales nor sizes');
  return [{ dtype: ctx.dtype(0), shape: scaled(ctx, shape, constFloats(ctx, scalesIndex, 'scales'), axes) }];
};

const upsample: ShapeRule = (ctx) => {
  const shape = ctx.shape(0);
  const scales = ctx.opset < 9 ? attrFloats(ctx.node, 'scales') : constFloats(ctx, 1, 'scales');
  return [{ dtype: ctx.dtype(0), shape: scaled(ctx, shape, scales, shape.map((_, i) => i)) }];
};

export const resampleRules: Record<string, ShapeRule> = {
  Resize: resize,
  Upsample: upsample,
};
