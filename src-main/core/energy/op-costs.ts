/**
 * How each ONNX operator is costed, keyed by op type. Convolutions and matrix products go
 * through the tiling model (`tiling.ts`); every other op costs MAC-equivalents per output
 * element plus one read of each input and one write of its output.
 *
 * Per-element costs are relative to one MAC, from Horowitz (ISSCC 2014, 45 nm, fp32):
 * multiply 3.7 pJ + add 0.9 pJ = 4.6 pJ per MAC, so an add or a compare is ~0.2 MAC and a
 * multiply ~0.8 MAC. Division, square root and transcendental functions are Joule estimates
 * (a divide ~4 MACs; exp/log/erf ~10 MACs, a short polynomial with range reduction).
 */
import { attrInts, tensorSize } from '../onnx/ir';
import type { Node } from '../onnx/ir';
import { nodeMacs, type ShapeOf } from '../onnx/count';

/** Relative costs in MACs (Horowitz 2014 for ADD and MUL; DIV and EXP are estimates). */
export const OP_MAC_EQUIVALENT = { ADD: 0.2, MUL: 0.8, DIV: 4, EXP: 10 } as const;
const { ADD, MUL, DIV, EXP } = OP_MAC_EQUIVALENT;

/**
 * - `mac`: Conv, ConvTranspose, Gemm, MatMul (tiling model).
 * - `elementwise`: one output per input position; may be fused into the layer that produces
 *   its input when `fusable`.
 * - `window`: pooling and reductions (each output reads a window of inputs).
 * - `copy`: moves data without arithmetic (Transpose, Pad, Slice, ...).
 * - `free`: no work: views (Reshape, Flatten), shape arithmetic, and Concat, which runtimes
 *   implement by writing the producers into slices of one buffer.
 */
export type OpCategory = 'mac' | 'elementwise' | 'window' | 'copy' | 'free';

export interface OpCost {
  category: OpCategory;
  /** MAC-equivalents per output element. */
  perOutput?: (node: Node, shape: ShapeOf) => number;
  /** Can run on the output tile of the layer before it without a trip through memory. */
  fusable?: boolean;
  /** Inputs each output reads (pooling window, reduction extent); 1 when absent. */
  window?: (node: Node, shape: ShapeOf) => number;
}

const per = (cost: number, fusable = true): OpCost => ({ category: 'elementwise', perOutput: () => cost, fusable });
/** n-ary element-wise ops: (inputs - 1) operations per output. */
const nary = (cost: number): OpCost => ({ category: 'elementwise', perOutput: (n) => cost * Math.max(1, n.inputs.filter(Boolean).length - 1), fusable: true });
const FREE: OpCost = { category: 'free' };
const COPY: OpCost = { category: 'copy', perOutput: () => 0 };

/** Inputs per output of a pooling or reduction node. */
export function windowSize(node: Node, shape: ShapeOf): number {
  const k = attrInts(node, 'kernel_shape', []);
  if (k.length > 0) return tensorSize(k);
  // Global pools and reductions: inputs per output.
  return tensorSize(shape(node.inputs[0])) / Math.max(1, tensorSize(shape(node.outputs[0])));
}

/**
 * LSTM, GRU, RNN: their MACs (count.ts) plus `perUnit` MAC-equivalents of gate activations per
 * hidden unit and step, spread over every element they output (Y and the last states).
 */
function recurrent(perUnit: number): OpCost {
  return {
    category: 'elementwise',
    fusable: false,
    perOutput: (node, shape) => {
      const x = shape(node.inputs[0]);
      const r = shape(node.inputs[2]);
      const units = tensorSize(x.slice(0, 2)) * r[0] * r[2];
      const outputs = node.outputs.reduce((n, o) => n + (o ? tensorSize(shape(o)) : 0), 0);
      return (nodeMacs(node, shape) + perUnit * units) / Math.max(1, outputs);
    },
  };
}

const lrnSize = (n: Node): number => (n.attributes.size?.kind === 'int' ? n.attributes.size.value : 5);

const pool = (extra: number): OpCost => ({
  category: 'window',
  perOutput: (n, s) => ADD * (windowSize(n, s) - 1) + extra,
  window: windowSize,
});

