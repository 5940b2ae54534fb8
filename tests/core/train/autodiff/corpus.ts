/**
 * One tiny graph per operator variant, `inputs -> op -> out`, whose gradients the test checks
 * against finite differences of loss = ReduceSum(out * R). Cases run in float64 where
 * onnxruntime has float64 kernels for the op and its gradient, else in float32 with a looser
 * tolerance (no float64 Conv, ConvTranspose, pooling or HardSigmoid in onnxruntime's CPU build).
 */
import type { GraphBuilder } from '../../../../src-main/core/onnx/builder';
import type { Attribute } from '../../../../src-main/core/onnx/ir';
import type { AutodiffOptions } from '../../../../src-main/core/train/autodiff/rule';
import type { Fill, FloatType } from './harness';

export interface InputSpec {
  dims: number[];
  fill?: Fill;
  /** Fixed int64 values (labels); such inputs are never differentiated. */
  int64?: number[];
  /** Multiplies the generated values (to reach both sides of HardSwish's kinks, say). */
  scale?: number;
}

export interface OpCase {
  name: string;
  inputs: Record<string, InputSpec>;
  /** Builds the op on the declared inputs; returns the tensor the loss reads. */
  build(b: GraphBuilder, dtype: FloatType): string;
  dtype?: FloatType;
  step?: number;
  options?: Partial<AutodiffOptions>;
  /** The training-mode forward differs from the model (BatchNormalization in train mode). */
  trainForward?: boolean;
}

const f = (value: number): Attribute => ({ kind: 'float', value });
const ffloat = (dtype: FloatType) => (dtype === 'float64' ? Float64Array : Float32Array);

function conv(name: string, x: number[], w: number[], attrs: Record<string, Attribute | number[] | number | string> = {}, extra: Partial<OpCase> = {}): OpCase {
  return {
    name: `Conv ${name}`,
    inputs: { x: { dims: x }, w: { dims: w }, b: { dims: [w[0]] } },
    build: (b) => b.op('Conv', ['x', 'w', 'b'], attrs),
    ...extra,
  };
}

function unary(op: string, fillKind: Fill = 'normal', attrs: Record<string, Attribute | number> = {}, dtype: FloatType = 'float64', scale = 1): OpCase {
  return {
    name: `${op} ${JSON.stringify(attrs)}`,
    inputs: { x: { dims: [2, 3, 4], fill: fillKind, scale } },
    build: (b) => b.op(op, ['x'], attrs),
    dtype,
    step: fillKind === 'spaced' ? 1e-3 : undefined,
  };
}

function binary(op: string, a: number[], bDims: number[], fillB: Fill = 'normal'): OpCase {
  return {
    name: `${op} [${a}] with [${bDims}]`,
    inputs: { a: { dims: a }, b: { dims: bDims, fill: fillB } },
    build: (b) => b.op(op, ['a', 'b']),
    dtype: 'float64',
  };
}

function pool(op: string, name: string, x: number[], attrs: Record<string, Attribute | number[] | number>, extra: Partial<OpCase> = {}): OpCase {
  return {
    name: `${op} ${name}`,
    inputs: { x: { dims: x, fill: 'spaced' } },
    build: (b) => b.op(op, ['x'], attrs),
    step: 1e-3,
    ...extra,
  };
}

