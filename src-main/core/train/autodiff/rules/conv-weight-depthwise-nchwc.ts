/**
 * The depthwise Conv weight gradient on onnxruntime's blocked kernels (`conv-nchwc.ts`).
 * Output channel c reads only input channel c:
 *   dW[c, 0, i, j] = sum over n, h, w of dY[n, c, h, w] * Xpad[n, c, h s + i d, w s' + j d']
 * (s, d: stride and dilation). With the images stacked along the rows, X as [1, C, N Hx, W']
 * and dY as a per-channel filter [C, 1, N Hk, Wo] where Hx = s Hk (rows past Ho zero), that is
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
import { NCHWC_DOMAIN } from './conv-nchwc';
import type { WeightGradInput } from './conv-weight';
import { isDepthwise } from './conv-weight';

/** Whether it applies: 2-d depthwise (multiplier 1) with channels in whole blocks. */
export function blockedDepthwiseApplies(a: WeightGradInput, block: number): boolean {
  return block > 1 && a.window.kernel.length === 2 && isDepthwise(a) && a.wDims[0] === a.channels && a.channels % block === 0;
}

function blocked(e: Emitter, opType: string, inputs: string[], attrs: Parameters<Emitter['node']>[2] = {}): string {
  return e.node(opType, inputs, attrs, 1, NCHWC_DOMAIN)[0];
}

/** [N, C, R, W] (NCHW) -> blocked [1, C, N R, W]: ReorderInput, then the channel blocks in front of the images. */
function stackImages(e: Emitter, t: string, c: number, rows: number, width: number, block: number): string {
  const r = e.reshape(blocked(e, 'ReorderInput', [t]), [0, c / block, rows * width * block]);
  return e.reshape(e.transpose(r, [1, 0, 2]), [c / block, -1, width, block]);
}

export function weightGradDepthwiseBlocked(e: Emitter, a: WeightGradInput, block: number): string {
  const w = a.window;
  const c = a.channels;
  const [s, sw] = w.strides;
  const [d, dw] = w.dilations;
  const [k1, k2] = w.kernel;
  const [ho, wo] = w.output;
  const hp = w.input[0] + w.pads[0] + w.pads[2];
  const wp = w.input[1] + w.pads[1] + w.pads[3];
  const hk = Math.ceil(hp / s);
  const hx = hk * s;
  // Each image padded to Hx rows; below the last image, the rows the last outputs reach.
  const x = e.op('Pad', [a.x, e.ints([0, 0, w.pads[0], w.pads[1], 0, 0, w.pads[2] + hx - hp, w.pads[3]])]);
  const extra = (k1 - 1) * d;
  const x4 = stackImages(e, x, c, hx, wp, block);
  const xs = extra > 0 ? e.op('Pad', [x4, e.ints([0, 0, 0, 0, 0, extra, 0, 0])]) : x4;
  const input = e.reshape(xs, [1, c, -1, wp]);
  const dy = hk === ho ? a.dy : e.op('Pad', [a.dy, e.ints([0, 0, 0, 0, 0, 0, hk - ho, 0])]);
  const filter = e.reshape(stackImages(e, dy, c, hk, wo, block), [c, 1, -1, wo]);
  const swapped = blocked(e, 'Conv', [input, filter], { strides: ints([d, dw]), dilations: ints([s, sw]), group: int(c) });
  // Rows: (s - 1 + extra) / d + 1 >= k1; columns: the usual swapped size >= k2. Crop to the kernel.
  const rows = Math.floor((s - 1 + extra) / d) + 1;
  const cols = Math.floor((wp - (wo - 1) * sw - 1) / dw) + 1;
  const out = blocked(e, 'ReorderOutput', [swapped], { channels: int(c) });
  const cropped = rows === k1 && cols === k2 ? out : e.op('Slice', [out, e.ints([0, 0]), e.ints([k1, k2]), e.ints([2, 3])]);
  return e.reshape(cropped, a.wDims);
}
