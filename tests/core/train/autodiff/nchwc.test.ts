/**
 * The blocked convolutions (`rules/conv-nchwc.ts`): finite-difference checks of Conv cases in
 * every layout the blocked kernels take (blocked input, padded channels, NCHW input, depthwise,
 * strides, dilations), and whole nets against the standard graph. Skipped where onnxruntime has
 * no NCHWc kernels.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../src-main/core/onnx/builder';
import type { Model } from '../../../../src-main/core/onnx/ir';
import { differentiate } from '../../../../src-main/core/train/autodiff/differentiate';
import { buildGradientGraph } from '../../../../src-main/core/train/autodiff/gradient-graph';
import { NCHWC_DOMAIN } from '../../../../src-main/core/train/autodiff/rules/conv-nchwc';
import { inferTensorInfo } from '../../../../src-main/core/train/autodiff/shapes';
import { nchwcBlockSize } from '../../../../src-main/core/train/nchwc-block';
import { initializeWeights } from '../../../../src-main/core/zoo/small/init';
import { smallZoo } from '../../../../src-main/core/zoo/small/registry';
import { checkGradients, fill, session, tensor, values } from './harness';
import type { Feeds } from './harness';
import { mixedNet } from './models';

/** The formulations before the per-layer choices (as in formulations.test.ts). */
const LEGACY = { convWeightGrad: 'im2col', batchNormStats: 'reduce', maxPoolGrad: 'blocks' } as const;

const block = await nchwcBlockSize();

/** [name, x dims, w dims, attributes] with channel counts in units of the block. */
function cases(b: number): [string, number[], number[], Record<string, number[] | number>][] {
  return [
    ['blocked input 3x3 pad 1', [2, b, 6, 6], [b, b, 3, 3], { pads: [1, 1, 1, 1] }],
    ['padded channels 3x3 stride 2, odd output count', [2, b + 4, 7, 7], [b + 3, b + 4, 3, 3], { pads: [1, 1, 1, 1], strides: [2, 2] }],
    ['NCHW input (3 channels) 3x3 dilation 2', [2, 3, 7, 7], [b + 4, 3, 3, 3], { pads: [2, 2, 2, 2], dilations: [2, 2] }],
    ['1x1 stride 2 padded channels', [2, b + 4, 5, 5], [5, b + 4, 1, 1], { strides: [2, 2] }],
    ['depthwise 3x3 stride 2 asymmetric pads', [2, b, 7, 7], [b, 1, 3, 3], { group: b, pads: [0, 1, 1, 0], strides: [2, 2] }],
    ['depthwise 3x3 pad 1', [2, 2 * b, 5, 5], [2 * b, 1, 3, 3], { group: 2 * b, pads: [1, 1, 1, 1] }],
    ['depthwise 3x3 stride 2 even input pad 1', [3, b, 8, 8], [b, 1, 3, 3], { group: b, pads: [1, 1, 1, 1], strides: [2, 2] }],
    ['depthwise 2x3 dilation 2 stride [1, 2]', [2, b, 7, 9], [b, 1, 2, 3], { group: b, pads: [1, 0, 2, 1], dilations: [2, 2], strides: [1, 2] }],
    ['depthwise 3x3 stride 3 dilation 2', [2, b, 11, 10], [b, 1, 3, 3], { group: b, pads: [2, 1, 0, 2], dilations: [2, 1], strides: [3, 3] }],
  ];
}

function convModel(x: number[], w: number[], attrs: Record<string, number[] | number>): { model: Model; feeds: Feeds } {
  const b = new GraphBuilder(17);
  b.input('x', x);
  b.input('w', w);
  b.input('b', [w[0]]);
  const out = b.op('Conv', ['x', 'w', 'b'], attrs);
  const dims = inferTensorInfo(b.model).get(out)!.dims as number[];
  const r = b.weight('R', dims, Float32Array.from(fill(dims.reduce((p, q) => p * q, 1), 'normal', 5)));
  b.node('ReduceSum', [b.op('Mul', [out, r])], { keepdims: 0 }, ['loss']);
  b.output('loss');
  const feeds: Feeds = {};
  [['x', x], ['w', w], ['b', [w[0]]]].forEach(([name, d], k) => {
    const n = (d as number[]).reduce((p, q) => p * q, 1);
    feeds[name as string] = tensor('float32', fill(n, 'normal', 11 + k), d as number[]);
  });
  return { model: b.model, feeds };
}

const blockedOps = (m: Model) => m.graph.nodes.filter((n) => n.domain === NCHWC_DOMAIN).map((n) => n.opType);

