/**
 * The Conv weight gradient dW[o, c, k] = sum over n and output positions p of
 * dY[n, o, p] * Xpad[n, c, p * stride + k * dilation], and the choice among its formulations:
 *
 * - 'batched' (`conv-weight-batched.ts`): per kernel offset, one strided Slice of the padded
 *   input in its own NCHW layout and one MatMul per image, dY [N, O, P] x slice^T [N, P, C],
 *   summed over the batch; no transposes of the activations (onnxruntime folds the slice's
 *   transpose into the MatMul). A 1x1 conv needs no slice at all: one MatMul.
 * - 'depthwise' (same file): for group == channels, one grouped Conv of X with dY, batch
 *   and channel axes swapped (the swap trick for all groups at once).
 * - 'im2col' (`conv-weight-im2col.ts`): channels-first slices and one Gemm per offset over
 *   K = N*P; 'stacked' (same file) concatenates the offsets into one Gemm for few channels;
 *   'batchlast' (same file) the same Gemms on slices of the input as [C, S..., N].
 * - 'swap' (same file): the swapped Conv per group, kept for comparison.
 * - 'auto' (default) picks per layer what measured fastest (see `chooseWeightGrad`).
 */
import { int } from '../attrs';
import type { Emitter } from '../emitter';
import type { AutodiffOptions } from '../rule';
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

/** A formulation; 'depthwise' and 'stacked' are chosen by 'auto' only. */
export type WeightGradMethod = Exclude<AutodiffOptions['convWeightGrad'], 'auto'> | 'depthwise' | 'stacked';

/** Below this many columns (C * kernel size), 'auto' stacks the offsets into one Gemm. */
const STACK_COLUMNS = 32;

/** Whether every output channel reads exactly one input channel (group == channels). */
export function isDepthwise(a: Pick<WeightGradInput, 'wDims' | 'channels' | 'group'>): boolean {
  return a.group > 1 && a.group === a.channels && a.wDims[1] === 1;
}

/**
 * The formulation 'auto' uses for a layer, from bench/train/bench-conv-layers.ts (batch 64,
 * 1 thread, extra ms over the forward Conv):
 * - depthwise: the grouped swap, 28 ms against 50 by Mul + ReduceSum per offset and 80 by
 *   channels-first im2col on [64, 384, 7, 7] (forward: 13);
 * - 1x1 (any stride, no pad): 'batched', one MatMul and no transposes, while each
 *   image's [O, C] product is no bigger than its inputs (O C <= (O + C) P): 12 against 14 ms
 *   on 16 -> 96 at 28x28, 2.9 against 4.1 on 144 -> 24 at 14x14; beyond that 'im2col' (on
 *   384 -> 96 at 7x7, 5.1 against 5.6);
 * - larger kernels: 'batchlast', whose one Gemm per offset over K = N P runs faster than
 *   'batched' N small ones (45 against 60 ms on VGG's 32 -> 32 at 28x28, 20 against 44 on
 *   64 -> 64 at 14x14, measured for 'im2col'), and whose slices copy runs of a row times the
 *   batch instead of one row: 15.3 against 16.2 ms ('im2col') on 32 -> 32 at 28x28, 8.0
 *   against 10.6 on 128 -> 128 at 7x7, 2.9 against 5.6 on ResNet's 16 -> 32 stride 2 (issue
 *   16); grouped convs that are not depthwise take 'im2col'; with few columns (C k^2 <= 32,
 *   a stem on 1 or 3 image channels) 'stacked', one Gemm instead of k^2 matrix-vector ones.
 * With onnxruntime's blocked kernels (`nchwcBlock`), 'depthwise' becomes one blocked depthwise
 * Conv (`conv-weight-depthwise-nchwc.ts`) where the channels fill whole blocks.
 */
export function chooseWeightGrad(a: WeightGradInput): WeightGradMethod {
  if (isDepthwise(a)) return 'depthwise';
  if (a.group !== 1) return 'im2col';
  const w = a.window;
  const pointwise = w.kernel.every((k) => k === 1) && w.pads.every((p) => p === 0);
  const columns = a.channels * w.kernel.reduce((x, y) => x * y, 1);
  if (!pointwise) return columns <= STACK_COLUMNS ? 'stacked' : 'batchlast';
  const [o, c] = a.wDims;
  const p = w.output.reduce((x, y) => x * y, 1);
  return o * c <= (o + c) * p ? 'batched' : 'im2col';
}

/**
 * The input padded by the window's pads, seen through each kernel offset: one strided Slice
 * per offset aligned with dY's output positions ([A, B, O...] for an input [A, B, S...], so
 * it serves the NCHW and the channels-first layouts alike; with `firstSpatial` 1, [A, O..., B]
 * for an input [A, S..., B]). An offset whose slice is the whole padded input (1x1, stride 1)
 * returns it without a copy.
 */
export function shiftedSlices(e: Emitter, a: WeightGradInput, input: string, firstSpatial = 2): string[] {
  const w = a.window;
  const r = w.kernel.length;
  const zeros = (n: number) => new Array<number>(n).fill(0);
  const rest = 2 - firstSpatial;
  const pads = [...zeros(firstSpatial), ...w.pads.slice(0, r), ...zeros(rest), ...zeros(firstSpatial), ...w.pads.slice(r), ...zeros(rest)];
  const xt = w.pads.some((p) => p !== 0) ? e.op('Pad', [input, e.ints(pads)]) : input;
  const spatialAxes = w.kernel.map((_, i) => i + firstSpatial);
  return kernelOffsets(w.kernel).map((offset) => {
    const starts = offset.map((j, i) => j * w.dilations[i]);
    const ends = starts.map((s, i) => s + (w.output[i] - 1) * w.strides[i] + 1);
    const whole = starts.every((s, i) => s === 0 && w.strides[i] === 1 && ends[i] === w.input[i] + w.pads[i] + w.pads[i + r]);
    if (whole) return xt;
    return e.op('Slice', [xt, e.ints(starts), e.ints(ends), e.ints(spatialAxes), e.ints(w.strides)]);
  });
}

/** Per-offset gradients [..., 1] stacked on a new last axis: [..., K]. */
export function stackLast(e: Emitter, parts: string[], rank: number): string {
  const unsqueezed = parts.map((p) => e.op('Unsqueeze', [p, e.ints([rank])]));
  return unsqueezed.length === 1 ? unsqueezed[0] : e.op('Concat', unsqueezed, { axis: int(rank) });
}
