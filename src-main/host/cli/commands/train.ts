/** `joule train|eval MODEL`: training and evaluation as worker jobs, with progress on stderr. */
import path from 'node:path';
import { MAX_EPOCHS, MAX_TRAIN_BATCH } from '../../../common/limits';
import type { EvalRequest, EvaluationReport, TrainReport, TrainRequest } from '../../../common/api/training';
import { choiceOption, type Command, numberOption, requiredNumberOption, requiredOption, stringOption, threadsOption } from '../command';
import { datasetOption, MODEL_ARGUMENT, modelSpec, numberListOption } from '../inputs';
import { awaitJob } from '../jobs';
import { REDIS_OPTION } from '../queue-option';

const dataset = { type: 'string' as const, placeholder: 'D', description: 'fashion-mnist, mnist, or a folder with one subfolder of images per class.' };
const normalizationOptions = {
  mean: { type: 'string' as const, placeholder: 'M', description: "Per-channel mean after scaling pixels to [0, 1], e.g. 0.5 or 0.485,0.456,0.406 (default: the model card's, else 0)." },
  std: { type: 'string' as const, placeholder: 'S', description: "Per-channel standard deviation (default: the model card's, else 1)." },
};

const lossAndAccuracy = (m: Record<string, number>) => (m.loss === undefined ? '' : `loss ${m.loss.toFixed(4)} acc ${((m.accuracy ?? 0) * 100).toFixed(1)}%`);

const train: Command = {
  words: ['train'],
  summary: 'Train or fine-tune a model with onnxruntime through generated gradient graphs; writes OUT.onnx and its model card OUT.json.',
  positionals: [MODEL_ARGUMENT],
  options: {
    redis: REDIS_OPTION,
    dataset,
    epochs: { type: 'string', placeholder: 'N', description: 'Epochs (passes over the training set).' },
    batch: { type: 'string', placeholder: 'B', description: 'Batch size (default 64).' },
    lr: { type: 'string', placeholder: 'X', description: 'Peak learning rate of the cosine schedule (default 0.05 for sgd, 0.001 for adamw).' },
    optimizer: { type: 'string', placeholder: 'O', description: 'sgd (momentum 0.9, Nesterov) or adamw (default sgd).' },
    teacher: { type: 'string', placeholder: 'T.onnx', description: 'Distil from this teacher model (knowledge distillation, T = 4).' },
    alpha: { type: 'string', placeholder: 'A', description: 'With --teacher: weight of the label loss, 0 to 1 (default 0.5; 0 = teacher only).' },
    augment: { type: 'boolean', description: 'Random 2-pixel shifts and horizontal flips.' },
    seed: { type: 'string', placeholder: 'S', description: 'Seed of the weights, data order and augmentation (default 1).' },
    threads: { type: 'string', placeholder: 'N', description: 'onnxruntime threads (default 2).' },
    out: { type: 'string', placeholder: 'OUT.onnx', description: 'Where to write the trained model.' },
    ...normalizationOptions,
  },
  async run(args, context) {
    const epochs = requiredNumberOption(args, 'epochs', 'N', { min: 1, max: MAX_EPOCHS, integer: true });
    const out = requiredOption(args, 'out', 'OUT.onnx');
    const teacher = stringOption(args, 'teacher');
    const request: TrainRequest = {
      model: modelSpec(args.positionals[0]),
      dataset: datasetOption(args),
      epochs,
      batchSize: numberOption(args, 'batch', { min: 1, max: MAX_TRAIN_BATCH, integer: true }),
      lr: numberOption(args, 'lr', { min: 0 }),
      optimizer: choiceOption(args, 'optimizer', ['sgd', 'adamw'] as const, 'sgd'),
      teacher: teacher === undefined ? undefined : modelSpec(teacher),
      alpha: numberOption(args, 'alpha', { min: 0 }),
      augment: args.options.augment === true,
      seed: numberOption(args, 'seed', { integer: true }),
      threads: threadsOption(args),
      mean: numberListOption(args, 'mean'),
      std: numberListOption(args, 'std', { positive: true }),
      out: path.resolve(out),
    };
    const { training } = (await context.runtime()).services;
    const result = await awaitJob<TrainReport>(context, training.start(request), { progress: !args.json, metricsText: lossAndAccuracy });
    if (args.json) {
      context.out(JSON.stringify(result, null, 2));
      return;
    }
    for (const h of result.history) {
      context.out(`epoch ${h.epoch}: train loss ${h.trainLoss.toFixed(4)}, train accuracy ${(h.trainAccuracy * 100).toFixed(2)}%${h.validationAccuracy !== null ? `, test accuracy ${(h.validationAccuracy * 100).toFixed(2)}%` : ''}`);
    }
    context.out(`Wrote ${result.out} and its card ${result.card}.`);
  },
};

const evaluate: Command = {
  words: ['eval'],
  summary: 'Accuracy and mean cross-entropy of a model on a dataset.',
  positionals: [MODEL_ARGUMENT],
  options: {
    dataset,
    split: { type: 'string', placeholder: 'S', description: 'train, test or all (default test; all for a folder).' },
    threads: { type: 'string', placeholder: 'N', description: 'onnxruntime threads (default 2).' },
    ...normalizationOptions,
  },
  async run(args, context) {
    const request: EvalRequest = {
      model: modelSpec(args.positionals[0]),
      dataset: datasetOption(args),
      split: args.options.split === undefined ? undefined : choiceOption(args, 'split', ['train', 'test', 'all'] as const, 'test'),
      mean: numberListOption(args, 'mean'),
      std: numberListOption(args, 'std', { positive: true }),
      threads: threadsOption(args),
    };
    const { training } = (await context.runtime()).services;
    const result = await awaitJob<EvaluationReport>(context, training.evaluate(request), { progress: !args.json });
    if (args.json) {
      context.out(JSON.stringify(result));
      return;
    }
    context.out(`accuracy ${(result.accuracy * 100).toFixed(2)}% (${result.samples} images), mean cross-entropy ${result.loss.toFixed(4)}, ${result.ms} ms`);
  },
};

export const trainCommands = [train, evaluate];