/** Conv cases run with an explicit weight-gradient formulation: [method, name, x, w, attributes]. */
const FORMULATION_CASES: [AutodiffOptions['convWeightGrad'], string, number[], number[], Record<string, number[] | number>][] = [
  ['batched', 'stride 2 pad 1 odd input', [2, 3, 7, 7], [4, 3, 3, 3], { pads: [1, 1, 1, 1], strides: [2, 2] }],
  ['batched', 'group 2 dilation 2', [2, 4, 7, 7], [4, 2, 3, 3], { group: 2, dilations: [2, 2], pads: [1, 2, 2, 1] }],
  ['batched', 'depthwise', [2, 3, 5, 5], [3, 1, 3, 3], { group: 3, pads: [1, 1, 1, 1] }],
  ['batched', '1-d stride 2', [2, 3, 9], [4, 3, 3], { strides: [2] }],
  ['im2col', '3x3 pad 1', [2, 3, 6, 6], [4, 3, 3, 3], { pads: [1, 1, 1, 1] }],
  ['im2col', 'depthwise stride 2', [2, 4, 6, 6], [4, 1, 3, 3], { group: 4, pads: [1, 1, 1, 1], strides: [2, 2] }],
  ['im2col', '1x1', [2, 3, 4, 4], [5, 3, 1, 1], {}],
  ['batchlast', '3x3 stride 2 pad 1 odd input', [2, 3, 7, 7], [4, 3, 3, 3], { pads: [1, 1, 1, 1], strides: [2, 2] }],
  ['batchlast', 'dilation 2 asymmetric pads', [3, 2, 7, 6], [3, 2, 3, 2], { pads: [2, 1, 0, 2], dilations: [2, 2] }],
  ['batchlast', '1-d stride 2', [2, 3, 9], [4, 3, 3], { strides: [2] }],
  ['batchlast', 'group 2 (im2col)', [2, 4, 5, 5], [6, 2, 3, 3], { group: 2, pads: [1, 1, 1, 1] }],
];

