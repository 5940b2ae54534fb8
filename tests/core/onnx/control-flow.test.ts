/**
 * Control flow: If, Loop and Scan read (subgraphs and the outer tensors they use), written back,
 * and flattened for costing; the flat graph computes in onnxruntime what the original computes
 * for the branch and trip count chosen, and shape inference agrees with onnxruntime on it.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src-main/core/energy/analyze';
import { flattenControlFlow, hasControlFlow } from '../../../src-main/core/onnx/control-flow';
import type { Model } from '../../../src-main/core/onnx/ir';
import { decodeOnnx } from '../../../src-main/core/onnx/read';
import { inferShapes } from '../../../src-main/core/onnx/shapes';
import { encodeOnnx } from '../../../src-main/core/onnx/write';
import { libraryProfile } from '../energy/corpus';
import { runOrt } from './build';
import { ifModel, loopModel, scanModel } from './control-flow-models';

const feed = (dims: number[], f = (i: number) => Math.cos(i)) => new ort.Tensor('float32', Float32Array.from({ length: dims.reduce((a, c) => a * c, 1) }, (_, i) => f(i)), dims);

async function sameOutputs(original: Model, flat: Model, feeds: Record<string, ort.Tensor>): Promise<void> {
  const a = await runOrt(encodeOnnx(original), feeds);
  const usedFeeds = Object.fromEntries(Object.entries(feeds).filter(([k]) => flat.graph.inputs.some((i) => i.name === k)));
  const b = await runOrt(encodeOnnx(flat), usedFeeds);
  const shapes = inferShapes(flat, {});
  for (const [name, out] of a) {
    expect(b.get(name)!.dims, name).toEqual(out.dims);
    expect(shapes.get(name)!.shape, name).toEqual(out.dims);
    Array.from(out.data as ArrayLike<number>).forEach((x, i) => expect(Number((b.get(name)!.data as ArrayLike<number>)[i])).toBeCloseTo(Number(x), 5));
  }
}

describe('control flow', () => {
  it('reads and writes subgraphs, outer-scope tensors included', () => {
    for (const model of [ifModel(), loopModel(), scanModel()]) {
      const back = decodeOnnx(encodeOnnx(model));
      expect(hasControlFlow(back)).toBe(true);
      const node = back.graph.nodes.find((x) => ['If', 'Loop', 'Scan'].includes(x.opType))!;
      const sub = Object.values(node.attributes).find((a) => a.kind === 'graph')!;
      expect(sub.kind === 'graph' && sub.value.nodes.length).toBeGreaterThan(0);
    }
  });

  it('costs an If by its costlier branch unless told otherwise, and says so', async () => {
    const { model, assumptions } = flattenControlFlow(ifModel());
    expect(hasControlFlow(model)).toBe(false);
    expect(assumptions).toEqual([expect.stringMatching(/^If node 'choose': costed by its then branch, the costlier/)]);
    await sameOutputs(ifModel(), model, { x: feed([1, 4, 6, 6]), cond: new ort.Tensor('bool', Uint8Array.of(1), []) });
    const other = flattenControlFlow(ifModel(), { branches: { choose: 'else' } });
    expect(other.assumptions).toEqual(["If node 'choose': costed by its else branch, as asked."]);
    await sameOutputs(ifModel(), other.model, { x: feed([1, 4, 6, 6]), cond: new ort.Tensor('bool', Uint8Array.of(0), []) });
    const profile = await libraryProfile('raspberry-pi-4');
    const costly = analyzeModel(model, profile, { precision: 'fp32' }).totals.energyJ;
    const cheap = analyzeModel(other.model, profile, { precision: 'fp32' }).totals.energyJ;
    expect(costly).toBeGreaterThan(cheap);
  });

  it('unrolls a Loop with a constant trip count, chaining its carried values and stacking its scan outputs', async () => {
    const { model, assumptions } = flattenControlFlow(loopModel());
    expect(assumptions).toEqual(["Loop node 'repeat': unrolled 3 trips (a loop condition that stops early is not evaluated)."]);
    await sameOutputs(loopModel(), model, { v0: feed([2, 3]) });
  });

  it('unrolls a Scan over its scan input', async () => {
    const { model, assumptions } = flattenControlFlow(scanModel());
    expect(assumptions).toEqual(["Scan node 'cumsum': unrolled 4 trips."]);
    await sameOutputs(scanModel(), model, { s0: feed([2]), xs: feed([4, 2]) });
  });

  it('asks for a trip count it cannot read from the graph', () => {
    const m = loopModel();
    m.graph.inputs.push({ name: 'count', dtype: 'int64', shape: [] });
    m.graph.initializers.delete('M');
    m.graph.nodes[0].inputs[0] = 'count';
    expect(() => flattenControlFlow(m)).toThrow("Loop node 'repeat' has no constant trip count (its M input is absent or computed at run time); give one (on the command line: --trip-count repeat=N).");
    expect(flattenControlFlow(m, { tripCounts: { repeat: 5 } }).assumptions[0]).toBe("Loop node 'repeat': unrolled 5 trips, as given (a loop condition that stops early is not evaluated).");
  });
});
