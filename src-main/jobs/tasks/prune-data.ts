/**
 * What a prune trains and measures on, and how: the fine-tuning images (labelled, or unlabeled
 * for distillation), the calibration images the criteria score on, the test split accuracy is
 * measured on, and the recipe each effort level stands for.
 */
import type { PruneRequest } from '../../common/api/pruning';
import type { Model } from '../../core/onnx/ir';
import type { Progress } from '../../core/progress';
import { PruningError } from '../../core/prune/errors';
import { selectSamples, type Dataset } from '../../core/train/data/dataset';
import type { Normalization } from '../../core/train/data/pixels';
import { permutation } from '../../core/train/data/random';
import { splitTrainValidation } from '../../core/train/data/split';
import { defaultTrainConfig, Trainer, type TrainConfig } from '../../core/train/trainer';
import type { ModelCard } from '../../core/zoo/small/card';
import type { JobEnvironment } from '../environment';
import { datasetFor, normalizationFor, unlabeledFor } from './training-inputs';

export interface PruneData {
  normalize: Normalization;
  /** The images fine-tuning trains on (labels all 0 when unlabeled). */
  train: Dataset;
  /** The images the criteria are scored on: a fixed sample of `train`. */
  calibration: Dataset;
  /** The split accuracies are measured on; null without labelled data. */
  test: Dataset | null;
  /** Fine-tune by distillation from the original alone. */
  unlabeled: boolean;
  /** Where the images came from, for the card. */
  label: string;
}

export interface PruneRecipe {
  /** At most this share of the original energy is removed per pruning step. */
  stepFraction: number;
  /** Fine-tune between pruning steps. */
  between: boolean;
  /** Images of each fine-tune between steps. */
  betweenSamples: number;
  calibrationSamples: number;
  epochs: number;
  /** Images per fine-tuning epoch; 0 = all. */
  samples: number;
  lr: number;
  threads: number;
}

/**
 * quick: 10% of the energy per step, no fine-tuning between steps, one epoch at the end.
 * thorough: 5% per step with 6,400 images of fine-tuning after each, three epochs at the end.
 */
export function recipeFor(request: Pick<PruneRequest, 'effort' | 'finetuneEpochs' | 'finetuneSamples' | 'threads'>): PruneRecipe {
  const thorough = request.effort === 'thorough';
  return {
    stepFraction: thorough ? 0.05 : 0.1,
    between: thorough,
    betweenSamples: 6400,
    calibrationSamples: thorough ? 512 : 256,
    epochs: request.finetuneEpochs ?? (thorough ? 3 : 1),
    samples: request.finetuneSamples ?? 0,
    lr: 0.01,
    threads: request.threads ?? 2,
  };
}

/** The sample of `dataset` a seed picks: `count` images (all of them when count is 0 or too large). */
function sample(dataset: Dataset, count: number, seed: number, stream: number): Dataset {
  if (!count || count >= dataset.size) return dataset;
  return selectSamples(dataset, permutation(dataset.size, seed, stream).slice(0, count));
}

export async function pruneData(request: PruneRequest, model: Model, card: ModelCard | null, env: JobEnvironment, progress: Progress): Promise<PruneData> {
  const seed = request.seed ?? 1;
  const spec = 'zoo' in request.model ? `zoo:${request.model.zoo}` : request.model.path;
  const normalize = normalizationFor(request, card, spec);
  const calibrationCount = recipeFor(request).calibrationSamples;
  if (request.unlabeled !== undefined) {
    const train = await unlabeledFor(request.unlabeled, model, env, progress);
    const test = request.dataset === undefined ? null : await datasetFor(request.dataset, typeof request.dataset === 'object' ? 'all' : 'test', model, env, progress);
    const label = typeof request.unlabeled === 'object' ? request.unlabeled.folder : `${request.unlabeled} (training images, labels dropped)`;
    return { normalize, train, calibration: sample(train, calibrationCount, seed, 1), test, unlabeled: true, label };
  }
  if (request.dataset === undefined) throw new PruningError('Pruning needs images: give a dataset (labelled) or unlabeled images to fine-tune and calibrate on.');
  if (typeof request.dataset === 'object') {
    const all = await datasetFor(request.dataset, 'all', model, env, progress);
    const { train, validation } = splitTrainValidation(all, 0.1, seed);
    return { normalize, train, calibration: sample(train, calibrationCount, seed, 1), test: validation, unlabeled: false, label: request.dataset.folder };
  }
  const train = await datasetFor(request.dataset, 'train', model, env, progress);
  const test = await datasetFor(request.dataset, 'test', model, env, progress);
  return { normalize, train, calibration: sample(train, calibrationCount, seed, 1), test, unlabeled: false, label: request.dataset };
}

/** Distillation temperature from the original model (Hinton et al. 2015). */
export const DISTILLATION = { temperature: 4, labelledAlpha: 0.5 } as const;

/** The fine-tune's training configuration: SGD with Nesterov momentum, cosine learning rate, distillation from the original. */
export function finetuneConfig(data: PruneData, recipe: PruneRecipe & { seed: number }): TrainConfig {
  return {
    ...defaultTrainConfig,
    epochs: recipe.epochs,
    batchSize: 64,
    optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4, nesterov: true },
    schedule: { kind: 'cosine', base: recipe.lr, warmupSteps: 50, totalSteps: 0 },
    seed: recipe.seed,
    normalize: data.normalize,
    threads: recipe.threads,
    distillation: { temperature: DISTILLATION.temperature, alpha: data.unlabeled ? 0 : DISTILLATION.labelledAlpha },
  };
}

/** Fine-tunes `model` on the data (a sample of it per `recipe.samples`), distilling from `teacher`. */
export async function finetune(model: Model, teacher: Model, data: PruneData, recipe: PruneRecipe & { seed: number }, progress: Progress, what: string): Promise<Model> {
  const trainer = await Trainer.create(model, finetuneConfig(data, recipe), teacher);
  try {
    const relabel = { report: (f: number | null, m: string, metrics?: Record<string, number>) => progress.report(f, `${what}: ${m}`, metrics), checkpoint: () => progress.checkpoint() };
    await trainer.fit(sample(data.train, recipe.samples, recipe.seed, 2), { progress: relabel });
    return trainer.trainedModel();
  } finally {
    await trainer.release();
  }
}
