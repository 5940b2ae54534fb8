/**
 * Channels-first formulations of the Conv weight gradient (the identity is in
 * `conv-weight.ts`):
 *
 * - im2col: one strided Slice of the channels-first, padded input per kernel offset, each
 *   multiplied with dY as [O, N*P] by one Gemm over K = N*P (a batched MatMul over groups).
 *   Measured on a VGG layer (3x3, 32 -> 32, batch 64, 28x28, 1 thread): 36 ms against 59 ms
 *   by swap (the forward Conv: 26 ms). One Gemm on the concatenated [C*K, N*P] column matrix
 *   took 50 ms against 35 ms for the per-offset Gemms.
 * - stacked: that one Gemm on the concatenated columns, for a layer with few input channels
 *   (a stem reading 1 or 3 image channels), where the per-offset Gemms would be matrix-vector
 *   products [O, N*P] x [N*P, C] and the concatenation costs little.
 * - swap: the same sum as a Conv of the input with dY, batch and channel axes swapped, stride
 *   and dilation exchanged, one Conv per group. Correct, but a convolution with a huge kernel
 *   and a tiny output is a poor fit for onnxruntime's Conv.
 */
import { ints, int } from '../attrs';
import type { Emitter } from '../emitter';
import { shiftedSlices, stackLast } from './conv-weight';
import type { WeightGradInput } from './conv-weight';

/** Moves axis 1 (channels) to the front: [N, C, ...] -> [C, N, ...]. */
function channelsFirst(e: Emitter, t: string, rank: number): string {
  return e.transpose(t, [1, 0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)]);
}

/** [N, C, S...] -> [C, S..., N]: the batch becomes the innermost axis. */
function batchLast(e: Emitter, t: string, rank: number): string {
  return e.transpose(t, [...Array.from({ length: rank - 1 }, (_, i) => i + 1), 0]);
}

/**
 * 'im2col' in the batch-last layout [C, S..., N] (one group): each offset's strided Slice then
 * copies runs of a whole row of positions times the batch (28 x 64 floats on a VGG layer)
 * instead of one row (28, or 7 on the last layers), and the Gemm contracts over the same
 * order of positions and images in dY [O, P..., N].
 */
export function weightGradBatchLast(e: Emitter, a: WeightGradInput): string {
  const rank = a.window.kernel.length + 2;
  const [o] = a.wDims;
  const dyMat = e.reshape(batchLast(e, a.dy, rank), [o, -1]);
  const slices = shiftedSlices(e, a, batchLast(e, a.x, rank), 1);
  const parts = slices.map((sl) => e.op('Gemm', [dyMat, e.reshape(sl, [a.channels, -1])], { transB: int(1) }));
  return e.reshape(stackLast(e, parts, 2), a.wDims);
}

/** `stacked`: one Gemm over the concatenated columns (for one group; grouped convs ignore it). */
export function weightGradIm2col(e: Emitter, a: WeightGradInput, stacked = false): string {
  const { window: w, wDims, group: g } = a;
  const r = w.kernel.length;
  const rank = r + 2;
  const [o] = wDims;
  const slices = shiftedSlices(e, a, channelsFirst(e, a.x, rank));
  const { dy } = a;
  // One product per kernel offset, stacked on a last axis (except when 'stacked'): this skips
  // materialising the [C*K, N*P] column matrix, which measured slower than the products themselves.
  if (g === 1) {
    const dyMat = e.reshape(channelsFirst(e, dy, rank), [o, -1]);
    if (stacked) {
      // dW as [O, K, C] = dY [O, N*P] times the columns [K*C, N*P] transposed, offset-major rows.
      const cols = e.op('Concat', slices.map((sl) => e.reshape(sl, [a.channels, -1])), { axis: int(0) });
      const k = slices.length;
      const product = e.reshape(e.op('Gemm', [dyMat, cols], { transB: int(1) }), [o, k, a.channels]);
      return e.reshape(e.transpose(product, [0, 2, 1]), wDims);
    }
    // dW[:, :, k] = dY [O, N*P] times slice_k [C, N*P] transposed.
    const parts = slices.map((sl) => e.op('Gemm', [dyMat, e.reshape(sl, [a.channels, -1])], { transB: int(1) }));
    return e.reshape(stackLast(e, parts, 2), wDims);
  }
  // Per group: slice_k [G, Cg, N*P] times dY [G, N*P, Og] gives [G, Cg, Og] per offset.
  const og = o / g;
  const dyG = e.reshape(e.transpose(e.reshape(dy, [0, g, og, -1]), [1, 0, 3, 2]), [g, -1, og]);
  const parts = slices.map((sl) => e.op('MatMul', [e.reshape(sl, [g, a.channels / g, -1]), dyG]));
  return e.reshape(e.transpose(stackLast(e, parts, 3), [0, 2, 1, 3]), wDims);
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
