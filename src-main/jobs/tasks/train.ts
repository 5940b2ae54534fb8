/**
 * Job `train.run`: trains or fine-tunes a model with the defaults a planner expects
 * (preprocessing from the model card, the dataset converted to the model's input), writes the
 * trained ONNX file and a model card beside it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TrainReport, TrainRequest } from '../../common/api/training';
import { JouleError } from '../../common/errors';
import { writeFileAtomic } from '../../core/io/atomic-write';
import { sha256Hex } from '../../core/io/hash';
import { countModel } from '../../core/onnx/count';
import type { Model } from '../../core/onnx/ir';
import { writeOnnxFile } from '../../core/onnx/write';
import type { Dataset } from '../../core/train/data/dataset';
import { splitTrainValidation } from '../../core/train/data/split';
import { classifierShape, type Evaluation } from '../../core/train/evaluate';
import { defaultTrainConfig, Trainer, type EpochMetrics, type TrainConfig } from '../../core/train/trainer';
import { cardBeside, type ModelCard } from '../../core/zoo/small/card';
import type { JobContext } from '../context';
import { loadModelSpec } from './inputs';
import { datasetFor, normalizationFor } from './training-inputs';

export async function train(request: TrainRequest, context: JobContext): Promise<TrainReport> {
  const started = Date.now();
  if (!Number.isInteger(request.epochs) || request.epochs < 1) throw new JouleError(`epochs: expected a whole number of at least 1, got ${request.epochs}.`);
  const out = path.resolve(request.out);
  // Say so now, not after an hour of training.
  const outDir = path.dirname(out);
  if (!existsSync(outDir) || !statSync(outDir).isDirectory()) throw new JouleError(`The output folder ${outDir} does not exist.`);
  const seed = request.seed ?? 1;
  const resolved = loadModelSpec(request.model, context.env, 'train', seed);
  const normalize = normalizationFor(request, cardBeside(resolved.file), request.model);
  const isFolder = typeof request.dataset === 'object';
  const all = await datasetFor(request.dataset, isFolder ? 'all' : 'train', resolved.model, context.env, context);
  const { train, validation } = isFolder ? splitTrainValidation(all, 0.1, seed) : { train: all, validation: await datasetFor(request.dataset, 'test', resolved.model, context.env, context) };
  const optimizer = request.optimizer === 'adamw'
    ? ({ kind: 'adamw', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 } as const)
    : ({ kind: 'sgd', momentum: 0.9, weightDecay: 5e-4, nesterov: true } as const);
  const config: TrainConfig = {
    ...defaultTrainConfig,
    epochs: request.epochs,
    batchSize: request.batchSize ?? 64,
    optimizer,
    schedule: { kind: 'cosine', base: request.lr ?? (request.optimizer === 'adamw' ? 1e-3 : 0.05), warmupSteps: 100, totalSteps: 0 },
    seed,
    normalize,
    augment: request.augment ? { randomCrop: 2, flip: true } : undefined,
    threads: request.threads ?? 2,
    distillation: request.teacher ? { temperature: request.temperature ?? 4, alpha: request.alpha ?? 0.5 } : undefined,
  };
  const teacher = request.teacher ? loadModelSpec(request.teacher, context.env, 'evaluate').model : undefined;
  const trainer = await Trainer.create(resolved.model, config, teacher);
  try {
    const history = await trainer.fit(train, { validation, progress: context });
    const trained = trainer.trainedModel();
    writeOnnxFile(out, trained);
    const last = history.at(-1);
    const test = last?.validationAccuracy != null ? { accuracy: last.validationAccuracy, loss: last.validationLoss ?? 0, samples: validation.size, ms: last.ms } : null;
    const cardFile = `${out.replace(/\.onnx$/i, '')}.json`;
    const sha256 = sha256Hex(readFileSync(out));
    const card = cardFor({ request, name: resolved.name, model: trained, data: all, config, history, test, out, started, sha256 });
    await writeFileAtomic(cardFile, `${JSON.stringify(card, null, 2)}\n`, { backup: false });
    return { out, card: cardFile, history, test, ms: Date.now() - started };
  } finally {
    await trainer.release();
  }
}

interface CardInputs {
  request: TrainRequest;
  name: string;
  model: Model;
  data: Dataset;
  config: TrainConfig;
  history: EpochMetrics[];
  test: Evaluation | null;
  out: string;
  started: number;
  sha256: string;
}

function cardFor({ request, name, model, data, config, history, test, out, started, sha256 }: CardInputs): ModelCard {
  const { macs, params } = countModel(model);
  return {
    schemaVersion: 1,
    name: path.basename(out, '.onnx'),
    title: `${name} trained by Joule`,
    architecture: name,
    dataset: typeof request.dataset === 'string' ? request.dataset : request.dataset.folder,
    split: typeof request.dataset === 'string' ? "the package's train split; accuracy on its test split" : '90% train / 10% validation (stratified by class); accuracy on the validation part',
    input: { shape: classifierShape(model).input, mean: [...config.normalize.mean], std: [...config.normalize.std] },
    classes: [...data.classes],
    macs,
    params,
    training: {
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed,
      threads: config.threads,
      optimizer: { ...config.optimizer },
      schedule: { ...config.schedule },
      augment: config.augment ? { ...config.augment } : null,
      minutes: Math.round((Date.now() - started) / 600) / 100,
      history: history.map((h) => ({ ...h })),
    },
    testAccuracy: test?.accuracy ?? 0,
    testLoss: test?.loss ?? 0,
    testSamples: test?.samples ?? 0,
    sha256,
    producedBy: 'joule train',
  };
}
