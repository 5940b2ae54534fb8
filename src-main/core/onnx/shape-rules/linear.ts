/**
 * Shape rules for matrix products and reductions.
 */
import { attrInt, attrInts } from '../ir';
import { broadcastShapes, normAxis } from '../shape-rule';
import type { RuleContext, ShapeRule } from '../shape-rule';

const gemm: ShapeRule = (ctx) => {
  const a = ctx.shape(0);
  const b = ctx.shape(1);
  if (a.length !== 2 || b.length !== 2) {
    throw ctx.error(`expects 2-d inputs, got [${a.join(', ')}] and [${b.join(', ')}]`);
  }
  const transA = attrInt(ctx.node, 'transA', 0) !== 0;
  const transB = attrInt(ctx.node, 'transB', 0) !== 0;
  const [m, ka] = transA ? [a[1], a[0]] : a;
  const [kb, n] = transB ? [b[1], b[0]] : b;
  if (ka !== kb) {
    throw ctx.error(
      `cannot multiply A [${a.join(', ')}]${transA ? 'ᵀ' : ''} by B [${b.join(', ')}]${transB ? 'ᵀ' : ''}: inner sizes ${ka} and ${kb} differ`,
    );
  }
  // C must broadcast to [M, N]; checking it catches a bias left unpruned.
  if (ctx.has(2)) broadcastShapes(ctx, [[m, n], ctx.shape(2)]);
  return [{ dtype: ctx.dtype(0), shape: [m, n] }];
};

/** numpy.matmul: 1-d operands are promoted and the promoted axis removed again. */
export const matMulRule: ShapeRule = (ctx) => {
  let a = ctx.shape(0);
  let b = ctx.shape(1);
  if (a.length === 0 || b.length === 0) throw ctx.error('does not accept scalar operands');
  const vecA = a.length === 1;
  const vecB = b.length === 1;
  if (vecA) a = [1, a[0]];
  if (vecB) b = [b[0], 1];
  const k = a[a.length - 1];
  if (k !== b[b.length - 2]) {
    throw ctx.error(
      `cannot multiply [${ctx.shape(0).join(', ')}] by [${ctx.shape(1).join(', ')}]: inner sizes ${k} and ${b[b.length - 2]} differ`,
    );
  }
  const batch = broadcastShapes(ctx, [a.slice(0, -2), b.slice(0, -2)]);
  const shape = [...batch];
  if (!vecA) shape.push(a[a.length - 2]);
  if (!vecB) shape.push(b[b.length - 1]);
  return [{ dtype: ctx.dtype(0), shape }];
};

/**
 * Reductions. `axesInputSince` is the opset where the axes attribute became the second input
 * (13 for ReduceSum, 18 for the others).
 */
function reduce(axesInputSince: number): ShapeRule {
  return (ctx: RuleContext) => {
    const x = ctx.shape(0);
    const keepDims = attrInt(ctx.node, 'keepdims', 1) !== 0;
    const axes =
      ctx.opset >= axesInputSince
        ? ctx.has(1)
          ? ctx.requireConstInts(1, 'axes')
          : []
        : attrInts(ctx.node, 'axes', []);
    if (axes.length === 0 && attrInt(ctx.node, 'noop_with_empty_axes', 0) !== 0) {
      return [{ dtype: ctx.dtype(0), shape: x }];
    }
    const reduced = new Set(axes.length === 0 ? x.map((_, i) => i) : axes.map((a) => normAxis(ctx, a, x.length)));
    const shape: number[] = [];
    x.forEach((d, i) => {
      if (!reduced.has(i)) shape.push(d);
      else if (keepDims) shape.push(1);
    });
    return [{ dtype: ctx.dtype(0), shape }];
  };
}

/** ArgMax/ArgMin reduce one axis and return int64 indices. */
const argReduce: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const axis = normAxis(ctx, attrInt(ctx.node, 'axis', 0), x.length);
  const keepDims = attrInt(ctx.node, 'keepdims', 1) !== 0;
  const shape = keepDims ? x.map((d, i) => (i === axis ? 1 : d)) : x.filter((_, i) => i !== axis);
  return [{ dtype: 'int64', shape }];
};

export const linearRules: Record<string, ShapeRule> = {
  Gemm: gemm,
  MatMul: matMulRule,
  ReduceMean: reduce(18),
  ReduceMax: reduce(18),
  ReduceMin: reduce(18),
  ReduceProd: reduce(18),
  ReduceL2: reduce(18),
  ReduceSum: reduce(13),
  ArgMax: argReduce,
  ArgMin: argReduce,
};
