import { describe, expect, it } from 'vitest';
import { inferShapes } from '../../../src-main/core/onnx/shapes';
import { GraphBuilder, runModel } from './build';
import { SHAPE_CASES } from './shape-corpus';

describe('inferShapes agrees with onnxruntime', () => {
  it.each(SHAPE_CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const b = new GraphBuilder(c.opset);
    c.build(b);
    const model = b.model;
    const inferred = inferShapes(model);
    // Expose every node output so onnxruntime reports the intermediate shapes too.
    const produced = model.graph.nodes.flatMap((n) => n.outputs).filter((o) => o !== '');
    for (const name of produced) model.graph.outputs.push({ name, dtype: inferred.get(name)!.dtype, shape: null });

    const actual = await runModel(model);
    expect(actual.size).toBe(produced.length);
    for (const name of produced) {
      const ort = actual.get(name)!;
      expect({ name, shape: inferred.get(name)!.shape, dtype: inferred.get(name)!.dtype }).toEqual({
        name,
        shape: ort.dims,
        dtype: ort.type,
      });
      // Stored value info keeps dynamic batch dims symbolic; at batch 1 they are 1.
      const stored = model.graph.valueInfo.get(name)?.shape?.map((d) => (typeof d === 'string' ? 1 : d));
      expect(stored).toEqual(ort.dims);
    }
  });

  it('stores batch-dependent dims symbolically so the model runs at any batch', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', ['N', 3, 6, 6]);
    const c = b.op('Conv', [x, b.weight('w', [2, 3, 3, 3])]);
    const all = b.op('Reshape', [c, b.ints('flat', [-1])]);
    const y = b.op('Gemm', [b.op('Flatten', [c]), b.weight('fc', [5, 32])], { transB: 1 });
    b.output(y);
    b.output(all);
    const inferred = inferShapes(b.model, { batch: 4 });
    expect(inferred.get(y)!.shape).toEqual([4, 5]);
    expect(inferred.get(all)!.shape).toEqual([128]);
    expect(b.model.graph.valueInfo.get(c)!.shape).toEqual(['N', 2, 4, 4]);
    expect(b.model.graph.valueInfo.get(all)!.shape).toEqual(['']);
    const actual = await runModel(b.model, 3);
    expect(actual.get(y)!.dims).toEqual([3, 5]);
    expect(actual.get(all)!.dims).toEqual([96]);
  });

  it('names symbolic dims through options and matches a batch of 3', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', ['N', 3, 'H', 'W']);
    const y = b.op('Conv', [x, b.weight('w', [2, 3, 3, 3])], { strides: [2, 2] });
    b.output(y);
    const inferred = inferShapes(b.model, { dims: { N: 3, H: 9, W: 7 } });
    const feedModel = structuredClone(b.model);
    feedModel.graph.inputs[0].shape = [3, 3, 9, 7];
    const actual = await runModel(feedModel);
    expect(inferred.get(y)!.shape).toEqual(actual.get(y)!.dims);
    expect(inferred.get(x)!.shape).toEqual([3, 3, 9, 7]);
  });
});
