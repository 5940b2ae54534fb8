/**
 * Two formulations of the Conv weight gradient dW[o, c, k] = sum over n and output positions p
 * of dY[n, o, p] * Xpad[n, c, p * stride + k * dilation].
 *
 * - im2col (default): one strided Slice of the (channels-first, padded) input per kernel
 *   offset, each multiplied with dY as [O, N*P] by one Gemm (a batched MatMul over groups).
 * - swap: the same sum as a Conv of the input with dY, batch and channel axes swapped, stride
 *   and dilation exchanged, one Conv per group. Correct, but a convolution with a huge kernel
 *   and a tiny output is a poor fit for onnxruntime's Conv.
 *
 * Measured on a VGG layer (3x3, 32 -> 32, batch 64, 28x28, 1 thread, measure-step.ts): weight
 * gradient about 36 ms by im2col against 59 ms by swap (the forward Conv: 26 ms). One Gemm on
 * the concatenated [C*K, N*P] column matrix took 50 ms against 35 ms for the per-offset Gemms.
 */
import { ints, int } from '../attrs';
import type { Emitter } from '../emitter';
import type { Window } from '../window';
import { kernelOffsets } from '../window';

export interface WeightGradInput {
  x: string;
  dy: string;
  /** Weight dims [O, C/group, k...]. */
  wDims: number[];
  channels: number;
  group: number;
  window: Window;
}

/** Moves axis 1 (channels) to the front: [N, C, ...] -> [C, N, ...]. */
function channelsFirst(e: Emitter, t: string, rank: number): string {
  return e.transpose(t, [1, 0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)]);
}

export function weightGradIm2col(e: Emitter, a: WeightGradInput): string {
  const { window: w, wDims, group: g } = a;
  const r = w.kernel.length;
  const rank = r + 2;
  const [o] = wDims;
  const slices = shiftedSlices(e, a, channelsFirst(e, a.x, rank));
  const { dy } = a;
  // One product per kernel offset, stacked on a last axis: this skips materialising the
  // [C*K, N*P] column matrix, which measured slower than the products themselves.
  const last = (t: string, axis: number) => e.op('Unsqueeze', [t, e.ints([axis])]);
  const stack = (parts: string[], axis: number) =>
    parts.length === 1 ? last(parts[0], axis) : e.op('Concat', parts.map((p) => last(p, axis)), { axis: int(axis) });
  if (g === 1) {
    // dW[:, :, k] = dY [O, N*P] times slice_k [C, N*P] transposed.
    const dyMat = e.reshape(channelsFirst(e, dy, rank), [o, -1]);
    const parts = slices.map((sl) => e.op('Gemm', [dyMat, e.reshape(sl, [a.channels, -1])], { transB: int(1) }));
    return e.reshape(stack(parts, 2), wDims);
  }
  // Per group: slice_k [G, Cg, N*P] times dY [G, N*P, Og] gives [G, Cg, Og] per offset.
  const og = o / g;
  const dyG = e.reshape(e.transpose(e.reshape(dy, [0, g, og, -1]), [1, 0, 3, 2]), [g, -1, og]);
  const parts = slices.map((sl) => e.op('MatMul', [e.reshape(sl, [g, a.channels / g, -1]), dyG]));
  return e.reshape(e.transpose(stack(parts, 3), [0, 2, 1, 3]), wDims);
}

/**
 * The padded, channels-first input [C, N, S...] seen through each kernel offset: one strided
 * Slice per offset, each [C, N, O...] and aligned with dY's output positions. (A layout with
 * contiguous runs over the flattened padded rows, and an im2col by a one-hot Conv, both
 * measured slower in onnxruntime.)
 */
function shiftedSlices(e: Emitter, a: WeightGradInput, input: string): string[] {
  const w = a.window;
  const r = w.kernel.length;
  const xt = w.pads.some((p) => p !== 0) ? e.op('Pad', [input, e.ints([0, 0, ...w.pads.slice(0, r), 0, 0, ...w.pads.slice(r)])]) : input;
  const spatialAxes = w.kernel.map((_, i) => i + 2);
  return kernelOffsets(w.kernel).map((offset) => {
    const starts = offset.map((j, i) => j * w.dilations[i]);
    const ends = starts.map((s, i) => s + (w.output[i] - 1) * w.strides[i] + 1);
    const whole = starts.every((s, i) => s === 0 && w.strides[i] === 1 && ends[i] === w.input[i] + w.pads[i] + w.pads[i + r]);
    if (whole) return xt;
    return e.op('Slice', [xt, e.ints(starts), e.ints(ends), e.ints(spatialAxes), e.ints(w.strides)]);
  });
}

export function weightGradSwap(e: Emitter, a: WeightGradInput): string {
  const { window: w, wDims, group: g } = a;
  const r = w.kernel.length;
  const rank = r + 2;
  const [o] = wDims;
  const cg = a.channels / g;
  const og = o / g;
  const xt = channelsFirst(e, a.x, rank);
  const dyt = channelsFirst(e, a.dy, rank);
  const attrs = { strides: ints(w.dilations), dilations: ints(w.strides), pads: ints(w.pads) };
  const spatialAxes = Array.from({ length: r }, (_, i) => i + 2);
  const parts: string[] = [];
  for (let j = 0; j < g; j++) {
    const part = (t: string, size: number) =>
      g === 1 ? t : e.op('Slice', [t, e.ints([j * size]), e.ints([(j + 1) * size]), e.ints([0])]);
    let c = e.op('Conv', [part(xt, cg), part(dyt, og)], attrs);
    // The swapped Conv may reach a few positions past the kernel when the stride did not divide.
    c = e.op('Slice', [c, e.ints(spatialAxes.map(() => 0)), e.ints(w.kernel), e.ints(spatialAxes)]);
    parts.push(c);
  }
  const all = parts.length === 1 ? parts[0] : e.op('Concat', parts, { axis: int(1) });
  return channelsFirst(e, all, rank);
}
