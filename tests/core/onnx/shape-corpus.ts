/**
 * Small graphs whose inferred shapes must agree with what onnxruntime actually produces. Each
 * case declares inputs and nodes; the test exposes every node output as a graph output.
 */
import { float } from './build';
import type { GraphBuilder } from './build';

export interface ShapeCase {
  name: string;
  opset: number;
  build(b: GraphBuilder): void;
}

const img = (b: GraphBuilder, c: number, h: number, w: number) => b.input('x', [1, c, h, w]);

export const SHAPE_CASES: ShapeCase[] = [
  // ---- Conv
  { name: 'conv 3x3 pad 1', opset: 13, build: (b) => void b.op('Conv', [img(b, 3, 9, 9), b.weight('w', [8, 3, 3, 3])], { pads: [1, 1, 1, 1] }) },
  {
    name: 'conv asymmetric pads, 3x2 kernel, stride 2',
    opset: 13,
    build: (b) => void b.op('Conv', [img(b, 2, 7, 9), b.weight('w', [4, 2, 3, 2])], { strides: [2, 2], pads: [0, 1, 2, 3] }),
  },
  {
    name: 'conv dilation 2 stride 3',
    opset: 11,
    build: (b) => void b.op('Conv', [img(b, 3, 17, 15), b.weight('w', [5, 3, 3, 3])], { strides: [3, 3], dilations: [2, 2], pads: [1, 0, 1, 0] }),
  },
  {
    name: 'conv group 2 with bias',
    opset: 13,
    build: (b) => void b.op('Conv', [img(b, 4, 8, 8), b.weight('w', [6, 2, 3, 3]), b.weight('bias', [6])], { group: 2 }),
  },
  {
    name: 'depthwise conv stride 2',
    opset: 13,
    build: (b) => void b.op('Conv', [img(b, 6, 11, 11), b.weight('w', [6, 1, 3, 3])], { group: 6, strides: [2, 2], pads: [1, 1, 1, 1] }),
  },
  {
    name: 'conv SAME_UPPER stride 2 odd input',
    opset: 13,
    build: (b) => void b.op('Conv', [img(b, 3, 9, 7), b.weight('w', [4, 3, 3, 3])], { auto_pad: 'SAME_UPPER', strides: [2, 2] }),
  },
  {
    name: 'conv SAME_LOWER stride 3 even kernel',
    opset: 13,
    build: (b) => void b.op('Conv', [img(b, 3, 10, 8), b.weight('w', [4, 3, 4, 4])], { auto_pad: 'SAME_LOWER', strides: [3, 3] }),
  },
  {
    name: 'conv VALID stride 2',
    opset: 13,
    build: (b) => void b.op('Conv', [img(b, 3, 10, 9), b.weight('w', [4, 3, 3, 2])], { auto_pad: 'VALID', strides: [2, 2] }),
  },
  {
    name: 'conv 1-d',
    opset: 13,
    build: (b) => void b.op('Conv', [b.input('x', [1, 3, 20]), b.weight('w', [4, 3, 5])], { strides: [3], pads: [2, 1] }),
  },
  {
    name: 'conv 3-d',
    opset: 13,
    build: (b) => void b.op('Conv', [b.input('x', [1, 2, 5, 6, 7]), b.weight('w', [3, 2, 3, 3, 3])], { pads: [1, 0, 1, 1, 0, 1] }),
  },
  // ---- ConvTranspose
  {
    name: 'conv transpose stride 2 output_padding 1',
    opset: 13,
    build: (b) =>
      void b.op('ConvTranspose', [img(b, 4, 5, 6), b.weight('w', [4, 3, 3, 3])], { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] }),
  },
  {
    name: 'conv transpose group 2 dilation 2',
    opset: 11,
    build: (b) => void b.op('ConvTranspose', [img(b, 4, 5, 5), b.weight('w', [4, 3, 3, 2])], { group: 2, dilations: [2, 2], strides: [3, 2] }),
  },
  {
    name: 'conv transpose output_shape',
    opset: 13,
    build: (b) => void b.op('ConvTranspose', [img(b, 2, 4, 4), b.weight('w', [2, 3, 3, 3])], { strides: [2, 2], output_shape: [10, 9] }),
  },
  {
    name: 'conv transpose SAME_UPPER',
    opset: 13,
    build: (b) => void b.op('ConvTranspose', [img(b, 2, 5, 4), b.weight('w', [2, 2, 3, 3])], { strides: [2, 2], auto_pad: 'SAME_UPPER' }),
  },
  // ---- pooling
  {
    name: 'maxpool ceil_mode',
    opset: 12,
    build: (b) => void b.op('MaxPool', [img(b, 3, 8, 8)], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }),
  },
  {
    name: 'maxpool ceil_mode drops a window starting in the padding',
    opset: 12,
    build: (b) => void b.op('MaxPool', [img(b, 2, 5, 7)], { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }),
  },
  {
    name: 'maxpool dilations with Indices output',
    opset: 12,
    build: (b) => void b.node('MaxPool', [img(b, 2, 11, 10)], { kernel_shape: [3, 2], strides: [2, 1], dilations: [2, 2], pads: [1, 0, 0, 1] }, 2),
  },
  {
    name: 'maxpool SAME_UPPER',
    opset: 11,
    build: (b) => void b.op('MaxPool', [img(b, 2, 9, 6)], { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' }),
  },
  {
    name: 'averagepool ceil_mode count_include_pad',
    opset: 11,
    build: (b) =>
      void b.op('AveragePool', [img(b, 3, 10, 7)], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1, count_include_pad: 1 }),
  },
  {
    name: 'averagepool VALID 1-d',
    opset: 19,
    build: (b) => void b.op('AveragePool', [b.input('x', [1, 2, 13])], { kernel_shape: [4], strides: [3], auto_pad: 'VALID' }),
  },
  {
    name: 'global pools',
    opset: 13,
    build: (b) => {
      const x = img(b, 5, 7, 6);
      b.op('GlobalAveragePool', [x]);
      b.op('GlobalMaxPool', [x]);
    },
  },
  // ---- Gemm / MatMul
  {
    name: 'gemm transB with bias',
    opset: 13,
    build: (b) => void b.op('Gemm', [b.input('x', [2, 12]), b.weight('w', [5, 12]), b.weight('bias', [5])], { transB: 1 }),
  },
  {
    name: 'gemm transA',
    opset: 11,
    build: (b) => void b.op('Gemm', [b.input('x', [6, 3]), b.weight('w', [6, 4])], { transA: 1, alpha: float(0.5) }),
  },
  {
    name: 'matmul batched by 2-d',
    opset: 13,
    build: (b) => void b.op('MatMul', [b.input('x', [2, 3, 4, 5]), b.weight('w', [5, 6])]),
  },
  {
    name: 'matmul broadcast batch dims',
    opset: 13,
    build: (b) => void b.op('MatMul', [b.input('a', [2, 1, 4, 5]), b.input('b', [3, 5, 6])]),
  },
  {
    name: 'matmul with vectors',
    opset: 13,
    build: (b) => {
      b.op('MatMul', [b.input('v', [5]), b.input('m', [2, 5, 3])]);
      b.op('MatMul', [b.input('m2', [4, 5]), b.input('v2', [5])]);
    },
  },
  // ---- element-wise
  {
    name: 'binary broadcasting',
    opset: 13,
    build: (b) => {
      const x = img(b, 3, 4, 4);
      const add = b.op('Add', [x, b.weight('c', [3, 1, 1])]);
      const mul = b.op('Mul', [add, b.input('row', [4])]);
      const sub = b.op('Sub', [b.input('col', [2, 1, 1, 1]), mul]);
      b.op('Div', [sub, b.weight('s', [])]);
    },
  },
  {
    name: 'activations and normalisation',
    opset: 14,
    build: (b) => {
      const x = img(b, 3, 5, 5);
      const bn = b.op('BatchNormalization', [x, b.weight('g', [3]), b.weight('be', [3]), b.weight('m', [3]), b.weight('v', [3])]);
      const r = b.op('Relu', [bn]);
      const l = b.op('LeakyRelu', [r], { alpha: float(0.1) });
      const s = b.op('Sigmoid', [l]);
      const hs = b.op('HardSigmoid', [s]);
      const hw = b.op('HardSwish', [hs]);
      const lrn = b.op('LRN', [hw], { size: 3 });
      b.op('Softmax', [lrn], { axis: 1 });
      b.op('LogSoftmax', [lrn], { axis: -1 });
      b.node('Dropout', [lrn], {}, 2);
    },
  },
  {
    name: 'clip opset 6 attributes (relu6)',
    opset: 6,
    build: (b) => void b.op('Clip', [img(b, 2, 3, 3)], { min: float(0), max: float(6) }),
  },
  {
    name: 'clip opset 13 inputs',
    opset: 13,
    build: (b) => {
      const min = b.weight('min', [], Float32Array.of(0));
      b.op('Clip', [img(b, 2, 3, 3), min, b.weight('max', [], Float32Array.of(6))]);
      b.op('Clip', ['x', '', 'max']);
    },
  },
  {
    name: 'cast',
    opset: 13,
    build: (b) => {
      const c = b.op('Cast', [img(b, 2, 3, 3)], { to: 7 });
      b.op('Cast', [c], { to: 11 });
    },
  },
  // ---- Concat / Split
  {
    name: 'concat positive and negative axes',
    opset: 13,
    build: (b) => {
      b.op('Concat', [img(b, 3, 4, 4), b.input('y', [1, 2, 4, 4])], { axis: 1 });
      b.op('Concat', ['x', b.input('z', [1, 3, 4, 5])], { axis: -1 });
    },
  },
  {
    name: 'split opset 11 attribute',
    opset: 11,
    build: (b) => void b.node('Split', [img(b, 6, 4, 4)], { axis: 1, split: [1, 2, 3] }, 3),
  },
  {
    name: 'split opset 13 input and equal parts',
    opset: 13,
    build: (b) => {
      b.node('Split', [img(b, 6, 4, 4), b.ints('sizes', [3, 1])], { axis: -2 }, 2);
      b.node('Split', ['x'], { axis: 1 }, 3);
    },
  },
  {
    name: 'split opset 18 num_outputs uneven',
    opset: 18,
    build: (b) => void b.node('Split', [img(b, 7, 2, 2)], { axis: 1, num_outputs: 3 }, 3),
  },
  // ---- Reshape / Flatten / Transpose / Squeeze / Unsqueeze
  {
    name: 'reshape 0 and -1',
    opset: 13,
    build: (b) => {
      const x = img(b, 3, 4, 5);
      b.op('Reshape', [x, b.ints('s1', [0, -1])]);
      b.op('Reshape', [x, b.ints('s2', [0, 0, -1, 2])]);
    },
  },
  {
    name: 'reshape allowzero (opset 14)',
    opset: 14,
    build: (b) => void b.op('Reshape', [img(b, 2, 3, 4), b.ints('s', [4, 6])], { allowzero: 1 }),
  },
  {
    name: 'flatten axes',
    opset: 13,
    build: (b) => {
      const x = img(b, 3, 4, 5);
      b.op('Flatten', [x], { axis: 0 });
      b.op('Flatten', [x], { axis: 2 });
      b.op('Flatten', [x], { axis: -1 });
      b.op('Flatten', [x]);
    },
  },
  {
    name: 'transpose',
    opset: 13,
    build: (b) => {
      const x = img(b, 3, 4, 5);
      b.op('Transpose', [x], { perm: [0, 2, 3, 1] });
      b.op('Transpose', [x]);
    },
  },
  {
    name: 'squeeze and unsqueeze opset 11 attributes',
    opset: 11,
    build: (b) => {
      const x = b.input('x', [1, 3, 1, 5]);
      b.op('Squeeze', [x], { axes: [0, -2] });
      b.op('Squeeze', [x]);
      b.op('Unsqueeze', [x], { axes: [0, -1] });
    },
  },
  {
    name: 'squeeze and unsqueeze opset 13 inputs',
    opset: 13,
    build: (b) => {
      const x = b.input('x', [1, 3, 1, 5]);
      b.op('Squeeze', [x, b.ints('sq', [2])]);
      b.op('Squeeze', [x]);
      b.op('Unsqueeze', [x, b.ints('uq', [1, -1])]);
    },
  },
  // ---- Pad / Shape / Gather / Slice / Reduce
  {
    name: 'pad opset 2 attribute',
    opset: 2,
    build: (b) => void b.op('Pad', [img(b, 2, 3, 3)], { pads: [0, 0, 1, 2, 0, 0, 3, 0] }),
  },
  {
    name: 'pad opset 11 input',
    opset: 11,
    build: (b) => void b.op('Pad', [img(b, 2, 3, 3), b.ints('pads', [0, 1, 1, 0, 0, 0, 2, 2])], { mode: 'reflect' }),
  },
  {
    name: 'pad opset 18 axes',
    opset: 18,
    build: (b) => void b.op('Pad', [img(b, 2, 3, 3), b.ints('pads', [1, 0, 2, 3]), '', b.ints('axes', [-1, 2])]),
  },
  {
    name: 'shape start/end and gather',
    opset: 15,
    build: (b) => {
      const x = img(b, 3, 4, 5);
      b.op('Shape', [x], { start: 1, end: -1 });
      b.op('Shape', [x], { start: -2 });
      b.op('Gather', [x, b.weight('idx', [2, 2], BigInt64Array.of(0n, 2n, 1n, 0n), 'int64')], { axis: 2 });
    },
  },
  {
    name: 'slice opset 13 with negative step',
    opset: 13,
    build: (b) =>
      void b.op('Slice', [img(b, 3, 10, 8), b.ints('st', [-1, 1]), b.ints('en', [-100, 7]), b.ints('ax', [2, 3]), b.ints('sp', [-3, 2])]),
  },
  {
    name: 'reduce mean opset 13 attribute and opset 18 input',
    opset: 13,
    build: (b) => {
      b.op('ReduceMean', [img(b, 3, 4, 5)], { axes: [2, 3], keepdims: 0 });
      b.op('ReduceMean', ['x']);
    },
  },
  {
    name: 'reduce mean opset 18 input',
    opset: 18,
    build: (b) => void b.op('ReduceMean', [img(b, 3, 4, 5), b.ints('axes', [-1])], { keepdims: 1 }),
  },
  {
    name: 'reduce sum opset 13 input, argmax',
    opset: 13,
    build: (b) => {
      b.op('ReduceSum', [img(b, 3, 4, 5), b.ints('axes', [1, -1])], { keepdims: 0 });
      b.op('ArgMax', ['x'], { axis: 1, keepdims: 0 });
    },
  },
  // ---- chains
  ...[11, 13].map(
    (opset): ShapeCase => ({
      name: `PyTorch flatten chain (opset ${opset})`,
      opset,
      build: (b) => {
        const x = b.input('x', ['batch', 3, 4, 4]);
        const shape = b.op('Shape', [x]);
        const n = b.op('Gather', [shape, b.op('Constant', [], { value: { kind: 'tensor', value: { name: '', dtype: 'int64', dims: [], data: BigInt64Array.of(0n) } } })], { axis: 0 });
        const u = opset < 13 ? b.op('Unsqueeze', [n], { axes: [0] }) : b.op('Unsqueeze', [n, b.ints('ax0', [0])]);
        const target = b.op('Concat', [u, b.ints('minus1', [-1])], { axis: 0 });
        const flat = b.op('Reshape', [x, target]);
        b.op('Gemm', [flat, b.weight('fc', [10, 48]), b.weight('fcb', [10])], { transB: 1 });
      },
    }),
  ),
  {
    name: 'residual block',
    opset: 13,
    build: (b) => {
      const x = img(b, 4, 6, 6);
      const bn = (y: string, p: string) =>
        b.op('BatchNormalization', [y, b.weight(`${p}g`, [4]), b.weight(`${p}b`, [4]), b.weight(`${p}m`, [4]), b.weight(`${p}v`, [4])]);
      const c1 = bn(b.op('Conv', [x, b.weight('w1', [4, 4, 3, 3])], { pads: [1, 1, 1, 1] }), 'bn1');
      const c2 = bn(b.op('Conv', [b.op('Relu', [c1]), b.weight('w2', [4, 4, 3, 3])], { pads: [1, 1, 1, 1] }), 'bn2');
      b.op('Relu', [b.op('Add', [c2, x])]);
    },
  },
  {
    name: 'dynamic batch through conv, pool and flatten',
    opset: 13,
    build: (b) => {
      const x = b.input('x', ['N', 3, 8, 8]);
      const p = b.op('MaxPool', [b.op('Conv', [x, b.weight('w', [4, 3, 3, 3])])], { kernel_shape: [2, 2], strides: [2, 2] });
      b.op('Gemm', [b.op('Flatten', [p]), b.weight('fc', [5, 36])], { transB: 1 });
    },
  },
  {
    name: 'constant shape and computed reshape target',
    opset: 13,
    build: (b) => {
      const x = img(b, 2, 3, 4);
      const c = b.op('Constant', [], { value_ints: [1, 2] });
      const s = b.op('Shape', [x]);
      const hw = b.op('Slice', [s, b.ints('s0', [2]), b.ints('s1', [4])]);
      const prod = b.op('Mul', [b.op('Gather', [hw, b.ints('i0', [0])]), b.op('Gather', [hw, b.ints('i1', [1])])]);
      b.op('Reshape', [x, b.op('Concat', [c, prod], { axis: 0 })]);
    },
  },
  {
    name: 'expand',
    opset: 13,
    build: (b) => void b.op('Expand', [b.input('x', [3, 1]), b.ints('shape', [2, 1, 4])]),
  },
  // ---- Resize / Upsample
  {
    name: 'resize by scales (opset 13, roi omitted)',
    opset: 13,
    build: (b) => void b.op('Resize', [img(b, 2, 5, 7), '', b.weight('scales', [4], Float32Array.of(1, 1, 2, 1.5))], { mode: 'nearest' }),
  },
  {
    name: 'resize to sizes (opset 13)',
    opset: 13,
    build: (b) => void b.op('Resize', [img(b, 2, 5, 7), '', '', b.ints('sizes', [1, 2, 11, 3])], { mode: 'linear' }),
  },
  {
    name: 'resize by scales (opset 11, empty roi)',
    opset: 11,
    build: (b) => void b.op('Resize', [img(b, 1, 4, 4), b.weight('roi', [0], new Float32Array(0)), b.weight('scales', [4], Float32Array.of(1, 1, 0.5, 3))]),
  },
  {
    name: 'upsample (opset 9)',
    opset: 9,
    build: (b) => void b.op('Upsample', [img(b, 3, 4, 5), b.weight('scales', [4], Float32Array.of(1, 1, 2, 2))]),
  },
  // ---- Quantization
  {
    name: 'quantize and dequantize',
    opset: 13,
    build: (b) => {
      const scale = b.weight('scale', [], Float32Array.of(0.05));
      const zp = b.weight('zp', [], Uint8Array.of(128), 'uint8');
      b.op('DequantizeLinear', [b.op('QuantizeLinear', [img(b, 2, 3, 3), scale, zp]), scale, zp]);
    },
  },
  {
    name: 'dynamic quantize then MatMulInteger',
    opset: 13,
    build: (b) => {
      const [q, , zp] = b.node('DynamicQuantizeLinear', [b.input('x', [5, 6])], {}, 3);
      b.op('MatMulInteger', [q, b.weight('w', [6, 4], Uint8Array.from({ length: 24 }, (_, i) => (i * 7) % 255), 'uint8'), zp]);
    },
  },
  {
    name: 'dynamic quantize then ConvInteger',
    opset: 13,
    build: (b) => {
      const [q, , zp] = b.node('DynamicQuantizeLinear', [img(b, 3, 8, 8)], {}, 3);
      b.op('ConvInteger', [q, b.weight('w', [4, 3, 3, 3], Uint8Array.from({ length: 108 }, (_, i) => (i * 5) % 255), 'uint8'), zp], { pads: [1, 1, 1, 1], strides: [2, 2] });
    },
  },
  {
    name: 'QLinearConv and QLinearMatMul',
    opset: 13,
    build: (b) => {
      const [q, s, zp] = b.node('DynamicQuantizeLinear', [img(b, 3, 8, 8)], {}, 3);
      const ws = b.weight('ws', [], Float32Array.of(0.02));
      const wzp = b.weight('wzp', [], Uint8Array.of(128), 'uint8');
      const ys = b.weight('ys', [], Float32Array.of(0.1));
      const yzp = b.weight('yzp', [], Uint8Array.of(100), 'uint8');
      const c = b.op('QLinearConv', [q, s, zp, b.weight('w', [4, 3, 3, 3], Uint8Array.from({ length: 108 }, (_, i) => (i * 3) % 255), 'uint8'), ws, wzp, ys, yzp], { pads: [1, 1, 1, 1] });
      const flat = b.op('Reshape', [c, b.ints('to', [4, 64])]);
      b.op('QLinearMatMul', [flat, ys, yzp, b.weight('m', [64, 5], Uint8Array.from({ length: 320 }, (_, i) => (i * 11) % 255), 'uint8'), ws, wzp, ys, yzp]);
    },
  },
];