export const OP_COSTS: Record<string, OpCost> = {
  Conv: { category: 'mac' },
  // Quantized matrix operators cost as the float operator they compute (core/onnx/quantized.ts), at the device's precision.
  QLinearConv: { category: 'mac' },
  ConvInteger: { category: 'mac' },
  QLinearMatMul: { category: 'mac' },
  MatMulInteger: { category: 'mac' },
  ConvTranspose: { category: 'mac' },
  Gemm: { category: 'mac' },
  MatMul: { category: 'mac' },

  // Folded into the preceding convolution's weights and bias when fused.
  BatchNormalization: per(MUL + ADD),
  InstanceNormalization: per(4, false),
  LayerNormalization: per(4, false),
  Relu: per(ADD),
  LeakyRelu: per(ADD + MUL),
  PRelu: per(ADD + MUL),
  Clip: per(2 * ADD),
  HardSigmoid: per(MUL + ADD + 2 * ADD),
  HardSwish: per(MUL + 3 * ADD + MUL),
  Sigmoid: per(EXP + ADD + DIV),
  Tanh: per(2 * EXP + 2 * ADD + DIV),
  Elu: per(EXP + ADD + MUL),
  Selu: per(EXP + ADD + 2 * MUL),
  Celu: per(EXP + ADD + DIV + MUL),
  Gelu: per(EXP + 3 * MUL + 2 * ADD),
  Erf: per(EXP),
  Exp: per(EXP),
  Log: per(EXP),
  Softplus: per(2 * EXP + ADD),
  Softsign: per(ADD + DIV),
  Mish: per(4 * EXP + DIV + MUL),
  Sqrt: per(DIV),
  Reciprocal: per(DIV),
  Neg: per(ADD),
  Not: per(ADD),
  And: nary(ADD),
  Or: nary(ADD),
  Xor: nary(ADD),
  Abs: per(ADD),
  Floor: per(ADD),
  Ceil: per(ADD),
  Pow: per(2 * EXP + MUL),
  Add: nary(ADD),
  Sub: nary(ADD),
  Mul: nary(MUL),
  Div: nary(DIV),
  Mod: nary(DIV),
  Sum: nary(ADD),
  Max: nary(ADD),
  Min: nary(ADD),
  Mean: nary(ADD),
  Where: per(ADD),
  Equal: per(ADD),
  Less: per(ADD),
  Greater: per(ADD),
  LessOrEqual: per(ADD),
  GreaterOrEqual: per(ADD),
  Softmax: per(EXP + ADD + DIV, false),
  LogSoftmax: per(EXP + ADD + EXP, false),
  // Local response normalization: a sum of `size` squares, then a power and a divide.
  LRN: { category: 'window', perOutput: (n) => lrnSize(n) + EXP + DIV, window: lrnSize },

  // Linear interpolation reads four neighbours and blends them; nearest copies (costed the same, a bound).
  Resize: per(3 * MUL + 3 * ADD, false),
  Upsample: per(3 * MUL + 3 * ADD, false),

  // Quantize: scale, round, clamp; dequantize: subtract the zero point, scale; dynamic: also find the range.
  QuantizeLinear: per(DIV + 3 * ADD, false),
  DequantizeLinear: per(ADD + MUL, false),
  DynamicQuantizeLinear: per(DIV + 5 * ADD, false),

  // Recurrent layers stream their weights and states; their arithmetic is spread over their outputs.
  LSTM: recurrent(3 * (EXP + ADD + DIV) + 2 * (2 * EXP + 2 * ADD + DIV) + 3 * MUL + ADD),
  GRU: recurrent(2 * (EXP + ADD + DIV) + (2 * EXP + 2 * ADD + DIV) + 3 * MUL + 2 * ADD),
  RNN: recurrent(2 * EXP + 2 * ADD + DIV),

  MaxPool: pool(0),
  AveragePool: pool(MUL),
  LpPool: pool(EXP),
  GlobalAveragePool: pool(MUL),
  GlobalMaxPool: pool(0),
  GlobalLpPool: pool(EXP),
  ReduceMean: pool(MUL),
  ReduceSum: pool(0),
  ReduceMax: pool(0),
  ReduceMin: pool(0),
  // Sum of squares (one MAC each), then a square root.
  ReduceL2: { category: 'window', perOutput: (n, s) => windowSize(n, s) + DIV, window: windowSize },
  ReduceProd: { category: 'window', perOutput: (n, s) => MUL * (windowSize(n, s) - 1), window: windowSize },
  ArgMax: pool(0),
  ArgMin: pool(0),

  Transpose: COPY,
  Pad: COPY,
  Slice: COPY,
  Split: COPY,
  Gather: COPY,
  Expand: COPY,
  Cast: COPY,
  ConstantOfShape: COPY,

  Concat: FREE,
  Reshape: FREE,
  Flatten: FREE,
  Squeeze: FREE,
  Unsqueeze: FREE,
  Identity: FREE,
  Dropout: FREE,
  Shape: FREE,
  Size: FREE,
  Constant: FREE,
};

/** Cost of an op Joule has no rule for: memory-bound, it reads its inputs and writes its outputs, no arithmetic. */
export const UNKNOWN_OP_COST: OpCost = per(0, false);

/** The ops that never need a memory round trip of their own (views and zero-copy Concat). */
export const VIEW_OPS = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout']);
