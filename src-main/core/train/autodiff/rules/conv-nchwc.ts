/**
 * Conv by onnxruntime's blocked-layout kernels (`com.microsoft.nchwc`: ReorderInput, Conv,
 * ReorderOutput), for a graph whose weights are inputs. onnxruntime moves a Conv to its NCHWc
 * kernels only when the weight is a constant it can reorder once at load time, so a training
 * graph (weights fed every step) ran every convolution by im2col + SGEMM at about 60% of the
 * blocked speed (single VGG layers at batch 64, 1 thread, weights as inputs: 32 -> 32 at
 * 28x28 13.7 ms against 9.3, 128 -> 128 at 7x7 9.7 against 6.3, the reorders and the filter's
 * reorder included). Here the filter is reordered in the graph, each step: two Transposes of
 * a small tensor.
 *
 * Blocked layout with block b (16 with AVX-512, 8 with AVX2): a tensor [N, C, H, W] is stored
 * as [N, C/b, H, W, b], channels padded with zeros to whole blocks; its ONNX shape stays 4-d
 * with the padded channel count. Filters:
 * - OIHWBiBo [O/b, C/b, kh, kw, b (in), b (out)] for a blocked input (C >= b, a multiple of 4, padded);
 * - OIHWBo [O/b, C, kh, kw, b (out)] for an NCHW input (C < b, group 1) and for depthwise
 *   filters (group == C == O, C a multiple of b), as onnxruntime's own NchwcTransformer does.
 */
import type { Attribute } from '../../../onnx/ir';
import { int, ints } from '../attrs';
import type { Emitter } from '../emitter';

export const NCHWC_DOMAIN = 'com.microsoft.nchwc';

export interface BlockedConv {
  x: string;
  w: string;
  bias?: string;
  /** Weight dims [O, C/group, kh, kw]. */
  wDims: number[];
  /** Input channels. */
  channels: number;
  group: number;
  /** Conv attributes with explicit pads (no auto_pad). */
  attributes: Record<string, Attribute>;
}

type FilterLayout = 'BiBo' | 'Bo';

const reordered = new WeakMap<Emitter, Map<string, string>>();

/**
 * `t` [N, C, S...] in the blocked layout, emitted once per tensor and graph: the forward conv's
 * blocked input serves the depthwise weight gradient, and dY's serves both the input and the
 * weight gradient (onnxruntime does not merge repeated ReorderInput nodes itself).
 */
export function reorderInput(e: Emitter, t: string): string {
  let memo = reordered.get(e);
  if (!memo) reordered.set(e, (memo = new Map()));
  let blocked = memo.get(t);
  if (!blocked) memo.set(t, (blocked = e.node('ReorderInput', [t], {}, 1, NCHWC_DOMAIN)[0]));
  return blocked;
}

/** The filter layout a conv takes in the blocked kernels, or null when they do not apply. */
function layoutOf(a: BlockedConv, block: number): FilterLayout | null {
  const [o, cg] = a.wDims;
  if (block <= 1 || a.wDims.length !== 4) return null;
  if (a.attributes.auto_pad && a.attributes.auto_pad.kind === 'string' && a.attributes.auto_pad.value !== 'NOTSET') return null;
  // A pointwise conv is one SGEMM on NCHW already; the reorders around a blocked one cost more than it saves.
  if (isPointwise(a)) return null;
  // ReorderInput takes channel counts in multiples of 4 only.
  if (a.group === 1) return a.channels < block ? 'Bo' : a.channels % 4 === 0 ? 'BiBo' : null;
  const depthwise = a.group === a.channels && cg === 1 && o === a.channels;
  return depthwise && a.channels % block === 0 ? 'Bo' : null;
}

/** 1x1, stride 1, no padding. */
function isPointwise(a: BlockedConv): boolean {
  const all = (name: string, value: number) => {
    const v = a.attributes[name];
    return !v || (v.kind === 'ints' && v.value.every((x) => x === value));
  };
  return a.wDims.slice(2).every((k) => k === 1) && all('strides', 1) && all('pads', 0);
}

const padded = (n: number, b: number) => Math.ceil(n / b) * b;

/** W [O, C, kh, kw] reordered to `layout`, output channels padded to whole blocks. */
function blockedFilter(e: Emitter, w: string, [o, c, kh, kw]: number[], layout: FilterLayout, b: number): string {
  const op = padded(o, b);
  const cp = layout === 'BiBo' ? padded(c, b) : c;
  const k = kh * kw;
  const wp = op === o && cp === c ? w : e.op('Pad', [w, e.ints([0, 0, 0, 0, op - o, cp - c, 0, 0])]);
  // The output channels of a block become the inner run: [O/b, b (out), C K] -> [O/b, C K, b (out)],
  // which is the OIHWBo layout already.
  const outInner = e.transpose(e.reshape(wp, [op / b, b, cp * k]), [0, 2, 1]);
  if (layout === 'Bo') return e.reshape(outInner, [op, c, kh, kw]);
  // OIHWBiBo: then the input channels move behind the kernel offsets, carrying runs of b floats.
  // Two transposes onnxruntime has fast paths for: one 5-d permutation took 12.6 ms of
  // Transpose per VGG step against 10 for these.
  return e.reshape(e.transpose(e.reshape(outInner, [(op / b) * (cp / b), b, k, b]), [0, 2, 1, 3]), [op, cp, kh, kw]);
}

/**
 * Emits the conv `a` by the blocked kernels, writing NCHW `output` (a fresh name when not
 * given), or returns null, emitting nothing, when they do not apply (block 1, 1-d or 3-d
 * kernels, grouped convs that are not depthwise, pointwise convs: MobileNetV2's step 307 ->
 * 297 ms with those left standard).
 *
 * @example blockedConv(e, { x, w, wDims: [32, 32, 3, 3], channels: 32, group: 1, attributes }, 16) // 'conv/reorderoutput'
 */
export function blockedConv(e: Emitter, a: BlockedConv, block: number, output?: string): string | null {
  const layout = layoutOf(a, block);
  if (!layout) return null;
  const o = a.wDims[0];
  const op = padded(o, block);
  const blockedInput = layout === 'BiBo' || a.group > 1;
  const x = blockedInput ? reorderInput(e, a.x) : a.x;
  const w = blockedFilter(e, a.w, a.wDims, layout, block);
  const bias = a.bias && op !== o ? e.op('Pad', [a.bias, e.ints([0, op - o])]) : a.bias;
  const { auto_pad: _autoPad, ...attributes } = a.attributes;
  const y = e.node('Conv', bias ? [x, w, bias] : [x, w], { ...attributes, group: int(a.group), kernel_shape: ints(a.wDims.slice(2)) }, 1, NCHWC_DOMAIN)[0];
  return e.node('ReorderOutput', [y], { channels: int(o) }, output ? [output] : 1, NCHWC_DOMAIN)[0];
}
