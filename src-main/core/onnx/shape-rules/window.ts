/**
 * Shape rules for sliding-window operators: convolutions and pooling.
 */
import { attrInt, attrInts, attrString } from '../ir';
import type { Node } from '../ir';
import type { RuleContext, ShapeRule } from '../shape-rule';

interface WindowParams {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** Begin pads then end pads, one per spatial axis each. */
  pads: number[];
  autoPad: string;
}

function windowParams(ctx: RuleContext, node: Node, kernel: number[]): WindowParams {
  const k = kernel.length;
  const ones = kernel.map(() => 1);
  const p: WindowParams = {
    kernel,
    strides: attrInts(node, 'strides', ones),
    dilations: attrInts(node, 'dilations', ones),
    pads: attrInts(node, 'pads', [...ones, ...ones].fill(0)),
    autoPad: attrString(node, 'auto_pad', 'NOTSET'),
  };
  if (p.strides.length !== k || p.dilations.length !== k || p.pads.length !== 2 * k) {
    throw ctx.error(
      `strides, dilations and pads must have ${k}, ${k} and ${2 * k} values for a ${k}-d kernel`,
    );
  }
  return p;
}

/**
 * Output spatial sizes of a window sliding over `input`. SAME pads so that the output is
 * ceil(input / stride); with `ceilMode`, a last window that would start inside the end padding
 * is dropped (as ONNX and PyTorch specify).
 */
function slideOutput(ctx: RuleContext, input: number[], p: WindowParams, ceilMode: boolean): number[] {
  return input.map((size, i) => {
    const s = p.strides[i];
    const span = (p.kernel[i] - 1) * p.dilations[i] + 1;
    let out: number;
    switch (p.autoPad) {
      case 'SAME_UPPER':
      case 'SAME_LOWER':
        out = Math.ceil(size / s);
        break;
      case 'VALID':
        out = (ceilMode ? Math.ceil : Math.floor)((size - span) / s) + 1;
        break;
      case 'NOTSET':
      case '': {
        const padded = size + p.pads[i] + p.pads[i + input.length];
        out = (ceilMode ? Math.ceil : Math.floor)((padded - span) / s) + 1;
        if (ceilMode && (out - 1) * s >= size + p.pads[i]) out--;
        break;
      }
      default:
        throw ctx.error(`auto_pad '${p.autoPad}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID`);
    }
    if (out < 1) throw ctx.error(`the window [${p.kernel.join(', ')}] does not fit the input [${input.join(', ')}]`);
    return out;
  });
}

function spatialInput(ctx: RuleContext): number[] {
  const x = ctx.shape(0);
  if (x.length < 3) throw ctx.error(`expects an input of rank 3 or more (N, C, spatial...), got [${x.join(', ')}]`);
  return x;
}

export const convRule: ShapeRule = (ctx) => {
  const { node } = ctx;
  const x = spatialInput(ctx);
  const w = ctx.shape(1);
  if (w.length !== x.length) {
    throw ctx.error(`weight shape [${w.join(', ')}] does not match input rank ${x.length}`);
  }
  const group = attrInt(node, 'group', 1);
  const [outChannels, inPerGroup] = w;
  if (x[1] !== inPerGroup * group) {
    throw ctx.error(
      `input has ${x[1]} channels but weight '${node.inputs[1]}' expects ${inPerGroup} per group x ${group} groups`,
    );
  }
  if (outChannels % group !== 0) throw ctx.error(`${outChannels} output channels do not split into ${group} groups`);
  checkBias(ctx, outChannels);
  const p = windowParams(ctx, node, attrInts(node, 'kernel_shape', w.slice(2)));
  return [{ dtype: ctx.dtype(0), shape: [x[0], outChannels, ...slideOutput(ctx, x.slice(2), p, false)] }];
};

const convTranspose: ShapeRule = (ctx) => {
  const { node } = ctx;
  const x = spatialInput(ctx);
  const w = ctx.shape(1);
  if (w.length !== x.length) {
    throw ctx.error(`weight shape [${w.join(', ')}] does not match input rank ${x.length}`);
  }
  const group = attrInt(node, 'group', 1);
  if (x[1] !== w[0]) throw ctx.error(`input has ${x[1]} channels but weight '${node.inputs[1]}' expects ${w[0]}`);
  const outChannels = w[1] * group;
  checkBias(ctx, outChannels);
  const p = windowParams(ctx, node, attrInts(node, 'kernel_shape', w.slice(2)));
  const spatial = x.slice(2);
  const k = spatial.length;
  const explicit = attrInts(node, 'output_shape', []);
  if (explicit.length > 0) {
    // Older exporters give the full [N, C, ...] shape; the spatial sizes are the last k.
    return [{ dtype: ctx.dtype(0), shape: [x[0], outChannels, ...explicit.slice(-k)] }];
  }
  const outputPadding = attrInts(node, 'output_padding', spatial.map(() => 0));
  const out = spatial.map((size, i) => {
    if (p.autoPad === 'SAME_UPPER' || p.autoPad === 'SAME_LOWER') return size * p.strides[i];
    const pads = p.autoPad === 'VALID' ? 0 : p.pads[i] + p.pads[i + k];
    const span = (p.kernel[i] - 1) * p.dilations[i] + 1;
    return p.strides[i] * (size - 1) + outputPadding[i] + span - pads;
  });
  return [{ dtype: ctx.dtype(0), shape: [x[0], outChannels, ...out] }];
};

function checkBias(ctx: RuleContext, channels: number): void {
  if (!ctx.has(2)) return;
  const b = ctx.shape(2);
  if (b.length !== 1 || b[0] !== channels) {
    throw ctx.error(`bias '${ctx.node.inputs[2]}' has shape [${b.join(', ')}], expected [${channels}]`);
  }
}

function pool(withIndices: boolean): ShapeRule {
  return (ctx) => {
    const { node } = ctx;
    const x = spatialInput(ctx);
    const p = windowParams(ctx, node, attrInts(node, 'kernel_shape'));
    if (p.kernel.length !== x.length - 2) {
      throw ctx.error(`kernel_shape has ${p.kernel.length} values for ${x.length - 2} spatial axes`);
    }
    const shape = [x[0], x[1], ...slideOutput(ctx, x.slice(2), p, attrInt(node, 'ceil_mode', 0) === 1)];
    const out = [{ dtype: ctx.dtype(0), shape }];
    if (withIndices) out.push({ dtype: 'int64', shape });
    return out;
  };
}

const globalPool: ShapeRule = (ctx) => {
  const x = spatialInput(ctx);
  return [{ dtype: ctx.dtype(0), shape: [x[0], x[1], ...x.slice(2).map(() => 1)] }];
};

export const windowRules: Record<string, ShapeRule> = {
  Conv: convRule,
  ConvTranspose: convTranspose,
  MaxPool: pool(true),
  AveragePool: pool(false),
  LpPool: pool(false),
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  GlobalLpPool: globalPool,
};
