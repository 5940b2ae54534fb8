import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../src-main/core/onnx/builder';
import type { Model } from '../../../../src-main/core/onnx/ir';
import { encodeOnnx } from '../../../../src-main/core/onnx/write';
import { buildGradientGraph, planTraining } from '../../../../src-main/core/train/autodiff/gradient-graph';
import { differentiate } from '../../../../src-main/core/train/autodiff/differentiate';
import { GradientError } from '../../../../src-main/core/train/autodiff/errors';
import { checkGradients, fill, session, tensor, values } from './harness';
import type { Feeds, FloatType } from './harness';
import { mlp, smallCnn, torchStyle } from './models';

/** Feeds for every graph input: float data from `fill`, weights from the source model, labels cycling. */
function feedsFor(train: Model, source: Model, batch: number, labels: number[] = []): Feeds {
  const feeds: Feeds = {};
  train.graph.inputs.forEach((v, i) => {
    const dims = (v.shape ?? []).map((d) => (typeof d === 'number' ? d : batch));
    const n = dims.reduce((a, b) => a * b, 1);
    const w = source.graph.initializers.get(v.name);
    if (v.dtype === 'int64') feeds[v.name] = new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, j) => BigInt(labels[j] ?? j % 3)), dims);
    else if (w) feeds[v.name] = new ort.Tensor(v.dtype as 'float32', w.data as Float32Array, dims);
    else feeds[v.name] = tensor(v.dtype as FloatType, fill(n, 'normal', 40 + i), dims);
  });
  return feeds;
}

/** x -> body -> loss = ReduceSum(out * R); returns the model with `extra` outputs kept. */
function withLoss(b: GraphBuilder, out: string, dims: number[], dtype: FloatType = 'float32'): Model {
  const n = dims.reduce((x, y) => x * y, 1);
  const r = b.weight('R', dims, dtype === 'float64' ? Float64Array.from(fill(n, 'normal', 3)) : Float32Array.from(fill(n, 'normal', 3)), dtype);
  b.node('ReduceSum', [b.op('Mul', [out, r])], { keepdims: 0 }, ['loss']);
  b.output('loss', dtype);
  return b.model;
}

describe('gradient accumulation', () => {
  it('sums the gradients of a residual block, a weight used twice and a reused input', async () => {
    const b = new GraphBuilder(17);
    b.input('x', [2, 3, 5, 5]);
    b.input('w1', [3, 3, 3, 3]);
    b.input('w2', [3, 3, 3, 3]);
    // Smooth activations: finite differences on weights would otherwise cross ReLU kinks.
    const h = b.op('Tanh', [b.op('Conv', ['x', 'w1'], { pads: [1, 1, 1, 1] })]);
    const twice = b.op('Conv', [b.op('Conv', [h, 'w2'], { pads: [1, 1, 1, 1] }), 'w2'], { pads: [1, 1, 1, 1] });
    const out = b.op('Sigmoid', [b.op('Add', [twice, 'x'])]);
    const model = withLoss(b, b.op('Mul', [out, 'x']), [2, 3, 5, 5]);
    const s = await session(differentiate(model, { loss: 'loss', wrt: ['x', 'w1', 'w2'] }));
    const feeds = { x: tensor('float32', fill(150, 'spaced', 1), [2, 3, 5, 5]), w1: tensor('float32', fill(81, 'normal', 2), [3, 3, 3, 3]), w2: tensor('float32', fill(81, 'normal', 3), [3, 3, 3, 3]) };
    expect(await checkGradients(s, feeds, { wrt: ['x', 'w1', 'w2'], samples: 8 })).toEqual([]);
  });
});

