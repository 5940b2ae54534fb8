/**
 * Writes the sample project's model files (resources/sample/models) and records their size and
 * sha256 in resources/sample/sample.joule. The ImageNet networks are real ONNX files with seeded
 * random weights (energy, latency and placement do not depend on trained weights); LeNet-5 is
 * the trained model of resources/models. Run: node --import tsx scripts/make-sample-models.ts
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeOnnx } from '../src-main/core/onnx/write';
import { zoo } from '../src-main/core/zoo/registry';
import type { ProjectDocument } from '../src-main/common/project/schema';

const sampleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../resources/sample');

const modelsDir = path.resolve(sampleDir, '../models');
mkdirSync(path.join(sampleDir, 'models'), { recursive: true });

/** The sample's models: two ImageNet classics for the cameras, the trained LeNet-5 for small crops. */
const models = [
  { id: 'model-mobilenet-v2', label: 'MobileNet-v2 (ImageNet 224, seeded weights)', file: 'mobilenet_v2.onnx', bytes: () => encodeOnnx(zoo.mobilenet_v2.build(), { seed: 7 }) },
  { id: 'model-squeezenet', label: 'SqueezeNet 1.1 (ImageNet 224, seeded weights)', file: 'squeezenet1_1.onnx', bytes: () => encodeOnnx(zoo.squeezenet1_1.build(), { seed: 7 }) },
  { id: 'model-lenet5', label: 'LeNet-5 (Fashion-MNIST, trained)', file: 'lenet5.onnx', bytes: () => readFileSync(path.join(modelsDir, 'lenet5.onnx')) },
];

// The trained model's card travels with it: placement reads its accuracy for accuracy floors.
copyFileSync(path.join(modelsDir, 'lenet5.json'), path.join(sampleDir, 'models', 'lenet5.json'));

const projectFile = path.join(sampleDir, 'sample.joule');
const project = JSON.parse(readFileSync(projectFile, 'utf8')) as ProjectDocument;
project.models = models.map(({ id, label, file, bytes: make }) => {
  const bytes = make();
  writeFileSync(path.join(sampleDir, 'models', file), bytes);
  return { id, label, path: `models/${file}`, sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length };
});
writeFileSync(projectFile, `${JSON.stringify(project, null, 2)}\n`);
for (const m of project.models) console.log(`${m.path}  ${m.sizeBytes} bytes  ${m.sha256}`);
