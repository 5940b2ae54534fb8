/**
 * Gradient rules for pooling. Where square 2-d windows tile the input (the usual 2x2 stride-2
 * pool), MaxPool's gradient compares the input, viewed as blocks by SpaceToDepth, with the
 * pooled output, and AveragePool's broadcasts dY / k^2 over each block: a few element-wise
 * passes, and the forward MaxPool needs no Indices output (which makes it 2.5x slower). On
 * [64, 32, 28, 28], 1 thread, forward + input gradient: 14 ms by mask, 17 ms by Indices.
 * Elsewhere MaxPool scatters dY through its Indices output (ScatterElements with add, since
 * overlapping windows can pick the same element) and AveragePool is a depthwise ConvTranspose
 * with a ones kernel of dY divided by each window's divisor.
 */
import { attrInt, attrInts } from '../../../onnx/ir';
import { int, ints, str } from '../attrs';
import type { Emitter } from '../emitter';
import type { BackwardContext, ForwardContext, GradientRule } from '../rule';
import { tiles, transposeGeometry, windowOf } from '../window';
import type { Window, WindowNode } from '../window';

function poolWindow(ctx: WindowNode): Window {
  return windowOf(ctx, attrInts(ctx.node, 'kernel_shape'));
}

function channels(ctx: WindowNode): number {
  const c = ctx.inDims(0)[1];
  if (c === null) throw ctx.error('its input has a dynamic channel count');
  return c;
}

/**
 * Square 2-d windows that tile the input (the usual 2x2 stride-2 pool). The fast gradients use
 * SpaceToDepth to view the input as [N, k*k, C, O1, O2], where the pooled output broadcasts
 * over axis 1 with long contiguous runs: the same comparison on a [N, C, O1, k, O2, k] view
 * broadcasts along the innermost axis and measured 3x slower in onnxruntime.
 */
function squareTiles(w: Window): boolean {
  return w.kernel.length === 2 && w.kernel[0] === w.kernel[1] && tiles(w);
}

/** Rows and columns the windows cover (all but the remainder that floor division drops). */
function covered(w: Window): number[] {
  return w.output.map((o, i) => o * w.kernel[i]);
}

/** x cropped to the covered rows, as blocks [N, k*k, C, O1, O2]. */
function toBlocks(e: Emitter, x: string, c: number, w: Window): string {
  const used = covered(w);
  const cropped = used.some((u, i) => u !== w.input[i]) ? e.op('Slice', [x, e.ints([0, 0]), e.ints(used), e.ints([2, 3])]) : x;
  const k = w.kernel[0];
  return e.reshape(e.op('SpaceToDepth', [cropped], { blocksize: int(k) }), [0, k * k, c, ...w.output]);
}

/** Blocks [N, k*k, C, O1, O2] back to [N, C, H, W], zero where no window reached. */
function fromBlocks(e: Emitter, g: string, c: number, w: Window): string {
  const k = w.kernel[0];
  const merged = e.op('DepthToSpace', [e.reshape(g, [0, k * k * c, ...w.output])], { blocksize: int(k), mode: str('DCR') });
  const used = covered(w);
  if (used.every((u, i) => u === w.input[i])) return merged;
  return e.op('Pad', [merged, e.ints([0, 0, 0, 0, 0, 0, ...used.map((u, i) => w.input[i] - u)])]);
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
  return ctx.options.maxPoolGrad === 'mask' && squareTiles(poolWindow(ctx));
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
