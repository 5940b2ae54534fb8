/**
 * Gradient rules for pooling. Where square 2-d windows tile the input (the usual 2x2 stride-2
 * pool), the gradients compare and broadcast within each window (`pool-tiles.ts`): a few
 * element-wise passes, and the forward MaxPool needs no Indices output (which makes it 2.5x
 * slower). Elsewhere MaxPool scatters dY through its Indices output (ScatterElements with
 * add, since overlapping windows can pick the same element) and AveragePool is a depthwise
 * ConvTranspose with a ones kernel of dY divided by each window's divisor.
 */
import { attrInt, attrInts } from '../../../onnx/ir';
import { int, ints, str } from '../attrs';
import type { Emitter } from '../emitter';
import type { BackwardContext, ForwardContext, GradientRule } from '../rule';
import { transposeGeometry, windowOf } from '../window';
import type { Window, WindowNode } from '../window';
import { fromBlocks, fromTiles, maxPoolTilesUpsampled, squareTiles, toBlocks, upsample } from './pool-tiles';
import type { TileLayout } from './pool-tiles';

function poolWindow(ctx: WindowNode): Window {
  return windowOf(ctx, attrInts(ctx.node, 'kernel_shape'));
}

function channels(ctx: WindowNode): number {
  const c = ctx.inDims(0)[1];
  if (c === null) throw ctx.error('its input has a dynamic channel count');
  return c;
}

/**
 * Splits dY equally among the elements equal to the window's maximum. A tie is common in real
 * data (a conv over a flat background gives equal values), and giving every tied element the
 * whole dY would multiply that gradient; an equal share is a valid subgradient.
 */
function shareAmongMax(e: Emitter, x: string, y: string, dy: string, reduceAxes: number[]): string {
  const hit = e.cast(e.op('Equal', [x, y]), e.float);
  const count = e.reduceSum(hit, reduceAxes, true);
  return e.mul(hit, e.div(dy, count));
}

function usesMask(ctx: WindowNode & { options: ForwardContext['options'] }): boolean {
  return ctx.options.maxPoolGrad !== 'indices' && squareTiles(poolWindow(ctx));
}

/** The float32 upsampling form unless the blocks form is asked for (or float64, which Resize lacks). */
function tileLayout(ctx: BackwardContext): TileLayout {
  return ctx.options.maxPoolGrad === 'blocks' || ctx.e.float !== 'float32' ? 'blocks' : 'upsample';
}

const maxPool: GradientRule = {
  differentiable: [0],
  forward(ctx) {
    if (!ctx.requiresGrad(0) || usesMask(ctx)) return ctx.copy();
    if (attrInt(ctx.node, 'storage_order', 0) !== 0) throw ctx.error('storage_order 1 is not supported');
    const indices = ctx.node.outputs[1] || ctx.e.fresh(`${ctx.node.name}/indices`);
    ctx.save('indices', indices);
    ctx.copy({ ...ctx.node, outputs: [ctx.node.outputs[0], indices] });
  },
  backward(ctx) {
    const { e, node } = ctx;
    const [x] = node.inputs;
    const dy = ctx.dy(0)!;
    if (usesMask(ctx)) {
      const c = channels(ctx);
      const w = poolWindow(ctx);
      if (tileLayout(ctx) === 'upsample') return [maxPoolTilesUpsampled(e, x, node.outputs[0], dy, c, w)];
      const one = e.ints([1]);
      const g = shareAmongMax(e, toBlocks(e, x, c, w), e.op('Unsqueeze', [node.outputs[0], one]), e.op('Unsqueeze', [dy, one]), [1]);
      return [fromBlocks(e, g, c, w)];
    }
    // Indices count elements of the whole tensor (batch and channel included), so the scatter is 1-D.
    const size = e.reshape(e.op('Size', [x]), [1]);
    const zero = { kind: 'tensor' as const, value: { name: '', dtype: e.float, dims: [1], data: e.float === 'float64' ? new Float64Array(1) : new Float32Array(1) } };
    const zeros = e.op('ConstantOfShape', [size], { value: zero });
    const flat = e.op('ScatterElements', [zeros, e.reshape(ctx.saved('indices'), [-1]), e.reshape(dy, [-1])], {
      axis: int(0),
      reduction: str('add'),
    });
    return [e.reshape(flat, e.shapeOf(x))];
  },
};

/** Per-axis divisor of each window, as onnxruntime computes it (probed: see the tests). */
function divisors(w: Window, axis: number, includePad: boolean): number[] {
  const r = w.kernel.length;
  return Array.from({ length: w.output[axis] }, (_, o) => {
    const start = o * w.strides[axis] - w.pads[axis];
    const end = start + w.kernel[axis];
    if (includePad) return Math.min(end, w.input[axis] + w.pads[axis + r]) - start;
    return Math.min(end, w.input[axis]) - Math.max(start, 0);
  });
}

/** Outer product of per-axis vectors, row-major: the 1/divisor map over output positions. */
function outer(vectors: number[][]): number[] {
  return vectors.reduce<number[]>((acc, v) => acc.flatMap((a) => v.map((b) => a * b)), [1]);
}

const averagePool: GradientRule = {
  backward(ctx: BackwardContext) {
    const { e } = ctx;
    const dy = ctx.dy(0)!;
    const c = channels(ctx);
    const w = poolWindow(ctx);
    if (w.dilations.some((d) => d !== 1)) throw ctx.error('dilations are not supported');
    if (squareTiles(w)) {
      const kk = w.kernel[0] * w.kernel[0];
      if (tileLayout(ctx) === 'upsample') return [fromTiles(e, upsample(e, e.mul(dy, e.scalar(1 / kk)), w.kernel[0]), w)];
      // dY / (k*k) broadcast to each of the k*k block positions, then back to space.
      const share = e.floats(new Array<number>(kk).fill(1 / kk), [kk, 1, 1, 1]);
      return [fromBlocks(e, e.mul(e.op('Unsqueeze', [dy, e.ints([1])]), share), c, w)];
    }
    const includePad = attrInt(ctx.node, 'count_include_pad', 0) === 1;
    const inverse = outer(w.output.map((_, i) => divisors(w, i, includePad).map((d) => 1 / d)));
    const scaled = e.mul(dy, e.floats(inverse, w.output));
    const ones = e.floats(new Array<number>(c * w.kernel.reduce((a, b) => a * b, 1)).fill(1), [c, 1, ...w.kernel]);
    const t = transposeGeometry(w);
    return [
      e.op('ConvTranspose', [scaled, ones], {
        strides: ints(w.strides),
        pads: ints(t.pads),
        output_padding: ints(t.outputPadding),
        group: int(c),
        kernel_shape: ints(w.kernel),
      }),
    ];
  },
};

function spatial(ctx: BackwardContext): number[] {
  return ctx.inDims(0).slice(2).map((d) => {
    if (d === null) throw ctx.error('its input has a dynamic spatial size');
    return d;
  });
}

const globalAveragePool: GradientRule = {
  backward(ctx) {
    const s = spatial(ctx);
    const n = s.reduce((a, b) => a * b, 1);
    return [ctx.e.mul(ctx.dy(0)!, ctx.e.floats(new Array<number>(n).fill(1 / n), s))];
  },
};

const globalMaxPool: GradientRule = {
  backward(ctx) {
    const axes = spatial(ctx).map((_, i) => i + 2);
    return [shareAmongMax(ctx.e, ctx.node.inputs[0], ctx.node.outputs[0], ctx.dy(0)!, axes)];
  },
};

export const poolRules: Record<string, GradientRule> = {
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalAveragePool,
  GlobalMaxPool: globalMaxPool,
};