describe('BatchNormalization in train mode', () => {
  it('normalises with batch statistics and updates the running stats with the node momentum', async () => {
    const b = new GraphBuilder(17);
    b.input('x', [4, 2, 3, 3]);
    const rm = b.weight('rm', [2], new Float32Array([0.5, -1]));
    const rv = b.weight('rv', [2], new Float32Array([2, 0.5]));
    const y = b.op('BatchNormalization', ['x', b.weight('g', [2], new Float32Array([1.5, 0.5])), b.weight('beta', [2], new Float32Array([0.1, -0.2])), rm, rv], { momentum: { kind: 'float', value: 0.8 }, epsilon: { kind: 'float', value: 1e-3 } });
    b.output(y);
    const model = withLoss(b, y, [4, 2, 3, 3]);
    const grad = differentiate(model, { loss: 'loss', wrt: ['g', 'beta'] });
    expect(grad.graph.outputs.map((o) => o.name)).toEqual([y, 'loss', 'grad.g', 'grad.beta', 'running.rm', 'running.rv']);
    const x = fill(72, 'normal', 9).map((v, i) => v * 2 + (Math.floor(i / 9) % 2 === 0 ? 1 : -3));
    const out = await (await session(grad)).run({ x: tensor('float32', x, [4, 2, 3, 3]) });
    for (let c = 0; c < 2; c++) {
      const xs = x.filter((_, i) => Math.floor(i / 9) % 2 === c);
      const mean = xs.reduce((a, v) => a + v, 0) / xs.length;
      const variance = xs.reduce((a, v) => a + (v - mean) ** 2, 0) / xs.length;
      expect(values(out['running.rm'])[c]).toBeCloseTo(0.8 * [0.5, -1][c] + 0.2 * mean, 5);
      expect(values(out['running.rv'])[c]).toBeCloseTo(0.8 * [2, 0.5][c] + 0.2 * variance, 5);
      const yc = values(out[y]).filter((_, i) => Math.floor(i / 9) % 2 === c);
      yc.forEach((v, i) => expect(v).toBeCloseTo(((xs[i] - mean) / Math.sqrt(variance + 1e-3)) * [1.5, 0.5][c] + [0.1, -0.2][c], 4));
    }
  });
});

describe('Dropout', () => {
  it('is active, reproducible, and masks the gradient where it masked the output', async () => {
    const b = new GraphBuilder(17);
    b.input('x', [4, 50]);
    const y = b.op('Dropout', ['x', b.weight('ratio', [], new Float32Array([0.3]))]);
    b.output(y);
    const model = withLoss(b, y, [4, 50]);
    const grad = differentiate(model, { loss: 'loss', wrt: ['x'], dropoutSeed: 5 });
    const x = fill(200, 'positive', 1);
    const feeds = { x: tensor('float32', x, [4, 50]) };
    const first = await (await session(grad)).run(feeds);
    const again = await (await session(grad)).run(feeds);
    expect(values(again[y])).toEqual(values(first[y]));
    const r = fill(200, 'normal', 3);
    const out = values(first[y]);
    const dx = values(first['grad.x']);
    const kept = out.filter((v) => v !== 0).length;
    expect(kept).toBeGreaterThan(110);
    expect(kept).toBeLessThan(170);
    out.forEach((v, i) => {
      if (v === 0) expect(Math.abs(dx[i])).toBe(0);
      else {
        expect(v).toBeCloseTo(x[i] / 0.7, 5);
        expect(dx[i]).toBeCloseTo(r[i] / 0.7, 5);
      }
    });
  });
});

