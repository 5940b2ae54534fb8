/**
 * The depthwise Conv weight gradient on onnxruntime's blocked kernels (`conv-nchwc.ts`).
 * Output channel c reads only input channel c:
 *   dW[c, 0, i, j] = sum over n, h, w of dY[n, c, h, w] * Xpad[n, c, h s + i d, w s' + j d']
 * (s, d: stride and dilation). With the images stacked along the rows, X as [1, C, N Hx, W']
 * and dY as a per-channel filter [C, 1, (N - 1) Hk + Ho, Wo] where Hx = s Hk (rows past Ho zero), that is
 * ONE depthwise Conv with stride and dilation exchanged (the swap trick): kernel row n Hk + h
 * meets image row n Hx + h s + i d, inside image n for every real h, so the images never mix
 * and the sum over the batch happens inside the kernel. Both tensors are written straight in
 * the blocked layout (ReorderInput, then the channel blocks moved in front of the images, a
 * copy of whole image-sized runs), so MLAS's vectorised depthwise kernel runs them. The
 * standard form (`conv-weight-batched.ts`: a grouped Conv of N channels per group) ran at
 * about 0.5 GMAC/s on MobileNetV2's layers.
 */
import { int, ints } from '../attrs';
import type { Emitter } from '../emitter';
import { NCHWC_DOMAIN, reorderInput } from './conv-nchwc';
import type { WeightGradInput } from './conv-weight';
import { isDepthwise } from './conv-weight';

/** Whether it applies: 2-d depthwise (multiplier 1) with channels in whole blocks. */
export function blockedDepthwiseApplies(a: WeightGradInput, block: number): boolean {
  return block > 1 && a.window.kernel.length === 2 && isDepthwise(a) && a.wDims[0] === a.channels && a.channels % block === 0;
}

function blocked(e: Emitter, opType: string, inputs: string[], attrs: Parameters<Emitter['node']>[2] = {}): string {
  return e.node(opType, inputs, attrs, 1, NCHWC_DOMAIN)[0];
}

/** [N, C, R, W] (NCHW) -> blocked [C / b, N, R, W, b]: ReorderInput, then the channel blocks in front of the images. */
function stackImages(e: Emitter, t: string, c: number, rows: number, width: number, block: number): string {
  const r = e.reshape(reorderInput(e, t), [0, c / block, rows * width * block]);
  return e.reshape(e.transpose(r, [1, 0, 2]), [c / block, -1, rows, width, block]);
}

export function weightGradDepthwiseBlocked(e: Emitter, a: WeightGradInput, block: number): string {
  const w = a.window;
  const c = a.channels;
  const [s, sw] = w.strides;
  const [d, dw] = w.dilations;
  const [k1, k2] = w.kernel;
  const [h, wd] = w.input;
  const [ho, wo] = w.output;
  const hp = h + w.pads[0] + w.pads[2];
  const wp = wd + w.pads[1] + w.pads[3];
  const hk = Math.ceil(hp / s);
  const hx = hk * s;
  // Columns the swapped Conv would compute past the kernel (a stride that does not divide the
  // padded width): dropped from the right padding, which only they read.
  const spare = Math.min(w.pads[3], Math.floor((wp - (wo - 1) * sw - 1) / dw) + 1 - k2);
  const wx = wp - spare;
  // Padded in the blocked layout, where each copied run is b channels wide: rows to Hx per image.
  const x5 = e.op('Pad', [stackImages(e, a.x, c, h, wd, block), e.ints([0, 0, w.pads[0], w.pads[1], 0, 0, 0, hx - h - w.pads[0], w.pads[3] - spare, 0])]);
  const input = e.reshape(x5, [1, c, -1, wx]);
  // dY's rows padded to Hk per image, except the last image's: the kernel ends on a real row,
  // so the Conv's k1 output rows need no rows below the last image.
  const dy5 = stackImages(e, a.dy, c, ho, wo, block);
  const dyRows = hk === ho ? dy5 : e.op('Pad', [dy5, e.ints([0, 0, 0, 0, 0, 0, 0, hk - ho, 0, 0])]);
  const stacked = e.reshape(dyRows, [c / block, -1, wo, block]);
  const trimmed = hk === ho ? stacked : e.op('Slice', [stacked, e.ints([0]), e.ints([-(hk - ho)]), e.ints([1])]);
  const filter = e.reshape(trimmed, [c, 1, -1, wo]);
  const swapped = blocked(e, 'Conv', [input, filter], { strides: ints([d, dw]), dilations: ints([s, sw]), group: int(c) });
  // The swapped output: (Hx - (Ho - 1) s - 1) / d + 1 >= k1 rows, the usual swapped size >= k2 columns. Crop to the kernel.
  const rows = Math.floor((hx - (ho - 1) * s - 1) / d) + 1;
  const cols = Math.floor((wx - (wo - 1) * sw - 1) / dw) + 1;
  const out = blocked(e, 'ReorderOutput', [swapped], { channels: int(c) });
  const cropped = rows === k1 && cols === k2 ? out : e.op('Slice', [out, e.ints([0, 0]), e.ints([k1, k2]), e.ints([2, 3])]);
  return e.reshape(cropped, a.wDims);
}