export const OP_CASES: OpCase[] = [
  // ---- Conv ----
  conv('3x3 pad 1', [2, 3, 6, 6], [4, 3, 3, 3], { pads: [1, 1, 1, 1] }),
  conv('stride 2 pad 1 odd input', [2, 3, 7, 7], [4, 3, 3, 3], { pads: [1, 1, 1, 1], strides: [2, 2] }),
  conv('dilation 2', [2, 2, 7, 7], [3, 2, 3, 3], { pads: [2, 2, 2, 2], dilations: [2, 2] }),
  conv('asymmetric pads, stride [2, 1], kernel 2x3', [1, 2, 6, 5], [3, 2, 2, 3], { pads: [0, 1, 2, 1], strides: [2, 1] }),
  conv('group 2', [2, 4, 5, 5], [6, 2, 3, 3], { group: 2, pads: [1, 1, 1, 1] }),
  conv('depthwise stride 2', [2, 4, 6, 6], [4, 1, 3, 3], { group: 4, pads: [1, 1, 1, 1], strides: [2, 2] }),
  conv('depthwise multiplier 2', [2, 3, 5, 5], [6, 1, 3, 3], { group: 3 }),
  conv('1x1', [2, 3, 4, 4], [5, 3, 1, 1]),
  conv('auto_pad SAME_UPPER stride 2', [2, 2, 5, 5], [3, 2, 3, 3], { auto_pad: 'SAME_UPPER', strides: [2, 2] }),
  conv('1-d stride 2', [2, 3, 9], [4, 3, 3], { strides: [2] }),
  // What 'auto' picks per layer (rules/conv-weight.ts): batched for small 1x1, im2col for wide 1x1, stacked for stems, the grouped swap for depthwise.
  conv('1x1 stride 2', [2, 3, 5, 5], [4, 3, 1, 1], { strides: [2, 2] }),
  conv('1x1 with more weights than positions', [2, 6, 1, 1], [8, 6, 1, 1]),
  conv('one input channel 3x3 pad 1', [2, 1, 6, 6], [4, 1, 3, 3], { pads: [1, 1, 1, 1] }),
  conv('depthwise dilation 2 asymmetric pads', [2, 3, 7, 7], [3, 1, 3, 3], { group: 3, dilations: [2, 2], pads: [2, 1, 1, 2] }),
  conv('depthwise multiplier 2 stride 2 pad 1', [2, 2, 7, 7], [4, 1, 3, 3], { group: 2, strides: [2, 2], pads: [1, 1, 1, 1] }),
  conv('depthwise 1-d stride 2', [2, 4, 9], [4, 1, 3], { group: 4, strides: [2], pads: [1, 1] }),
  ...FORMULATION_CASES.map(([method, name, x, w, attrs]) => conv(`${method}: ${name}`, x, w, attrs, { options: { convWeightGrad: method } })),
  conv('swap: stride 2 pad 1', [2, 3, 7, 7], [4, 3, 3, 3], { pads: [1, 1, 1, 1], strides: [2, 2] }, { options: { convWeightGrad: 'swap' } }),
  conv('swap: group 2 dilation 2', [2, 4, 7, 7], [4, 2, 3, 3], { group: 2, dilations: [2, 2] }, { options: { convWeightGrad: 'swap' } }),

  // ---- Gemm / MatMul ----
  {
    name: 'Gemm plain',
    inputs: { a: { dims: [3, 4] }, b: { dims: [4, 5] }, c: { dims: [5] } },
    build: (b) => b.op('Gemm', ['a', 'b', 'c']),
    dtype: 'float64',
  },
  {
    name: 'Gemm transB alpha beta, C [1, 5]',
    inputs: { a: { dims: [3, 4] }, b: { dims: [5, 4] }, c: { dims: [1, 5] } },
    build: (b) => b.op('Gemm', ['a', 'b', 'c'], { transB: 1, alpha: f(0.5), beta: f(2) }),
    dtype: 'float64',
  },
  {
    name: 'Gemm transA, C [3, 1]',
    inputs: { a: { dims: [4, 3] }, b: { dims: [4, 5] }, c: { dims: [3, 1] } },
    build: (b) => b.op('Gemm', ['a', 'b', 'c'], { transA: 1 }),
    dtype: 'float64',
  },
  {
    name: 'Gemm transA transB, scalar C',
    inputs: { a: { dims: [4, 3] }, b: { dims: [5, 4] }, c: { dims: [] } },
    build: (b) => b.op('Gemm', ['a', 'b', 'c'], { transA: 1, transB: 1, beta: f(0.3) }),
    dtype: 'float64',
  },
  binary('MatMul', [3, 4], [4, 5]),
  binary('MatMul', [2, 3, 4], [2, 4, 5]),
  binary('MatMul', [2, 3, 4], [4, 5]),
  binary('MatMul', [2, 1, 3, 4], [3, 4, 2]),
  binary('MatMul', [4], [4, 5]),
  binary('MatMul', [2, 3, 4], [4]),
  binary('MatMul', [4], [4]),

  // ---- element-wise with broadcasting ----
  binary('Add', [2, 3, 4, 5], [3, 1, 1]),
  binary('Add', [2, 3, 4, 5], [5]),
  binary('Sub', [2, 1, 4, 1], [3, 1, 5]),
  binary('Sub', [2, 3], []),
  binary('Mul', [2, 3, 4, 5], [2, 1, 4, 1]),
  binary('Mul', [3, 4], [3, 4]),
  binary('Div', [2, 3, 4], [3, 1], 'positive'),
  binary('Div', [4], [2, 3, 4], 'positive'),
  {
    name: 'Pow positive base',
    inputs: { a: { dims: [2, 3], fill: 'positive' }, b: { dims: [3] } },
    build: (b) => b.op('Pow', ['a', 'b']),
    dtype: 'float64',
  },
  {
    name: 'Mul of a tensor with itself',
    inputs: { x: { dims: [3, 4] } },
    build: (b) => b.op('Mul', ['x', 'x']),
    dtype: 'float64',
  },
  {
    name: 'Sum of three',
    inputs: { a: { dims: [2, 3] }, b: { dims: [3] }, c: { dims: [2, 1] } },
    build: (b) => b.op('Sum', ['a', 'b', 'c']),
    dtype: 'float64',
  },
  {
    name: 'Where',
    inputs: { a: { dims: [2, 3] }, b: { dims: [3] } },
    build: (b) => b.op('Where', [b.op('Greater', ['a', 'b']), 'a', 'b']),
    dtype: 'float64',
  },

  // ---- activations ----
  unary('Relu', 'spaced'),
  unary('LeakyRelu', 'spaced', { alpha: f(0.1) }),
  unary('Sigmoid'),
  unary('Tanh'),
  unary('HardSigmoid', 'spaced', { alpha: f(0.4), beta: f(0.45) }, 'float32', 3),
  unary('HardSwish', 'spaced', {}, 'float32', 5),
  unary('Exp'),
  unary('Log', 'positive'),
  unary('Sqrt', 'positive'),
  unary('Neg'),
  unary('Reciprocal', 'positive'),
  unary('Abs', 'spaced'),
  unary('Softmax', 'normal', { axis: -1 }),
  unary('Softmax', 'normal', { axis: 1 }),
  unary('LogSoftmax', 'normal', { axis: -1 }),
  unary('LogSoftmax', 'normal', { axis: 0 }),
  {
    name: 'Clip min and max inputs',
    inputs: { x: { dims: [2, 3, 4], fill: 'spaced' } },
    build: (b, dt) => b.op('Clip', ['x', b.weight('lo', [], new (ffloat(dt))([-0.5]), dt), b.weight('hi', [], new (ffloat(dt))([0.4]), dt)]),
    dtype: 'float64',
    step: 1e-3,
  },
  {
    name: 'Clip ReLU6 (min only then both)',
    inputs: { x: { dims: [2, 3, 4], fill: 'spaced', scale: 8 } },
    build: (b, dt) => b.op('Clip', ['x', b.weight('lo', [], new (ffloat(dt))([0]), dt), b.weight('hi', [], new (ffloat(dt))([6]), dt)]),
    dtype: 'float64',
    step: 1e-3,
  },
  {
    name: 'Clip min only',
    inputs: { x: { dims: [2, 3, 4], fill: 'spaced' } },
    build: (b, dt) => b.op('Clip', ['x', b.weight('lo', [], new (ffloat(dt))([0.2]), dt)]),
    dtype: 'float64',
    step: 1e-3,
  },

  // ---- pooling ----
  pool('MaxPool', '2x2 stride 2 (mask)', [2, 3, 6, 6], { kernel_shape: [2, 2], strides: [2, 2] }),
  pool('MaxPool', '2x2 stride 2 on 7x7 (mask, cropped)', [2, 2, 7, 7], { kernel_shape: [2, 2], strides: [2, 2] }),
  pool('MaxPool', '2x2 stride 2 (blocks)', [2, 3, 6, 6], { kernel_shape: [2, 2], strides: [2, 2] }, { options: { maxPoolGrad: 'blocks' } }),
  pool('MaxPool', '2x2 stride 2 on 7x7 (blocks, cropped)', [2, 2, 7, 7], { kernel_shape: [2, 2], strides: [2, 2] }, { options: { maxPoolGrad: 'blocks' } }),
  pool('MaxPool', '3x3 stride 3 on 7x8 (mask, cropped)', [1, 2, 7, 8], { kernel_shape: [3, 3], strides: [3, 3] }),
  pool('AveragePool', '2x2 stride 2 on 7x7 (blocks, cropped)', [2, 2, 7, 7], { kernel_shape: [2, 2], strides: [2, 2] }, { options: { maxPoolGrad: 'blocks' } }),
  pool('MaxPool', '2x2 stride 2 (indices)', [2, 3, 6, 6], { kernel_shape: [2, 2], strides: [2, 2] }, { options: { maxPoolGrad: 'indices' } }),
  pool('MaxPool', '3x3 stride 2 pad 1 (overlapping)', [2, 2, 7, 7], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
  pool('MaxPool', '3x3 stride 2 ceil_mode', [2, 2, 6, 6], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }),
  pool('MaxPool', '2x2 dilation 2', [1, 2, 7, 7], { kernel_shape: [2, 2], dilations: [2, 2] }),
  pool('MaxPool', '1-d kernel 3 stride 3', [2, 3, 9], { kernel_shape: [3], strides: [3] }),
  pool('AveragePool', '2x2 stride 2 (tiles)', [2, 3, 6, 6], { kernel_shape: [2, 2], strides: [2, 2] }),
  pool('AveragePool', '2x2 stride 2 on 7x7 (tiles, cropped)', [2, 2, 7, 7], { kernel_shape: [2, 2], strides: [2, 2] }),
  pool('AveragePool', '3x3 stride 2 pad 1 count_include_pad 0', [2, 2, 7, 7], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
  pool('AveragePool', '3x3 stride 2 pad 1 count_include_pad 1', [2, 2, 7, 7], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 }),
  pool('AveragePool', '3x3 stride 2 pad 1 ceil_mode', [2, 2, 6, 6], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }),
  pool('AveragePool', '3x3 stride 2 pad [1,0,2,1] ceil_mode count_include_pad', [1, 2, 8, 7], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 0, 2, 1], ceil_mode: 1, count_include_pad: 1 }),
  pool('AveragePool', '3x3 stride 1', [2, 2, 5, 5], { kernel_shape: [3, 3] }),
  pool('GlobalAveragePool', '', [2, 3, 4, 5], {}),
  pool('GlobalMaxPool', '', [2, 3, 4, 5], {}),

  // ---- normalization ----
  {
    name: 'BatchNormalization train mode (4-d)',
    inputs: { x: { dims: [4, 3, 3, 3] }, g: { dims: [3], fill: 'positive' }, beta: { dims: [3] } },
    build: (b) => b.op('BatchNormalization', ['x', 'g', 'beta', b.weight('rm', [3], new Float32Array([0.1, -0.2, 0.3])), b.weight('rv', [3], new Float32Array([1, 2, 0.5]))], { epsilon: f(1e-3) }),
    trainForward: true,
  },
  {
    name: 'BatchNormalization train mode (2-d)',
    inputs: { x: { dims: [6, 4] }, g: { dims: [4], fill: 'positive' }, beta: { dims: [4] } },
    build: (b) => b.op('BatchNormalization', ['x', 'g', 'beta', b.weight('rm', [4], new Float32Array(4)), b.weight('rv', [4], new Float32Array(4).fill(1))]),
    trainForward: true,
  },
  {
    name: 'BatchNormalization train mode, statistics by reductions (4-d)',
    inputs: { x: { dims: [4, 3, 3, 3] }, g: { dims: [3], fill: 'positive' }, beta: { dims: [3] } },
    build: (b) => b.op('BatchNormalization', ['x', 'g', 'beta', b.weight('rm', [3], new Float32Array([0.1, -0.2, 0.3])), b.weight('rv', [3], new Float32Array([1, 2, 0.5]))], { epsilon: f(1e-3) }),
    trainForward: true,
    options: { batchNormStats: 'reduce' },
  },
  {
    name: 'BatchNormalization train mode, input far from zero mean (x + 20)',
    inputs: { x: { dims: [4, 3, 3, 3] }, g: { dims: [3], fill: 'positive' }, beta: { dims: [3] } },
    build: (b) => b.op('BatchNormalization', [b.op('Add', ['x', b.weight('shift', [], new Float32Array([20]))]), 'g', 'beta', b.weight('rm', [3], new Float32Array(3)), b.weight('rv', [3], new Float32Array(3).fill(1))]),
    trainForward: true,
  },
  {
    name: 'BatchNormalization frozen mode',
    inputs: { x: { dims: [4, 3, 3, 3] }, g: { dims: [3], fill: 'positive' }, beta: { dims: [3] } },
    build: (b) => b.op('BatchNormalization', ['x', 'g', 'beta', b.weight('rm', [3], new Float32Array([0.1, -0.2, 0.3])), b.weight('rv', [3], new Float32Array([1, 2, 0.5]))]),
    options: { batchNormMode: 'frozen' },
  },

  // ---- moving elements ----
  {
    name: 'Concat axis 1',
    inputs: { a: { dims: [2, 3] }, b: { dims: [2, 4] } },
    build: (b) => b.op('Concat', ['a', 'b'], { axis: 1 }),
    dtype: 'float64',
  },
  {
    name: 'Concat of a tensor with itself',
    inputs: { x: { dims: [2, 3, 2] } },
    build: (b) => b.op('Concat', ['x', 'x', 'x'], { axis: -1 }),
    dtype: 'float64',
  },
  {
    name: 'Split [2, 3] axis 1, both used',
    inputs: { x: { dims: [2, 5] } },
    build: (b) => {
      const [p, q] = b.node('Split', ['x', b.ints('sizes', [2, 3])], { axis: 1 }, 2);
      return b.op('MatMul', [p, q]);
    },
    dtype: 'float64',
  },
  {
    name: 'Split, second output unused',
    inputs: { x: { dims: [4, 3] } },
    build: (b) => b.node('Split', ['x'], { axis: 0 }, 2)[0],
    dtype: 'float64',
  },
  {
    name: 'Flatten axis 2',
    inputs: { x: { dims: [2, 3, 4, 2] } },
    build: (b) => b.op('Flatten', ['x'], { axis: 2 }),
    dtype: 'float64',
  },
  {
    name: 'Reshape with 0 and -1',
    inputs: { x: { dims: [2, 3, 4] } },
    build: (b) => b.op('Reshape', ['x', b.ints('shape', [0, -1, 2])]),
    dtype: 'float64',
  },
  {
    name: 'Transpose',
    inputs: { x: { dims: [2, 3, 4] } },
    build: (b) => b.op('Transpose', ['x'], { perm: [2, 0, 1] }),
    dtype: 'float64',
  },
  {
    name: 'Squeeze then Unsqueeze',
    inputs: { x: { dims: [2, 1, 3] } },
    build: (b) => b.op('Unsqueeze', [b.op('Squeeze', ['x', b.ints('axes', [1])]), b.ints('axes2', [0])]),
    dtype: 'float64',
  },
  {
    name: 'Identity',
    inputs: { x: { dims: [3, 2] } },
    build: (b) => b.op('Identity', ['x']),
    dtype: 'float64',
  },
  {
    name: 'Slice',
    inputs: { x: { dims: [4, 6] } },
    build: (b) => b.op('Slice', ['x', b.ints('s', [1, -4]), b.ints('e', [3, 100]), b.ints('a', [0, 1])]),
    dtype: 'float64',
  },
  {
    name: 'Pad constant',
    inputs: { x: { dims: [2, 3] } },
    build: (b) => b.op('Pad', ['x', b.ints('p', [1, 0, 0, 2])]),
    dtype: 'float64',
  },
  {
    name: 'ReduceSum axes [1] keepdims 0',
    inputs: { x: { dims: [2, 3, 4] } },
    build: (b) => b.op('ReduceSum', ['x', b.ints('axes', [1])], { keepdims: 0 }),
    dtype: 'float64',
  },
  {
    name: 'ReduceMean axes [0, 2] keepdims 1',
    inputs: { x: { dims: [2, 3, 4] } },
    build: (b) => b.op('ReduceMean', ['x'], { axes: [0, 2] }),
    dtype: 'float64',
  },

  // ---- loss ----
  ...(['mean', 'sum', 'none'] as const).map(
    (reduction): OpCase => ({
      name: `SoftmaxCrossEntropyLoss reduction ${reduction}`,
      inputs: { s: { dims: [4, 5] }, labels: { dims: [4], int64: [0, 3, 4, 3] } },
      build: (b) => b.op('SoftmaxCrossEntropyLoss', ['s', 'labels'], { reduction }),
      dtype: 'float64',
    }),
  ),
  {
    name: 'SoftmaxCrossEntropyLoss ignore_index and class weights',
    inputs: { s: { dims: [4, 5] }, labels: { dims: [4], int64: [0, 3, 4, 3] } },
    build: (b) => b.op('SoftmaxCrossEntropyLoss', ['s', 'labels', b.weight('cw', [5], new Float64Array([1, 2, 0.5, 1, 3]), 'float64')], { ignore_index: 4 }),
    dtype: 'float64',
  },
  {
    name: 'SoftmaxCrossEntropyLoss [N, C, d]',
    inputs: { s: { dims: [2, 3, 4] }, labels: { dims: [2, 4], int64: [0, 1, 2, 1, 2, 2, 0, 0] } },
    build: (b) => b.op('SoftmaxCrossEntropyLoss', ['s', 'labels']),
    dtype: 'float64',
  },
];
