import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../src-main/core/onnx/builder';
import { buildGradientGraph } from '../../../../src-main/core/train/autodiff/gradient-graph';
import { normalizeOpset } from '../../../../src-main/core/train/autodiff/normalize';
import { checkGradients, fill, session, tensor, values } from './harness';

describe('older opsets are brought to opset 17', () => {
  it('opset 10: Clip bounds, Dropout ratio, Unsqueeze/Squeeze axes and ReduceSum axes as attributes', async () => {
    const b = new GraphBuilder(10);
    b.input('x', ['N', 3]);
    const h = b.op('Gemm', ['x', b.weight('w', [3, 4], Float32Array.from(fill(12, 'normal', 1)))]);
    const relu6 = b.op('Clip', [b.op('Mul', [h, b.weight('k', [], new Float32Array([4]))])], { min: { kind: 'float', value: 0 }, max: { kind: 'float', value: 6 } });
    const d = b.node('Dropout', [relu6], { ratio: { kind: 'float', value: 0.2 } }, 1)[0];
    const sq = b.op('Squeeze', [b.op('Unsqueeze', [d], { axes: [1] })], { axes: [1] });
    const s = b.op('ReduceSum', [sq], { axes: [1], keepdims: 1 });
    b.output(b.op('Add', [sq, s]));
    const normalized = normalizeOpset(b.model);
    const clip = normalized.graph.nodes.find((n) => n.opType === 'Clip')!;
    expect(clip.inputs).toHaveLength(3);
    expect(clip.attributes).toEqual({});
    expect(normalized.graph.nodes.find((n) => n.opType === 'Unsqueeze')!.inputs).toHaveLength(2);
    const train = buildGradientGraph(b.model, { loss: { kind: 'cross-entropy', labels: 'labels' } });
    // Dropout is active (random mask output) in the training graph.
    expect(train.graph.nodes.some((n) => n.opType === 'Dropout' && n.outputs.length === 2)).toBe(true);
    expect(train.graph.inputs.map((v) => v.name)).toEqual(['x', 'w', 'k', 'labels']);
  });

  it('opset 11 Softmax over axis 1 of a rank-3 tensor keeps its 2-d semantics', async () => {
    const b = new GraphBuilder(11);
    b.input('x', [2, 3, 4]);
    b.output(b.op('Softmax', ['x'], { axis: 1 }));
    const feeds = { x: tensor('float32', fill(24, 'normal', 2), [2, 3, 4]) };
    const original = values(Object.values(await (await session(b.model)).run(feeds))[0]);
    const upgraded = values(Object.values(await (await session(normalizeOpset(b.model))).run(feeds))[0]);
    expect(upgraded).toEqual(original.map((v) => expect.closeTo(v, 6)));
  });

  it('opset 10 ReLU6 by attribute Clip trains like opset 17 (finite differences)', async () => {
    const b = new GraphBuilder(10);
    b.input('x', ['N', 3]);
    const h = b.op('Gemm', ['x', b.weight('w', [3, 4], Float32Array.from(fill(12, 'normal', 1).map((v) => v * 4)))]);
    b.output(b.op('Clip', [h], { min: { kind: 'float', value: 0 }, max: { kind: 'float', value: 0.6 } }));
    const train = buildGradientGraph(b.model, { loss: { kind: 'cross-entropy', labels: 'labels' } });
    const s = await session(train);
    const feeds = {
      x: tensor('float32', fill(15, 'spaced', 3), [5, 3]),
      w: tensor('float32', Array.from(b.model.graph.initializers.get('w')!.data as Float32Array), [3, 4]),
      labels: new ort.Tensor('int64', BigInt64Array.from([0n, 1n, 2n, 3n, 1n]), [5]),
    };
    expect(await checkGradients(s, feeds, { wrt: ['w'], samples: 12, step: 1e-3 })).toEqual([]);
  });
});
