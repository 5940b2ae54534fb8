import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../src-main/core/onnx/builder';
import type { Model } from '../../../../src-main/core/onnx/ir';
import { differentiate } from '../../../../src-main/core/train/autodiff/differentiate';
import { buildGradientGraph } from '../../../../src-main/core/train/autodiff/gradient-graph';
import type { AutodiffOptions } from '../../../../src-main/core/train/autodiff/rule';
import { chooseWeightGrad } from '../../../../src-main/core/train/autodiff/rules/conv-weight';
import type { WeightGradMethod } from '../../../../src-main/core/train/autodiff/rules/conv-weight';
import { fill, session, tensor, values } from './harness';
import type { Feeds } from './harness';
import { mixedNet } from './models';

/** The formulations before the per-layer choice, kept selectable (bench/train/bench-train-step.ts). */
const LEGACY: Partial<AutodiffOptions> = { convWeightGrad: 'im2col', batchNormStats: 'reduce', maxPoolGrad: 'blocks' };

function feedsFor(train: Model, source: Model, batch: number): Feeds {
  const feeds: Feeds = {};
  train.graph.inputs.forEach((v, i) => {
    const dims = (v.shape ?? []).map((d) => (typeof d === 'number' ? d : batch));
    const n = dims.reduce((a, b) => a * b, 1);
    const w = source.graph.initializers.get(v.name);
    if (v.dtype === 'int64') feeds[v.name] = new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, j) => BigInt(j % 5)), dims);
    else if (w) feeds[v.name] = new ort.Tensor('float32', w.data as Float32Array, dims);
    else feeds[v.name] = tensor('float32', fill(n, 'normal', 60 + i), dims);
  });
  return feeds;
}

function closeTo(actual: number[], expected: number[], rtol: number): boolean {
  const scale = Math.max(...expected.map(Math.abs));
  return actual.every((v, i) => Math.abs(v - expected[i]) <= rtol * scale);
}

describe('the per-layer formulations', () => {
  const geometry = (c: number, o: number, size: number, kernel: number, stride = 1, group = 1) => {
    const out = Math.floor((size + kernel - 1 - kernel) / stride) + 1;
    const pad = (kernel - 1) / 2;
    return {
      x: 'x',
      dy: 'dy',
      wDims: [o, c / group, kernel, kernel],
      channels: c,
      group,
      window: { kernel: [kernel, kernel], strides: [stride, stride], dilations: [1, 1], pads: [pad, pad, pad, pad], input: [size, size], output: [out, out] },
    };
  };
  const cases: [string, ReturnType<typeof geometry>, WeightGradMethod][] = [
    ['VGG 3x3 32 -> 32 at 28x28', geometry(32, 32, 28, 3), 'batchlast'],
    ['stem 3x3 1 -> 32', geometry(1, 32, 28, 3), 'stacked'],
    ['stem 3x3 3 -> 16', geometry(3, 16, 28, 3), 'stacked'],
    ['expand 1x1 16 -> 96 at 28x28', geometry(16, 96, 28, 1), 'batched'],
    ['shortcut 1x1 16 -> 32 stride 2', geometry(16, 32, 28, 1, 2), 'batched'],
    ['project 1x1 384 -> 96 at 7x7', geometry(384, 96, 7, 1), 'im2col'],
    ['depthwise 3x3 96 stride 2', geometry(96, 96, 28, 3, 2, 96), 'depthwise'],
    ['grouped 3x3 8 -> 8 in 2 groups', geometry(8, 8, 14, 3, 1, 2), 'im2col'],
  ];
  for (const [name, input, method] of cases) it(`'auto' takes '${method}' for ${name}`, () => expect(chooseWeightGrad(input)).toBe(method));

  it('give the gradients and running statistics of the earlier formulations on a mixed net (optimization level all)', async () => {
    const model = mixedNet();
    const loss = { kind: 'cross-entropy' as const, labels: 'labels' };
    const current = buildGradientGraph(model, { loss });
    const legacy = buildGradientGraph(model, { loss, ...LEGACY });
    // The default graph really uses the new forms: grouped swap Conv, training-mode BN, Resize.
    const ops = new Set(current.graph.nodes.map((n) => n.opType));
    expect(['Resize', 'AveragePool'].every((op) => ops.has(op))).toBe(true);
    expect(current.graph.nodes.filter((n) => n.opType === 'BatchNormalization' && n.outputs.length === 3)).toHaveLength(6);
    expect(legacy.graph.nodes.some((n) => n.opType === 'SpaceToDepth')).toBe(true);
    const feeds = feedsFor(current, model, 4);
    const [a, b] = await Promise.all([current, legacy].map(async (m) => (await session(m, 'all')).run(feeds)));
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    for (const name of Object.keys(b)) {
      if (!closeTo(values(a[name]), values(b[name]), 2e-4)) throw new Error(`Output '${name}' differs: ${values(a[name]).slice(0, 4)} against ${values(b[name]).slice(0, 4)}.`);
    }
  });
});

describe('training-mode BatchNormalization by the kernel', () => {
  it('keeps the statistics of several same-width nodes apart (the kernel writes over its running inputs)', async () => {
    // Three BNs of the same width, two of them on the same tensor: every private running input
    // looks alike to onnxruntime's optimisers, which must not merge them.
    const b = new GraphBuilder(17);
    b.input('x', [4, 3, 2, 2]);
    const ch = (name: string, v: number[]) => b.weight(name, [3], Float32Array.from(v));
    const bn = (x: string, k: number) => b.op('BatchNormalization', [x, ch(`g${k}`, [1, 2, 3]), ch(`b${k}`, [0, 0.5, 1]), ch(`m${k}`, [0, 0, 0]), ch(`v${k}`, [1, 1, 1])]);
    const y1 = bn('x', 1);
    const y2 = bn('x', 2);
    const y3 = bn(b.op('Mul', [y1, y2]), 3);
    const r = b.weight('R', [4, 3, 2, 2], Float32Array.from(fill(48, 'normal', 3)));
    b.node('ReduceSum', [b.op('Mul', [b.op('Add', [y3, y1]), r])], { keepdims: 0 }, ['loss']);
    b.output('loss');
    const feeds = { x: tensor('float32', fill(48, 'normal', 4).map((v, i) => v + (i % 3)), [4, 3, 2, 2]) };
    const outputs = async (stats: AutodiffOptions['batchNormStats']) => {
      const grad = differentiate(b.model, { loss: 'loss', wrt: ['x', 'g1', 'b2', 'g3'], batchNormStats: stats });
      const s = await session(grad, 'all');
      // Twice: a run must not leave anything behind for the next.
      await s.run(feeds);
      return s.run(feeds);
    };
    const [kernel, reduce] = await Promise.all([outputs('kernel'), outputs('reduce')]);
    for (const name of Object.keys(reduce)) expect(values(kernel[name]), name).toEqual(values(reduce[name]).map((v) => expect.closeTo(v, 4)));
  });
});
