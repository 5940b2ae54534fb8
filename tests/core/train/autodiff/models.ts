/** Small models for the whole-network gradient tests, written with the graph builder. */
import { GraphBuilder } from '../../../../src-main/core/onnx/builder';
import type { Model } from '../../../../src-main/core/onnx/ir';
import { fill, typedArray } from './harness';
import type { FloatType } from './harness';

function param(b: GraphBuilder, name: string, dims: number[], seed: number, dtype: FloatType = 'float32', scale = 0.5): string {
  const n = dims.reduce((x, y) => x * y, 1);
  return b.weight(name, dims, typedArray(dtype, fill(n, 'normal', seed).map((v) => v * scale)), dtype);
}

/** Conv-BN-Relu-MaxPool-Conv-Relu-GlobalAveragePool-Gemm, input [N, 2, 8, 8], 4 classes. */
export function smallCnn(): Model {
  const b = new GraphBuilder(17);
  b.input('x', ['N', 2, 8, 8]);
  let t = b.op('Conv', ['x', param(b, 'c1.w', [4, 2, 3, 3], 1), param(b, 'c1.b', [4], 2)], { pads: [1, 1, 1, 1] });
  const ch = (name: string, v: number) => b.weight(name, [4], new Float32Array(4).fill(v));
  t = b.op('BatchNormalization', [t, param(b, 'bn.g', [4], 3, 'float32', 0.3), ch('bn.b', 0.1), ch('bn.rm', 0), ch('bn.rv', 1)]);
  t = b.op('MaxPool', [b.op('Relu', [t])], { kernel_shape: [2, 2], strides: [2, 2] });
  t = b.op('Relu', [b.op('Conv', [t, param(b, 'c2.w', [6, 4, 3, 3], 4), param(b, 'c2.b', [6], 5)], { pads: [1, 1, 1, 1] })]);
  t = b.op('Flatten', [b.op('GlobalAveragePool', [t])]);
  b.output(b.op('Gemm', [t, param(b, 'fc.w', [4, 6], 6), param(b, 'fc.b', [4], 7)], { transB: 1 }));
  // gamma near 1 keeps BN's output scale sensible.
  const g = b.model.graph.initializers.get('bn.g')!;
  g.data = Float32Array.from(g.data as Float32Array, (v) => 1 + v);
  return b.model;
}

/**
 * The shape of a PyTorch (opset 11) export of `fc(relu(conv(x)).view(x.size(0), -1))`:
 * Shape -> Gather -> Unsqueeze (axes attribute) -> Concat -> Reshape, Gemm with transB = 1,
 * a symbolic batch dim.
 */
export function torchStyle(dtype: FloatType = 'float32'): Model {
  const b = new GraphBuilder(11);
  b.input('input', ['batch_size', 1, 6, 6], dtype);
  const conv = b.op('Relu', [b.op('Conv', ['input', param(b, 'conv.weight', [3, 1, 3, 3], 11, dtype), param(b, 'conv.bias', [3], 12, dtype)])]);
  const batch = b.op('Gather', [b.op('Shape', ['input']), b.weight('zero', [], new BigInt64Array([0n]), 'int64')], { axis: 0 });
  const shape = b.op('Concat', [b.op('Unsqueeze', [batch], { axes: [0] }), b.ints('minus_one', [-1])], { axis: 0 });
  const flat = b.op('Reshape', [conv, shape]);
  b.output(b.op('Gemm', [flat, param(b, 'fc.weight', [5, 48], 13, dtype, 0.2), param(b, 'fc.bias', [5], 14, dtype)], { transB: 1, alpha: { kind: 'float', value: 1 }, beta: { kind: 'float', value: 1 } }), dtype);
  return b.model;
}

/** A two-layer MLP in float64, for exact loss checks. */
export function mlp(dtype: FloatType = 'float64'): Model {
  const b = new GraphBuilder(17);
  b.input('x', ['N', 3], dtype);
  const h = b.op('Sigmoid', [b.op('Gemm', ['x', param(b, 'w1', [5, 3], 21, dtype), param(b, 'b1', [5], 22, dtype)], { transB: 1 })]);
  b.output(b.op('MatMul', [h, param(b, 'w2', [5, 4], 23, dtype)]), dtype);
  return b.model;
}

/**
 * One of each layer the gradient formulations treat differently, input [N, 1, 12, 12], 5
 * classes: a one-channel stem (conv3x3-BN-ReLU), a 3x3 conv, 2x2 max pooling, a MobileNetV2
 * block (1x1 expand-BN-ReLU6, depthwise 3x3 stride 2-BN-ReLU6, 1x1 project-BN) with a residual
 * 1x1 stride-2 shortcut, global average pooling and a Gemm.
 */
export function mixedNet(): Model {
  const b = new GraphBuilder(17);
  b.input('x', ['N', 1, 12, 12]);
  let serial = 0;
  const bn = (x: string, c: number) => {
    const k = serial++;
    const ch = (v: number) => Float32Array.from({ length: c }, (_, i) => v + 0.05 * i);
    return b.op('BatchNormalization', [x, b.weight(`bn${k}.g`, [c], ch(1)), b.weight(`bn${k}.b`, [c], ch(0.1)), b.weight(`bn${k}.m`, [c], ch(0)), b.weight(`bn${k}.v`, [c], ch(1))]);
  };
  const conv = (x: string, o: number, c: number, k: number, attrs: Record<string, number | number[]> = {}, group = 1) =>
    b.op('Conv', [x, param(b, `conv${serial++}.w`, [o, c / group, k, k], 100 + serial, 'float32', 0.6)], { ...attrs, ...(group > 1 ? { group } : {}) });
  const relu6 = (x: string) => b.op('Clip', [x, b.weight(`lo${serial}`, [], new Float32Array([0])), b.weight(`hi${serial++}`, [], new Float32Array([6]))]);
  let t = b.op('Relu', [bn(conv('x', 8, 1, 3, { pads: [1, 1, 1, 1] }), 8)]);
  t = b.op('Relu', [bn(conv(t, 8, 8, 3, { pads: [1, 1, 1, 1] }), 8)]);
  t = b.op('MaxPool', [t], { kernel_shape: [2, 2], strides: [2, 2] });
  const expanded = relu6(bn(conv(t, 24, 8, 1), 24));
  const depthwise = relu6(bn(conv(expanded, 24, 24, 3, { pads: [1, 1, 1, 1], strides: [2, 2] }, 24), 24));
  const projected = bn(conv(depthwise, 12, 24, 1), 12);
  t = b.op('Add', [projected, bn(conv(t, 12, 8, 1, { strides: [2, 2] }), 12)]);
  t = b.op('Flatten', [b.op('GlobalAveragePool', [t])]);
  b.output(b.op('Gemm', [t, param(b, 'fc.w', [5, 12], 7, 'float32', 0.5), param(b, 'fc.b', [5], 8)], { transB: 1 }));
  return b.model;
}
