/**
 * Gradient rules for Gemm and MatMul. With Y = A B: dA = dY B^T and dB = A^T dY; Gemm's
 * transpose flags let the gradients be Gemms too, without materialising any transpose.
 */
import { attrFloat, attrInt } from '../../../onnx/ir';
import type { Attribute } from '../../../onnx/ir';
import { float, int } from '../attrs';
import type { Emitter } from '../emitter';
import type { GradientRule } from '../rule';
import type { Dims } from '../dims';

function gemmAttrs(alpha: number, transA: number, transB: number): Record<string, Attribute> {
  const a: Record<string, Attribute> = { transA: int(transA), transB: int(transB) };
  if (alpha !== 1) a.alpha = float(alpha);
  return a;
}

/**
 * Y = alpha A' B' + beta C with A' = transA ? A^T : A (B' alike):
 * dA' = alpha dY B'^T, dB' = alpha A'^T dY, dC = beta dY summed to C's shape.
 */
const gemm: GradientRule = {
  backward(ctx) {
    const { e, node } = ctx;
    const dy = ctx.dy(0)!;
    const [a, b, c] = node.inputs;
    const alpha = attrFloat(node, 'alpha', 1);
    const beta = attrFloat(node, 'beta', 1);
    const ta = attrInt(node, 'transA', 0);
    const tb = attrInt(node, 'transB', 0);
    const grads: (string | undefined)[] = [undefined, undefined, undefined];
    if (ctx.needs(0)) {
      grads[0] = ta === 0 ? e.op('Gemm', [dy, b], gemmAttrs(alpha, 0, 1 - tb)) : e.op('Gemm', [b, dy], gemmAttrs(alpha, tb, 1));
    }
    if (ctx.needs(1)) {
      grads[1] = tb === 0 ? e.op('Gemm', [a, dy], gemmAttrs(alpha, 1 - ta, 0)) : e.op('Gemm', [dy, a], gemmAttrs(alpha, 1, ta));
    }
    if (ctx.needs(2)) {
      const scaled = beta === 1 ? dy : e.mul(dy, e.scalar(beta));
      grads[2] = e.unbroadcast(scaled, ctx.outDims(0), c);
    }
    return grads;
  },
};

/** Swaps the last two axes. */
function swapLast(e: Emitter, t: string, rank: number): string {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return e.transpose(t, perm);
}

/**
 * Batched, broadcasting MatMul (numpy semantics: a 1-D A gains a leading 1, a 1-D B a trailing
 * 1, removed again from Y). The common Linear layer (B of rank 2) flattens A's batch axes into
 * one Gemm with transA for dB, instead of a batched product summed over the batch.
 */
const matMul: GradientRule = {
  backward(ctx) {
    const { e, node } = ctx;
    const [a, b] = node.inputs;
    const aDims = ctx.inDims(0);
    const bDims = ctx.inDims(1);
    let dy = ctx.dy(0)!;
    if (aDims.length === 1 && bDims.length === 1) {
      return [ctx.needs(0) ? e.mul(dy, b) : undefined, ctx.needs(1) ? e.mul(dy, a) : undefined];
    }
    const a2 = aDims.length === 1 ? e.setInfo(e.op('Unsqueeze', [a, e.ints([0])]), [1, aDims[0]]) : a;
    const b2 = bDims.length === 1 ? e.setInfo(e.op('Unsqueeze', [b, e.ints([1])]), [bDims[0], 1]) : b;
    const a2Dims = e.dims(a2);
    const b2Dims = e.dims(b2);
    const yDims: Dims = [...ctx.outDims(0)];
    if (aDims.length === 1) yDims.splice(yDims.length - 1, 0, 1);
    if (bDims.length === 1) yDims.push(1);
    if (yDims.length !== ctx.outDims(0).length) {
      const rank = yDims.length;
      const axes = [...(aDims.length === 1 ? [rank - 2] : []), ...(bDims.length === 1 ? [rank - 1] : [])];
      dy = e.op('Unsqueeze', [dy, e.ints(axes)]);
    }
    const rank = yDims.length;
    const batch = yDims.slice(0, rank - 2);
    const restore = (g: string | undefined, dims: Dims) =>
      g !== undefined && dims.length === 1 ? e.reshape(g, [dims[0] as number]) : g;

    let da: string | undefined;
    let db: string | undefined;
    if (ctx.needs(0)) {
      const g =
        a2Dims.length === 2 && b2Dims.length === 2
          ? e.op('Gemm', [dy, b2], gemmAttrs(1, 0, 1))
          : e.op('MatMul', [dy, swapLast(e, b2, b2Dims.length)]);
      da = restore(e.unbroadcast(g, [...batch, ...a2Dims.slice(-2)], a2), aDims);
    }
    if (ctx.needs(1)) {
      let g: string;
      if (b2Dims.length === 2) {
        const k = a2Dims[a2Dims.length - 1] as number;
        const n = yDims[rank - 1] as number;
        const flatA = a2Dims.length === 2 ? a2 : e.reshape(a2, [-1, k]);
        const flatY = rank === 2 ? dy : e.reshape(dy, [-1, n]);
        g = e.op('Gemm', [flatA, flatY], gemmAttrs(1, 1, 0));
      } else {
        g = e.unbroadcast(e.op('MatMul', [swapLast(e, a2, a2Dims.length), dy]), [...batch, ...b2Dims.slice(-2)], b2);
      }
      db = restore(g, bDims);
    }
    return [da, db];
  },
};

export const linearRules: Record<string, GradientRule> = {
  Gemm: gemm,
  MatMul: matMul,
};
