/**
 * Writes the sample project's model files (resources/sample/models) and records their size and
 * sha256 in resources/sample/sample.joule. The networks are real ONNX files that onnxruntime
 * loads; their weights are seeded random values (the sample demonstrates analysis and checks,
 * which do not depend on trained weights). Run: node --import tsx scripts/make-sample-models.ts
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphBuilder } from '../src-main/core/onnx/builder';
import { encodeOnnx } from '../src-main/core/onnx/write';
import type { ProjectDocument } from '../src-main/common/project/schema';

const sampleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../resources/sample');

/** LeNet-5 for 28x28 grayscale input (LeCun et al. 1998, with ReLU and max pooling). */
function lenet5() {
  const g = new GraphBuilder(17);
  let x = g.input('input', ['N', 1, 28, 28]);
  x = g.op('Relu', [g.op('Conv', [x, g.weight('conv1.weight', [6, 1, 5, 5]), g.weight('conv1.bias', [6])], { pads: [2, 2, 2, 2] })]);
  x = g.op('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
  x = g.op('Relu', [g.op('Conv', [x, g.weight('conv2.weight', [16, 6, 5, 5]), g.weight('conv2.bias', [16])])]);
  x = g.op('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
  x = g.op('Flatten', [x], { axis: 1 });
  x = g.op('Relu', [g.op('Gemm', [x, g.weight('fc1.weight', [120, 400]), g.weight('fc1.bias', [120])], { transB: 1 })]);
  x = g.op('Relu', [g.op('Gemm', [x, g.weight('fc2.weight', [84, 120]), g.weight('fc2.bias', [84])], { transB: 1 })]);
  const logits = g.node('Gemm', [x, g.weight('fc3.weight', [10, 84]), g.weight('fc3.bias', [10])], { transB: 1 }, ['logits'])[0];
  g.output(logits);
  return g.model;
}

/** A two-layer perceptron for 28x28 input, the smallest useful classifier. */
function mlp() {
  const g = new GraphBuilder(17);
  let x = g.op('Flatten', [g.input('input', ['N', 1, 28, 28])], { axis: 1 });
  x = g.op('Relu', [g.op('Gemm', [x, g.weight('fc1.weight', [256, 784]), g.weight('fc1.bias', [256])], { transB: 1 })]);
  const logits = g.node('Gemm', [x, g.weight('fc2.weight', [10, 256]), g.weight('fc2.bias', [10])], { transB: 1 }, ['logits'])[0];
  g.output(logits);
  return g.model;
}

const models = [
  { id: 'model-lenet5', label: 'LeNet-5 (28x28, seeded weights)', file: 'lenet5.onnx', build: lenet5 },
  { id: 'model-mlp', label: 'Two-layer MLP (28x28, seeded weights)', file: 'mlp.onnx', build: mlp },
];

mkdirSync(path.join(sampleDir, 'models'), { recursive: true });
const projectFile = path.join(sampleDir, 'sample.joule');
const project = JSON.parse(readFileSync(projectFile, 'utf8')) as ProjectDocument;
project.models = models.map(({ id, label, file, build }) => {
  const bytes = encodeOnnx(build(), { seed: 7 });
  writeFileSync(path.join(sampleDir, 'models', file), bytes);
  return { id, label, path: `models/${file}`, sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length };
});
writeFileSync(projectFile, `${JSON.stringify(project, null, 2)}\n`);
for (const m of project.models) console.log(`${m.path}  ${m.sizeBytes} bytes  ${m.sha256}`);