describe('losses', () => {
  const logits = (x: number[][], m: Model) => {
    const init = (n: string) => Array.from(m.graph.initializers.get(n)!.data as Float64Array);
    const [w1, b1, w2] = [init('w1'), init('b1'), init('w2')];
    return x.map((row) => {
      const h = Array.from({ length: 5 }, (_, j) => 1 / (1 + Math.exp(-(b1[j] + row.reduce((a, v, k) => a + v * w1[j * 3 + k], 0)))));
      return Array.from({ length: 4 }, (_, c) => h.reduce((a, v, j) => a + v * w2[j * 4 + c], 0));
    });
  };
  const logSoftmax = (z: number[]) => {
    const m = Math.max(...z);
    const lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
    return z.map((v) => v - lse);
  };

  it('cross-entropy: loss matches the formula and gradients match finite differences (float64)', async () => {
    const model = mlp();
    const train = buildGradientGraph(model, { loss: { kind: 'cross-entropy', labels: 'labels' } });
    expect(train.graph.inputs.map((v) => v.name)).toEqual(['x', 'w1', 'b1', 'w2', 'labels']);
    expect(train.graph.outputs.map((v) => v.name)).toEqual(['loss', 'logits', 'grad.w1', 'grad.b1', 'grad.w2']);
    const labels = [0, 3, 1, 2, 3];
    const feeds = feedsFor(train, model, 5, labels);
    const s = await session(train);
    const out = await s.run(feeds);
    const x = values(feeds.x);
    const z = logits([0, 1, 2, 3, 4].map((n) => x.slice(n * 3, n * 3 + 3)), model);
    const expected = -z.reduce((a, row, n) => a + logSoftmax(row)[labels[n]], 0) / 5;
    expect(values(out.loss)[0]).toBeCloseTo(expected, 10);
    expect(values(out.logits)).toEqual(z.flat().map((v) => expect.closeTo(v, 10)));
    expect(await checkGradients(s, feeds, { wrt: ['w1', 'b1', 'w2'], samples: 5 })).toEqual([]);
  });

  for (const alpha of [0, 0.3]) {
    it(`distillation T=2 alpha=${alpha}: loss matches the formula and gradients match finite differences`, async () => {
      const model = mlp();
      const spec = { kind: 'distillation' as const, temperature: 2, alpha, teacherLogits: 'teacher_logits' };
      const train = buildGradientGraph(model, { loss: spec });
      expect(train.graph.inputs.some((v) => v.name === 'labels')).toBe(alpha > 0);
      const labels = [2, 0, 1, 3];
      const feeds = feedsFor(train, model, 4, labels);
      const s = await session(train);
      const out = await s.run(feeds);
      const x = values(feeds.x);
      const t = values(feeds.teacher_logits);
      const z = logits([0, 1, 2, 3].map((n) => x.slice(n * 3, n * 3 + 3)), model);
      let kl = 0;
      let ce = 0;
      z.forEach((row, n) => {
        const ls = logSoftmax(row.map((v) => v / 2));
        const lt = logSoftmax(t.slice(n * 4, n * 4 + 4).map((v) => v / 2));
        kl += lt.reduce((a, v, k) => a + Math.exp(v) * (v - ls[k]), 0) / 4;
        ce -= logSoftmax(row)[labels[n]] / 4;
      });
      expect(values(out.loss)[0]).toBeCloseTo(alpha * ce + (1 - alpha) * 4 * kl, 10);
      expect(await checkGradients(s, feeds, { wrt: ['w1', 'b1', 'w2'], samples: 5 })).toEqual([]);
    });
  }
});

