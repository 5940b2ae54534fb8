/**
 * Gradient rule for Conv (any spatial rank, stride, pads, dilation, group incl. depthwise).
 * The input gradient is ConvTranspose of dY with the same weights (its output_padding and end
 * pads chosen so the result has exactly the input's size), or for stride 1 the equivalent Conv
 * with flipped weights, which onnxruntime runs faster; the weight gradient is chosen per layer
 * among several formulations (`conv-weight.ts`); the bias gradient sums dY over all but channels.
 * With `nchwcBlock`, the forward Conv and the flipped-weight Conv run on onnxruntime's blocked
 * kernels where they apply (`conv-nchwc.ts`), and so does a depthwise weight gradient
 * (`conv-weight-depthwise-nchwc.ts`).
 */
import { attrInt } from '../../../onnx/ir';
import { int, ints } from '../attrs';
import type { GradientRule } from '../rule';
import type { Emitter } from '../emitter';
import { transposeGeometry, windowOf } from '../window';
import type { Window } from '../window';
import { chooseWeightGrad } from './conv-weight';
import type { WeightGradInput, WeightGradMethod } from './conv-weight';
import { weightGradBatched, weightGradDepthwise } from './conv-weight-batched';
import { weightGradBatchLast, weightGradIm2col, weightGradSwap } from './conv-weight-im2col';
import { blockedConv } from './conv-nchwc';
import { blockedDepthwiseApplies, weightGradDepthwiseBlocked } from './conv-weight-depthwise-nchwc';

/**
 * With stride 1, ConvTranspose(dY, W) equals a Conv of dY with W's kernels flipped and its
 * in/out channels swapped per group, padded by (k - 1) d - pad on each side. onnxruntime runs
 * that Conv about twice as fast (16 ms against 30 ms on a VGG layer at batch 64, 28x28, 1
 * thread: Conv gets its NCHWc kernels). Null when the stride is not 1 or a pad would be negative.
 */
function flippedConvPads(w: Window): number[] | null {
  if (w.strides.some((s) => s !== 1)) return null;
  const r = w.kernel.length;
  const pads = w.pads.map((p, i) => (w.kernel[i % r] - 1) * w.dilations[i % r] - p);
  return pads.every((p) => p >= 0) ? pads : null;
}

/** W [O, C/G, k...] -> [C, O/G, k...] with every kernel reversed along each spatial axis. */
function flipWeights(e: Emitter, w: string, dims: number[], group: number): string {
  const [o, cg, ...kernel] = dims;
  const r = kernel.length;
  const spatial = Array.from({ length: r }, (_, i) => i + 3);
  const swapped = e.transpose(e.reshape(w, [group, o / group, cg, ...kernel]), [0, 2, 1, ...spatial]);
  const min = -(2 ** 53);
  const reversed = e.op('Slice', [swapped, e.ints(kernel.map(() => -1)), e.ints(kernel.map(() => min)), e.ints(spatial), e.ints(kernel.map(() => -1))]);
  return e.reshape(reversed, [cg * group, o / group, ...kernel]);
}

function weightGrad(e: Emitter, input: WeightGradInput, method: WeightGradMethod): string {
  switch (method) {
    case 'batched':
      return weightGradBatched(e, input);
    case 'depthwise':
      return weightGradDepthwise(e, input);
    case 'im2col':
      return weightGradIm2col(e, input);
    case 'batchlast':
      return input.group === 1 ? weightGradBatchLast(e, input) : weightGradIm2col(e, input);
    case 'stacked':
      return weightGradIm2col(e, input, true);
    case 'swap':
      return weightGradSwap(e, input);
    default: {
      const never: never = method;
      throw new Error(`Unknown conv weight gradient '${String(never)}'.`);
    }
  }
}

const conv: GradientRule = {
  forward(ctx) {
    const { node, e } = ctx;
    const [x, w, bias] = node.inputs;
    const wDims = ctx.inDims(1);
    const channels = ctx.inDims(0)[1];
    const block = e.float === 'float32' ? ctx.options.nchwcBlock : 0;
    if (block > 1 && channels !== null && wDims.every((d) => d !== null)) {
      const a = { x, w, bias: bias || undefined, wDims: wDims as number[], channels, group: attrInt(node, 'group', 1), attributes: node.attributes };
      if (blockedConv(e, a, block, node.outputs[0])) return;
    }
    ctx.copy();
  },
  backward(ctx) {
    const { e, node } = ctx;
    const dy = ctx.dy(0)!;
    const [x, w] = node.inputs;
    const wDims = ctx.inDims(1);
    if (wDims.some((d) => d === null)) throw ctx.error('its weight has a dynamic shape');
    const kernel = (wDims as number[]).slice(2);
    const window = windowOf(ctx, kernel);
    const group = attrInt(node, 'group', 1);
    const channels = ctx.inDims(0)[1];
    if (channels === null) throw ctx.error('its input has a dynamic channel count');
    const grads: (string | undefined)[] = [undefined, undefined, undefined];
    if (ctx.needs(0)) {
      const flipped = flippedConvPads(window);
      if (flipped) {
        const [o, cg] = wDims as number[];
        const flippedDims = [cg * group, o / group, ...kernel];
        const attributes = { dilations: ints(window.dilations), pads: ints(flipped), group: int(group), kernel_shape: ints(kernel) };
        const a = { x: dy, w: flipWeights(e, w, wDims as number[], group), wDims: flippedDims, channels: o, group, attributes };
        const block = e.float === 'float32' ? ctx.options.nchwcBlock : 0;
        grads[0] = (block > 1 ? blockedConv(e, a, block) : null) ?? e.op('Conv', [a.x, a.w], attributes);
      } else {
        const t = transposeGeometry(window);
        grads[0] = e.op('ConvTranspose', [dy, w], {
          strides: ints(window.strides),
          dilations: ints(window.dilations),
          pads: ints(t.pads),
          output_padding: ints(t.outputPadding),
          group: int(group),
          kernel_shape: ints(kernel),
        });
      }
    }
    if (ctx.needs(1)) {
      const input = { x, dy, wDims: wDims as number[], channels, group, window };
      const method = ctx.options.convWeightGrad === 'auto' ? chooseWeightGrad(input) : ctx.options.convWeightGrad;
      const block = e.float === 'float32' ? ctx.options.nchwcBlock : 0;
      grads[1] = method === 'depthwise' && blockedDepthwiseApplies(input, block) ? weightGradDepthwiseBlocked(e, input, block) : weightGrad(e, input, method);
    }
    if (ctx.needs(2)) {
      const axes = [0, ...kernel.map((_, i) => i + 2)];
      grads[2] = e.reduceSum(dy, axes, false);
    }
    return grads;
  },
};

export const convRules: Record<string, GradientRule> = { Conv: conv };
