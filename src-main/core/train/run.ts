/**
 * Training and evaluation as requests (plain JSON, so they cross into a worker job) with the
 * defaults a planner expects: preprocessing from the model card, the dataset converted to the
 * model's input, a card written beside every trained model.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DatasetName, EvalRequest, TrainReport, TrainRequest } from '../../common/api/training';
import { JouleError } from '../../common/errors';
import type { Model } from '../onnx/ir';
import { writeOnnxFile } from '../onnx/write';
import type { Progress } from '../progress';
import { countModel } from '../zoo/count';
import { resolveModel } from '../zoo/resolve';
import { cardBeside, type ModelCard } from '../zoo/small/card';
import { FASHION_MNIST_NORMALIZATION, isSmallZooName } from '../zoo/small/registry';
import { loadDataset, splitTrainValidation, type Dataset, type DatasetSpec, type Normalization } from './data';
import { classifierShape, evaluateModel, type Evaluation } from './evaluate';
import { defaultTrainConfig, Trainer, type EpochMetrics, type TrainConfig } from './trainer';

export type { DatasetName, EvalRequest, TrainRequest } from '../../common/api/training';

export interface TrainEnvironment {
  /** resources/models (shipped trained zoo models and their cards). */
  modelsDir: string;
  /** Where dataset caches live. */
  cacheDir: string;
}

export type TrainResult = TrainReport;


/** Explicit mean/std, else the model card's, else the zoo's, else mean 0 and std 1. */
export function normalizationFor(request: { mean?: number[]; std?: number[] }, card: ModelCard | null, zooName: string | null): Normalization {
  const fallback = card?.input ?? (zooName && isSmallZooName(zooName) ? FASHION_MNIST_NORMALIZATION : { mean: [0], std: [1] });
  return { mean: request.mean ?? [...fallback.mean], std: request.std ?? [...fallback.std] };
}

function zooNameOf(spec: string): string | null {
  return spec.startsWith('zoo:') ? spec.slice(4) : null;
}

async function datasetFor(spec: DatasetName | { folder: string }, split: 'train' | 'test' | 'all', model: Model, env: TrainEnvironment, progress: Progress): Promise<Dataset> {
  const input = classifierShape(model).input;
  const [channels, height, width] = input.slice(1).map((d) => (typeof d === 'number' ? d : undefined));
  const options = { split, cacheDir: env.cacheDir, channels, height, width, progress };
  return loadDataset(spec as DatasetSpec, options);
}

export async function runTraining(request: TrainRequest, env: TrainEnvironment, progress: Progress): Promise<TrainResult> {
  const started = Date.now();
  if (!Number.isInteger(request.epochs) || request.epochs < 1) throw new JouleError(`epochs: expected a whole number of at least 1, got ${request.epochs}.`);
  const seed = request.seed ?? 1;
  const resolved = resolveModel(request.model, { purpose: 'train', modelsDir: env.modelsDir, seed });
  const card = cardBeside(resolved.file);
  const normalize = normalizationFor(request, card, zooNameOf(request.model));
  const isFolder = typeof request.dataset === 'object';
  const all = await datasetFor(request.dataset, isFolder ? 'all' : 'train', resolved.model, env, progress);
  const { train, validation } = isFolder ? splitTrainValidation(all, 0.1, seed) : { train: all, validation: await datasetFor(request.dataset, 'test', resolved.model, env, progress) };
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
  const teacher = request.teacher ? resolveModel(request.teacher, { purpose: 'evaluate', modelsDir: env.modelsDir }).model : undefined;
  const trainer = await Trainer.create(resolved.model, config, teacher);
  try {
    const history = await trainer.fit(train, { validation, progress });
    const trained = trainer.trainedModel();
    const out = path.resolve(request.out);
    writeOnnxFile(out, trained);
    const last = history.at(-1);
    const test = last?.validationAccuracy != null ? { accuracy: last.validationAccuracy, loss: last.validationLoss ?? 0, samples: validation.size, ms: last.ms } : null;
    const cardFile = `${out.replace(/\.onnx$/i, '')}.json`;
    const sha256 = createHash('sha256').update(readFileSync(out)).digest('hex');
    writeFileSync(cardFile, `${JSON.stringify(cardFor({ request, name: resolved.name, model: trained, data: all, config, history, test, out, started, sha256 }), null, 2)}\n`);
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

export async function runEvaluation(request: EvalRequest, env: TrainEnvironment, progress: Progress): Promise<Evaluation> {
  const resolved = resolveModel(request.model, { purpose: 'evaluate', modelsDir: env.modelsDir });
  const card = cardBeside(resolved.file);
  const normalize = normalizationFor(request, card, zooNameOf(request.model));
  const split = request.split ?? (typeof request.dataset === 'object' ? 'all' : 'test');
  const dataset = await datasetFor(request.dataset, split, resolved.model, env, progress);
  if (resolved.file && !existsSync(resolved.file)) throw new JouleError(`The model file ${resolved.file} is missing.`);
  return evaluateModel(resolved.model, dataset, { normalize, progress, threads: request.threads ?? 2 });
}

