/**
 * A model shaped like a PyTorch export (opset 11, dynamic batch 'batch_size', Shape -> Gather ->
 * Unsqueeze -> Concat -> Reshape flatten, Gemm with transB, trained with Normalize(0.5, 0.5))
 * must train and evaluate as well as Joule's own models.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { float, GraphBuilder } from '../../../src-main/core/onnx/builder';
import type { Model } from '../../../src-main/core/onnx/ir';
import { writeOnnxFile } from '../../../src-main/core/onnx/write';
import { evaluate } from '../../../src-main/jobs/tasks/evaluate';
import { train } from '../../../src-main/jobs/tasks/train';
import { testContext } from '../../jobs/context';
import { initializeWeights } from '../../../src-main/core/zoo/small/init';

function pytorchStyleLenet(): Model {
  const g = new GraphBuilder(11);
  const x = g.input('input.1', ['batch_size', 1, 28, 28]);
  let h = g.op('Relu', [g.op('Conv', [x, g.weight('conv1.weight', [6, 1, 5, 5]), g.weight('conv1.bias', [6])], { kernel_shape: [5, 5], pads: [2, 2, 2, 2], strides: [1, 1] })]);
  h = g.op('MaxPool', [h], { kernel_shape: [2, 2], strides: [2, 2] });
  h = g.op('Relu', [g.op('Conv', [h, g.weight('conv2.weight', [16, 6, 5, 5]), g.weight('conv2.bias', [16])], { kernel_shape: [5, 5], strides: [1, 1] })]);
  h = g.op('MaxPool', [h], { kernel_shape: [2, 2], strides: [2, 2] });
  // torch.flatten(x, 1) as exported at opset 11.
  const shape = g.op('Shape', [h]);
  const batch = g.op('Gather', [shape, g.weight('zero', [], BigInt64Array.of(0n), 'int64')], { axis: 0 });
  const batchDim = g.op('Unsqueeze', [batch], { axes: [0] });
  const newShape = g.op('Concat', [batchDim, g.ints('flat', [-1])], { axis: 0 });
  h = g.op('Reshape', [h, newShape]);
  h = g.op('Relu', [g.op('Gemm', [h, g.weight('fc1.weight', [120, 400]), g.weight('fc1.bias', [120])], { alpha: float(1), beta: float(1), transB: 1 })]);
  const out = g.node('Gemm', [h, g.weight('fc2.weight', [10, 120]), g.weight('fc2.bias', [10])], { transB: 1 }, ['23'])[0];
  g.output(out);
  return initializeWeights(g.model, 5);
}

let dir: string;
const context = testContext();

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'joule-pt-'));
});

describe('training a PyTorch-style export', () => {
  it('trains with Normalize(0.5, 0.5) preprocessing and evaluates the same way', async () => {
    const source = path.join(dir, 'exported.onnx');
    writeOnnxFile(source, pytorchStyleLenet());
    const out = path.join(dir, 'finetuned.onnx');
    const result = await train({ model: source, dataset: 'fashion-mnist', epochs: 1, mean: [0.5], std: [0.5], out, threads: 2 }, context);
    expect(result.test!.accuracy).toBeGreaterThan(0.84);
    const evaluation = await evaluate({ model: out, dataset: 'fashion-mnist' }, context);
    // The card written beside the model carries mean/std 0.5, so eval needs no flags to match.
    expect(evaluation.accuracy).toBeCloseTo(result.test!.accuracy, 6);
    const wrong = await evaluate({ model: out, dataset: 'fashion-mnist', mean: [0], std: [1] }, context);
    expect(wrong.accuracy).toBeLessThan(evaluation.accuracy);
  }, 240_000);
});