describe('whole networks', () => {
  it('a small CNN (Conv-BN-Relu-MaxPool-Conv-Relu-GAP-Gemm) matches finite differences on sampled weights', async () => {
    const model = smallCnn();
    const train = buildGradientGraph(model, { loss: { kind: 'cross-entropy', labels: 'labels' } });
    const plan = planTraining(model, { loss: { kind: 'cross-entropy', labels: 'labels' } });
    expect(plan.trainable).toEqual(['c1.w', 'c1.b', 'bn.g', 'bn.b', 'c2.w', 'c2.b', 'fc.w', 'fc.b']);
    expect(plan.runningStats).toEqual(['bn.rm', 'bn.rv']);
    expect(train.graph.outputs.map((o) => o.name)).toContain('running.bn.rv');
    const s = await session(train, 'all');
    const feeds = feedsFor(train, model, 6);
    expect(await checkGradients(s, feeds, { wrt: plan.trainable, samples: 3, step: 1e-3, rtol: 2e-2, atol: 1e-3 })).toEqual([]);
  });

  it('a PyTorch-style export (opset 11, Shape-Gather-Unsqueeze-Concat-Reshape, Gemm transB) at two batch sizes', async () => {
    const model = torchStyle();
    const train = buildGradientGraph(model, { loss: { kind: 'cross-entropy', labels: 'labels' } });
    expect(train.opsetImports).toEqual([{ domain: '', version: 17 }]);
    expect(train.graph.inputs[0].shape?.[0]).toBe('batch_size');
    const s = await session(train, 'all');
    for (const batch of [3, 7]) {
      const feeds = feedsFor(train, model, batch);
      expect((await s.run(feeds)).logits.dims).toEqual([batch, 5]);
      expect(await checkGradients(s, feeds, { wrt: ['conv.weight', 'conv.bias', 'fc.weight', 'fc.bias'], samples: 4, step: 1e-3, rtol: 2e-2 })).toEqual([]);
    }
  });

  it('leaves the input model unchanged', () => {
    const model = smallCnn();
    const before = encodeOnnx(model);
    buildGradientGraph(model, { loss: { kind: 'distillation', temperature: 3, alpha: 0.5, teacherLogits: 'teacher_logits' } });
    expect(encodeOnnx(model)).toEqual(before);
  });

  it('frozen weights stay initializers, get no gradient and no backward nodes', () => {
    const model = smallCnn();
    const train = buildGradientGraph(model, { loss: { kind: 'cross-entropy', labels: 'labels' }, frozen: ['c1.w', 'c1.b'], batchNormMode: 'frozen' });
    expect(train.graph.initializers.has('c1.w')).toBe(true);
    expect(train.graph.outputs.map((o) => o.name).filter((n) => n.startsWith('grad.'))).toEqual(['grad.bn.g', 'grad.bn.b', 'grad.c2.w', 'grad.c2.b', 'grad.fc.w', 'grad.fc.b']);
    // Nothing before the BN needs a gradient: no backward node of the first conv survives pruning.
    expect(train.graph.nodes.filter((n) => n.name.startsWith('conv_0/grad'))).toEqual([]);
    expect(train.graph.outputs.some((o) => o.name.startsWith('running.'))).toBe(false);
    expect(model.graph.inputs.map((v) => v.name)).toEqual(['x']);
  });
});

describe('MaxPool ties', () => {
  it('shares the gradient equally among tied maxima', async () => {
    const b = new GraphBuilder(17);
    b.input('x', [1, 1, 2, 4]);
    const y = b.op('MaxPool', ['x'], { kernel_shape: [2, 2], strides: [2, 2] });
    const model = withLoss(b, y, [1, 1, 1, 2]);
    const out = await (await session(differentiate(model, { loss: 'loss', wrt: ['x'] }))).run({ x: tensor('float32', [1, 1, 0, 2, 1, 1, 2, 0], [1, 1, 2, 4]) });
    const r = fill(2, 'normal', 3);
    expect(values(out['grad.x'])).toEqual([r[0] / 4, r[0] / 4, 0, r[1] / 2, r[0] / 4, r[0] / 4, r[1] / 2, 0].map((v) => expect.closeTo(v, 6)));
  });
});

describe('errors', () => {
  it('names an operator without a gradient and its node', () => {
    const b = new GraphBuilder(17);
    b.input('x', [1, 8, 4, 4]);
    const y = b.op('DepthToSpace', ['x'], { blocksize: 2 });
    b.model.graph.nodes[0].name = 'depth_3';
    b.output(b.op('Flatten', [b.op('GlobalAveragePool', [b.op('Conv', [y, b.weight('w', [3, 2, 1, 1], new Float32Array(6))])])]));
    const fail = () => buildGradientGraph(b.model, { loss: { kind: 'cross-entropy', labels: 'labels' } });
    expect(fail).toThrow(GradientError);
    expect(fail).toThrow("No gradient for operator 'DepthToSpace' at node 'depth_3'.");
  });

  it('reports an operator with shapes but no gradient rule on the path to the loss', () => {
    const b = new GraphBuilder(17);
    b.input('x', [2, 3]);
    const y = b.op('Elu', [b.op('Gemm', ['x', b.weight('w', [3, 4], new Float32Array(12))])]);
    b.output(y);
    expect(() => buildGradientGraph(b.model, { loss: { kind: 'cross-entropy', labels: 'labels' } })).toThrow("No gradient for operator 'Elu' at node 'elu_1'.");
  });

  it('rejects a frozen name that is not an initializer', () => {
    expect(() => buildGradientGraph(mlp(), { loss: { kind: 'cross-entropy', labels: 'labels' }, frozen: ['w9'] })).toThrow("Frozen tensor 'w9' is not an initializer of the model.");
  });
});
