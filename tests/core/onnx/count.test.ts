import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src-main/core/onnx/builder';
import { countModel } from '../../../src-main/core/onnx/count';

interface MacCase {
  name: string;
  build(b: GraphBuilder): void;
  macs: number;
  params: number;
}

/** Hand-computed MACs: outputs x (inputs per group x kernel) for convolutions, M x N x K for products. */
const CASES: MacCase[] = [
  {
    name: 'conv 3x3 pad 1 with bias',
    build: (b) => void b.op('Conv', [b.input('x', [1, 3, 8, 8]), b.weight('w', [4, 3, 3, 3]), b.weight('bias', [4])], { pads: [1, 1, 1, 1] }),
    macs: 4 * 8 * 8 * 3 * 9,
    params: 4 * 3 * 9 + 4,
  },
  {
    name: 'grouped conv stride 2',
    build: (b) => void b.op('Conv', [b.input('x', [2, 8, 9, 9]), b.weight('w', [6, 4, 3, 3])], { group: 2, strides: [2, 2] }),
    macs: 2 * 6 * 4 * 4 * 4 * 9,
    params: 6 * 4 * 9,
  },
  {
    name: 'depthwise conv',
    build: (b) => void b.op('Conv', [b.input('x', [1, 16, 10, 10]), b.weight('w', [16, 1, 3, 3])], { group: 16, pads: [1, 1, 1, 1] }),
    macs: 16 * 10 * 10 * 9,
    params: 16 * 9,
  },
  {
    name: 'dilated conv',
    build: (b) => void b.op('Conv', [b.input('x', [1, 2, 11, 11]), b.weight('w', [3, 2, 3, 3])], { dilations: [2, 2] }),
    macs: 3 * 7 * 7 * 2 * 9,
    params: 3 * 2 * 9,
  },
  {
    name: 'conv transpose stride 2',
    build: (b) => void b.op('ConvTranspose', [b.input('x', [1, 4, 5, 5]), b.weight('w', [4, 3, 2, 2])], { strides: [2, 2] }),
    macs: 4 * 5 * 5 * 3 * 4,
    params: 4 * 3 * 4,
  },
  {
    name: 'gemm transB with bias',
    build: (b) => void b.op('Gemm', [b.input('x', [3, 20]), b.weight('w', [7, 20]), b.weight('bias', [7])], { transB: 1 }),
    macs: 3 * 7 * 20,
    params: 7 * 20 + 7,
  },
  {
    name: 'gemm transA',
    build: (b) => void b.op('Gemm', [b.input('x', [20, 3]), b.weight('w', [20, 5])], { transA: 1 }),
    macs: 3 * 5 * 20,
    params: 20 * 5,
  },
  {
    name: 'batched matmul of two activations',
    build: (b) => void b.op('MatMul', [b.input('a', [2, 3, 4, 5]), b.input('c', [2, 3, 5, 6])]),
    macs: 2 * 3 * 4 * 6 * 5,
    params: 0,
  },
  {
    name: 'batch norm statistics are not parameters',
    build: (b) => {
      const x = b.input('x', [1, 4, 2, 2]);
      b.op('BatchNormalization', [x, ...['s', 'bb', 'mean', 'var'].map((n) => b.weight(n, [4]))]);
    },
    macs: 0,
    params: 8,
  },
];

describe('countModel', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const b = new GraphBuilder(13);
    c.build(b);
    const counted = countModel(b.model);
    expect(counted.macs).toBe(c.macs);
    expect(counted.params).toBe(c.params);
  });

  it('counts a weight shared by two nodes once', () => {
    const b = new GraphBuilder(13);
    const w = b.weight('w', [4, 4]);
    const y = b.op('MatMul', [b.op('MatMul', [b.input('x', [1, 4]), w]), w]);
    b.output(y);
    const c = countModel(b.model);
    expect(c.params).toBe(16);
    expect(c.layers.map((l) => l.params)).toEqual([16, 0]);
  });
});
