/**
 * Shape rules for operators that rearrange a tensor's dims without changing its elements:
 * Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Expand. Known constant elements pass
 * through, so folded shape arithmetic survives the Unsqueeze/Reshape steps of exported graphs.
 */
import { attrInt, attrInts } from '../ir';
import { broadcastShapes, normAxis, product } from '../shape-rule';
import type { InferredOutput, RuleContext, ShapeRule } from '../shape-rule';

/** Output 0 with the given shape and input 0's dtype and (unchanged) constant elements. */
function relabel(ctx: RuleContext, shape: number[]) {
  const value = ctx.constInts(0);
  return [value ? { dtype: ctx.dtype(0), shape, value } : { dtype: ctx.dtype(0), shape }];
}

/** Axes from the attribute before `inputSince`, from input 1 after; undefined when absent. */
function axesOf(ctx: RuleContext, inputSince: number): number[] | undefined {
  if (ctx.opset < inputSince) return ctx.node.attributes.axes ? attrInts(ctx.node, 'axes') : undefined;
  return ctx.has(1) ? ctx.requireConstInts(1, 'axes') : undefined;
}

/**
 * 0 copies the input dim (unless allowzero), -1 takes what is left.
 *
 * @example reshape of [2, 3, 4] by [0, -1] // [2, 12]
 */
const reshape: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const target = ctx.opset < 5 ? attrInts(ctx.node, 'shape') : ctx.requireConstInts(1, 'shape');
  const allowZero = attrInt(ctx.node, 'allowzero', 0) !== 0;
  const shape = target.map((d, i) => (d === 0 && !allowZero ? x[i] : d));
  if (shape.some((d) => d === undefined || d < -1)) {
    throw ctx.error(`cannot reshape [${x.join(', ')}] to [${target.join(', ')}]`);
  }
  const total = product(x);
  const unknown = shape.indexOf(-1);
  if (unknown >= 0) {
    if (shape.lastIndexOf(-1) !== unknown) throw ctx.error(`target shape [${target.join(', ')}] has more than one -1`);
    const known = product(shape.filter((_, i) => i !== unknown));
    if (known === 0 || total % known !== 0) {
      throw ctx.error(`cannot reshape [${x.join(', ')}] (${total} elements) to [${target.join(', ')}]`);
    }
    shape[unknown] = total / known;
  }
  if (product(shape) !== total) {
    throw ctx.error(`cannot reshape [${x.join(', ')}] (${total} elements) to [${shape.join(', ')}]`);
  }
  return relabel(ctx, shape);
};

const flatten: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const attr = attrInt(ctx.node, 'axis', 1);
  // axis == rank is allowed: everything goes to the first dim.
  const axis = attr === x.length ? attr : normAxis(ctx, attr, x.length);
  return relabel(ctx, [product(x.slice(0, axis)), product(x.slice(axis))]);
};

const transpose: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const perm = attrInts(ctx.node, 'perm', x.map((_, i) => x.length - 1 - i));
  if (perm.length !== x.length || new Set(perm.map((p) => normAxis(ctx, p, x.length))).size !== x.length) {
    throw ctx.error(`perm [${perm.join(', ')}] is not a permutation of ${x.length} axes`);
  }
  const axes = perm.map((p) => normAxis(ctx, p, x.length));
  const shape = axes.map((a) => x[a]);
  if (x.length <= 1) return relabel(ctx, shape);
  // Output axis j walks input axis perm[j]: fold small constants (PyTorch's F.pad pads) through it.
  const value = ctx.constInts(0);
  const out: InferredOutput = { dtype: ctx.dtype(0), shape };
  if (value) {
    const strides = x.map((_, a) => product(x.slice(a + 1)));
    const outStrides = shape.map((_, j) => product(shape.slice(j + 1)));
    out.value = Array.from({ length: product(shape) }, (_, k) => {
      let flat = 0;
      for (let j = 0; j < shape.length; j++) flat += (Math.floor(k / outStrides[j]) % shape[j]) * strides[axes[j]];
      return value[flat];
    });
  }
  return [out];
};

const squeeze: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const axes = axesOf(ctx, 13);
  let drop: Set<number>;
  if (axes === undefined || axes.length === 0) {
    drop = new Set(x.flatMap((d, i) => (d === 1 ? [i] : [])));
  } else {
    drop = new Set(axes.map((a) => normAxis(ctx, a, x.length)));
    for (const a of drop) {
      if (x[a] !== 1) throw ctx.error(`cannot squeeze axis ${a} of size ${x[a]} in [${x.join(', ')}]`);
    }
  }
  return relabel(ctx, x.filter((_, i) => !drop.has(i)));
};

const unsqueeze: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const axes = axesOf(ctx, 13);
  if (!axes) throw ctx.error('has no axes');
  const rank = x.length + axes.length;
  const inserted = new Set(axes.map((a) => normAxis(ctx, a, rank)));
  if (inserted.size !== axes.length) throw ctx.error(`axes [${axes.join(', ')}] repeat an axis`);
  const shape: number[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) shape.push(inserted.has(i) ? 1 : x[next++]);
  return relabel(ctx, shape);
};

const expand: ShapeRule = (ctx) => {
  const target = ctx.requireConstInts(1, 'shape');
  return [{ dtype: ctx.dtype(0), shape: broadcastShapes(ctx, [ctx.shape(0), target]) }];
};

export const reshapeRules: Record<string, ShapeRule> = {
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Expand: expand,
};
