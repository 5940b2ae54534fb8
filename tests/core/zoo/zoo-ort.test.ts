/**
 * inferShapes against onnxruntime's actual output shapes for every zoo model, exported with
 * random weights and run once (batch 1, one thread) with every node output exposed.
 * AlexNet and VGG-16 at full width carry 61 M and 138 M weights (244 MB and 553 MB), so their
 * run uses the 1/8-width variants (same layers, kernels, strides and spatial sizes); the
 * full-width graphs are checked against hand-computed shapes instead.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { Model } from '../../../src-main/core/onnx/ir';
import { inferShapes } from '../../../src-main/core/onnx/shapes';
import { zoo, zooNames } from '../../../src-main/core/zoo/registry';
import type { ZooName } from '../../../src-main/core/zoo/registry';
import { openSession } from '../../../src-main/core/onnx/session';

const REDUCED: Partial<Record<ZooName, number>> = { alexnet: 1 / 8, vgg16: 1 / 8 };

async function runAllOutputs(model: Model): Promise<Map<string, number[]>> {
  const session = await openSession(model, { optimization: 'disabled' });
  try {
    const input = new ort.Tensor('float32', new Float32Array(3 * 224 * 224).fill(0.5), [1, 3, 224, 224]);
    const results = await session.run({ input });
    return new Map(Object.entries(results).map(([name, t]) => [name, [...t.dims]]));
  } finally {
    await session.release();
  }
}

describe('zoo shapes agree with onnxruntime', () => {
  it.each(zooNames)('%s', async (name) => {
    const model = zoo[name].build({ width: REDUCED[name] ?? 1 });
    const inferred = inferShapes(model);
    const produced = model.graph.nodes.flatMap((n) => n.outputs).filter((o) => o !== '');
    const outputs = new Set(model.graph.outputs.map((o) => o.name));
    for (const t of produced) if (!outputs.has(t)) model.graph.outputs.push({ name: t, dtype: 'float32', shape: null });
    const actual = await runAllOutputs(model);
    expect(actual.size).toBe(produced.length);
    for (const t of produced) expect({ t, shape: inferred.get(t)!.shape }).toEqual({ t, shape: actual.get(t) });
  });

  it('full-width AlexNet and VGG-16 have the hand-computed shapes', () => {
    const shapes = (name: ZooName) => inferShapes(zoo[name].build());
    const a = shapes('alexnet');
    // 224 -> conv 11/4 pad 2: 55 -> pool 3/2: 27 -> conv 5 pad 2: 27 -> pool: 13 -> 3 convs: 13 -> pool: 6.
    expect(a.get('features.0')!.shape).toEqual([1, 64, 55, 55]);
    expect(a.get('features.2')!.shape).toEqual([1, 64, 27, 27]);
    expect(a.get('features.5')!.shape).toEqual([1, 192, 13, 13]);
    expect(a.get('features.12')!.shape).toEqual([1, 256, 6, 6]);
    expect(a.get('flatten')!.shape).toEqual([1, 9216]);
    expect(a.get('classifier.6')!.shape).toEqual([1, 1000]);
    const v = shapes('vgg16');
    // Five 2x2 pools halve 224 to 7; 3x3 pad 1 convolutions keep the size.
    expect(v.get('features.0')!.shape).toEqual([1, 64, 224, 224]);
    expect(v.get('features.4')!.shape).toEqual([1, 64, 112, 112]);
    expect(v.get('features.28')!.shape).toEqual([1, 512, 14, 14]);
    expect(v.get('features.30')!.shape).toEqual([1, 512, 7, 7]);
    expect(v.get('flatten')!.shape).toEqual([1, 25088]);
    expect(v.get('classifier.6')!.shape).toEqual([1, 1000]);
  });
});
