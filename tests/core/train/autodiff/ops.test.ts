import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../src-main/core/onnx/builder';
import { differentiate } from '../../../../src-main/core/train/autodiff/differentiate';
import { inferTensorInfo } from '../../../../src-main/core/train/autodiff/shapes';
import { OP_CASES } from './corpus';
import type { OpCase } from './corpus';
import { checkGradients, fill, session, tensor, typedArray, values } from './harness';
import type { Feeds } from './harness';
import * as ort from 'onnxruntime-node';

/** x -> op -> out; loss = ReduceSum(out * R) with R fixed; every float input fed and differentiated. */
function caseModel(c: OpCase) {
  const dtype = c.dtype ?? 'float32';
  const b = new GraphBuilder(17);
  const feeds: Feeds = {};
  const wrt: string[] = [];
  Object.entries(c.inputs).forEach(([name, spec], k) => {
    if (spec.int64) {
      b.input(name, spec.dims, 'int64');
      feeds[name] = new ort.Tensor('int64', BigInt64Array.from(spec.int64.map(BigInt)), spec.dims);
      return;
    }
    b.input(name, spec.dims, dtype);
    const n = spec.dims.reduce((x, y) => x * y, 1);
    feeds[name] = tensor(dtype, fill(n, spec.fill ?? 'normal', 11 + k).map((v) => v * (spec.scale ?? 1)), spec.dims);
    wrt.push(name);
  });
  const out = c.build(b, dtype);
  const dims = inferTensorInfo(b.model).get(out)!.dims as number[];
  const r = b.weight('R', dims, typedArray(dtype, fill(dims.reduce((x, y) => x * y, 1), 'normal', 5)), dtype);
  b.node('ReduceSum', [b.op('Mul', [out, r])], { keepdims: 0 }, ['loss']);
  b.output('loss', dtype);
  return { model: b.model, feeds, wrt };
}

describe('gradient rules agree with finite differences', () => {
  for (const c of OP_CASES) {
    it(`${c.name} (${c.dtype ?? 'float32'})`, async () => {
      const { model, feeds, wrt } = caseModel(c);
      const grad = differentiate(model, { loss: 'loss', wrt, ...c.options });
      const s = await session(grad);
      try {
        if (!c.trainForward) {
          const plain = await session(model);
          const expected = values((await plain.run(feeds)).loss)[0];
          const actual = values((await s.run(feeds, ['loss'])).loss)[0];
          expect(actual).toBeCloseTo(expected, 5);
          await plain.release();
        }
        expect(await checkGradients(s, feeds, { wrt, step: c.step })).toEqual([]);
      } finally {
        await s.release();
      }
    });
  }
});
