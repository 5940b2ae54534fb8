/**
 * Geometry of sliding-window operators (Conv, MaxPool, AveragePool) as the gradient rules need
 * it: explicit pads (auto_pad resolved), and the pads/output_padding that make a ConvTranspose
 * map an output-sized gradient back onto exactly the input's size.
 */
import { attrInts, attrString } from '../../onnx/ir';
import type { ForwardContext } from './rule';

/** What the geometry reads of a node: shared by forward hooks and backward rules. */
export type WindowNode = Pick<ForwardContext, 'node' | 'inDims' | 'outDims' | 'error'>;

export interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** Begin pads then end pads, one per spatial axis each, auto_pad resolved. */
  pads: number[];
  /** Spatial input and output sizes. */
  input: number[];
  output: number[];
}

/** The window of node `ctx.node` reading input 0 and writing output 0 (spatial dims must be static). */
export function windowOf(ctx: WindowNode, kernel: number[]): Window {
  const { node } = ctx;
  const r = kernel.length;
  const spatial = (dims: (number | null)[], what: string) =>
    dims.slice(2).map((d) => {
      if (d === null) throw ctx.error(`its ${what} has a dynamic spatial size`);
      return d;
    });
  const input = spatial(ctx.inDims(0), 'input');
  const output = spatial(ctx.outDims(0), 'output');
  const ones = kernel.map(() => 1);
  const strides = attrInts(node, 'strides', ones);
  const dilations = attrInts(node, 'dilations', ones);
  let pads = attrInts(node, 'pads', [...ones, ...ones].fill(0));
  const autoPad = attrString(node, 'auto_pad', 'NOTSET');
  if (autoPad === 'VALID') pads = pads.map(() => 0);
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    pads = new Array<number>(2 * r).fill(0);
    for (let i = 0; i < r; i++) {
      const total = Math.max(0, (output[i] - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - input[i]);
      const small = Math.floor(total / 2);
      pads[i] = autoPad === 'SAME_UPPER' ? small : total - small;
      pads[i + r] = total - pads[i];
    }
  }
  return { kernel, strides, dilations, pads, input, output };
}

/**
 * Whether the windows tile the input: kernel == stride, no dilation, no padding, every window
 * inside the input. Then each input element lies in at most one window, and pooling gradients
 * become a reshape plus a broadcast instead of a scatter. Rows past the last window get zero.
 */
export function tiles(w: Window): boolean {
  return w.kernel.every(
    (k, i) => k === w.strides[i] && w.dilations[i] === 1 && w.pads[i] === 0 && w.pads[i + w.kernel.length] === 0 && w.output[i] * k <= w.input[i],
  );
}

/**
 * Pads and output_padding for ConvTranspose(dy) to produce exactly the input size. ConvTranspose
 * yields s (O - 1) + output_padding + (k - 1) d + 1 - pad_begin - pad_end per axis; rows the
 * forward window never reached (floor division) come back through output_padding, and windows
 * that ran past the input (ceil_mode) are cropped by a larger end pad.
 *
 * @example input 7, kernel 2, stride 2 (output 3): output_padding 1
 */
export function transposeGeometry(w: Window): { pads: number[]; outputPadding: number[] } {
  const r = w.kernel.length;
  const pads = [...w.pads];
  const outputPadding = new Array<number>(r).fill(0);
  for (let i = 0; i < r; i++) {
    const full = w.strides[i] * (w.output[i] - 1) + (w.kernel[i] - 1) * w.dilations[i] + 1 - w.pads[i] - w.pads[i + r];
    const extra = w.input[i] - full;
    if (extra >= 0) outputPadding[i] = extra;
    else pads[i + r] -= extra;
  }
  return { pads, outputPadding };
}

/** Row-major enumeration of every kernel offset: [[0, 0], [0, 1], ..., [kh - 1, kw - 1]]. */
export function kernelOffsets(kernel: number[]): number[][] {
  let all: number[][] = [[]];
  for (const k of kernel) all = all.flatMap((prefix) => Array.from({ length: k }, (_, j) => [...prefix, j]));
  return all;
}