describe.skipIf(block === 0)(`blocked convolutions (block ${block})`, () => {
  for (const [name, x, w, attrs] of cases(block)) {
    it(`${name}: gradients agree with finite differences and with the standard graph`, async () => {
      const { model, feeds } = convModel(x, w, attrs);
      const wrt = ['x', 'w', 'b'];
      const blocked = differentiate(model, { loss: 'loss', wrt, nchwcBlock: block });
      // The forward conv, (stride 1) the input gradient's conv and a depthwise weight gradient run blocked.
      const stride1 = !attrs.strides || (attrs.strides as number[]).every((v) => v === 1);
      expect(blockedOps(blocked).filter((op) => op === 'Conv')).toHaveLength((stride1 ? 2 : 1) + (attrs.group ? 1 : 0));
      const s = await session(blocked, 'all');
      const standard = await session(differentiate(model, { loss: 'loss', wrt }), 'all');
      try {
        expect(await checkGradients(s, feeds, { wrt })).toEqual([]);
        const [a, r] = [await s.run(feeds), await standard.run(feeds)];
        for (const k of Object.keys(r)) {
          const want = values(r[k]);
          const scale = Math.max(...want.map(Math.abs));
          values(a[k]).forEach((v, i) => expect(Math.abs(v - want[i]), `${k}[${i}]`).toBeLessThanOrEqual(1e-5 * scale));
        }
      } finally {
        await Promise.all([s.release(), standard.release()]);
      }
    });
  }

  it('leaves pointwise and grouped convs that are not depthwise, and channel counts ReorderInput refuses, standard', () => {
    const pointwise = convModel([2, block, 4, 4], [block, block, 1, 1], {}).model;
    expect(blockedOps(differentiate(pointwise, { loss: 'loss', wrt: ['x', 'w'], nchwcBlock: block }))).toEqual([]);
    const grouped = convModel([2, 2 * block, 5, 5], [2 * block, block, 3, 3], { group: 2, pads: [1, 1, 1, 1] }).model;
    expect(blockedOps(differentiate(grouped, { loss: 'loss', wrt: ['x', 'w'], nchwcBlock: block }))).toEqual([]);
    // block + 1 input channels: not blocked; the input gradient's conv reads block + 1 channels too.
    const odd = convModel([2, block + 1, 5, 5], [block + 1, block + 1, 3, 3], { pads: [1, 1, 1, 1] }).model;
    expect(blockedOps(differentiate(odd, { loss: 'loss', wrt: ['x', 'w'], nchwcBlock: block }))).toEqual([]);
  });

  const nets = [
    ['mixed net', mixedNet()],
    ['ResNet-20', initializeWeights(smallZoo.resnet20.build(), 1)],
    ['MobileNetV2', initializeWeights(smallZoo.mobilenet_v2_small.build(), 1)],
  ] as const;
  for (const [name, model] of nets) {
    it(`gives a ${name} the gradients of the standard training graph`, async () => {
      const loss = { kind: 'cross-entropy' as const, labels: 'labels' };
      const blocked = buildGradientGraph(model, { loss, nchwcBlock: block });
      const standard = buildGradientGraph(model, { loss });
      expect(blockedOps(blocked)).toContain('Conv');
      const feeds: Feeds = {};
      standard.graph.inputs.forEach((v, i) => {
        const dims = (v.shape ?? []).map((d) => (typeof d === 'number' ? d : 4));
        const n = dims.reduce((p, q) => p * q, 1);
        const w = model.graph.initializers.get(v.name);
        if (v.dtype === 'int64') feeds[v.name] = new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, j) => BigInt(j % 5)), dims);
        else feeds[v.name] = w ? new ort.Tensor('float32', w.data as Float32Array, dims) : tensor('float32', fill(n, 'normal', 60 + i), dims);
      });
      const legacy = buildGradientGraph(model, { loss, ...LEGACY });
      const [a, r, l] = await Promise.all([blocked, standard, legacy].map(async (m) => (await session(m, 'all')).run(feeds)));
      // Relative to each output's largest entry, and no further from the standard graph than
      // float32 allows: BatchNorm's bias gradients and the running means below a BatchNorm are
      // sums that cancel to ~0 (MobileNetV2's do at batch 4), where two standard formulations
      // (the earlier ones, LEGACY) already disagree by more than the entries themselves.
      const worst = (x: ort.Tensor, want: number[]) => Math.max(...values(x).map((v, i) => Math.abs(v - want[i]))) / Math.max(...want.map(Math.abs), 1e-3);
      for (const k of Object.keys(r)) {
        const want = values(r[k]);
        expect(worst(a[k], want), k).toBeLessThan(Math.max(2e-3, 3 * worst(l[k], want)));
      }
    }, 60_000);
  }
});
