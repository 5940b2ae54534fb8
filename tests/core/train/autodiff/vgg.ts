/** The VGG-style benchmark net of measure-step.ts, built with the graph builder. */
import { GraphBuilder } from '../../../../src-main/core/onnx/builder';
import type { Model } from '../../../../src-main/core/onnx/ir';
import { fill } from './harness';

function he(b: GraphBuilder, name: string, dims: number[], seed: number): string {
  const fanIn = dims.slice(1).reduce((x, y) => x * y, 1);
  return b.weight(name, dims, Float32Array.from(fill(dims.reduce((x, y) => x * y, 1), 'normal', seed).map((v) => v * 2 * Math.sqrt(2 / fanIn))));
}

/** conv3x3-BN-ReLU x 8 (32, 32, pool, 64, 64, pool, 128, 128, pool, 128, 128), GAP, Gemm. */
export function vggModel(): Model {
  const b = new GraphBuilder(17);
  let x = b.input('x', ['N', 1, 28, 28]);
  let c = 1;
  let k = 0;
  const plan: (number | 'pool')[] = [32, 32, 'pool', 64, 64, 'pool', 128, 128, 'pool', 128, 128];
  for (const step of plan) {
    if (step === 'pool') {
      x = b.op('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
      continue;
    }
    k++;
    const w = he(b, `conv${k}.weight`, [step, c, 3, 3], k);
    x = b.op('Conv', [x, w], { pads: [1, 1, 1, 1] });
    const ch = (v: number, n: string) => b.weight(`bn${k}.${n}`, [step], new Float32Array(step).fill(v));
    x = b.op('BatchNormalization', [x, ch(1, 'weight'), ch(0, 'bias'), ch(0, 'running_mean'), ch(1, 'running_var')]);
    x = b.op('Relu', [x]);
    c = step;
  }
  x = b.op('Flatten', [b.op('GlobalAveragePool', [x])]);
  const logits = b.op('Gemm', [x, he(b, 'fc.weight', [10, c], 99), b.weight('fc.bias', [10], new Float32Array(10))], { transB: 1 });
  b.output(logits);
  return b.model;
}

