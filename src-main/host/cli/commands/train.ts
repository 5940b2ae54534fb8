/** `joule train|eval MODEL`: training and evaluation as worker jobs, with progress on stderr. */
import path from 'node:path';
import { defaultDatasetCacheDir } from '../../../core/train/data';
import type { DatasetName, EvalRequest, TrainEnvironment, TrainRequest } from '../../../core/train/run';
import { choiceOption, numberOption, UsageError, type CliContext, type Command, type ParsedArgs } from '../command';

const MODEL = { name: 'MODEL', description: 'An .onnx file or zoo:NAME (see joule zoo list).' };
const datasetOption = { type: 'string' as const, placeholder: 'D', description: 'fashion-mnist, mnist, or a folder with one subfolder of images per class.' };
const normalizationOptions = {
  mean: { type: 'string' as const, placeholder: 'M', description: 'Per-channel mean after scaling pixels to [0, 1], e.g. 0.5 or 0.485,0.456,0.406 (default: the model card\'s, else 0).' },
  std: { type: 'string' as const, placeholder: 'S', description: 'Per-channel standard deviation (default: the model card\'s, else 1).' },
};

function dataset(args: ParsedArgs): DatasetName | { folder: string } {
  const value = args.options.dataset;
  if (typeof value !== 'string') throw new UsageError('Missing --dataset.');
  return value === 'fashion-mnist' || value === 'mnist' ? value : { folder: path.resolve(value) };
}

function numberList(args: ParsedArgs, name: string): number[] | undefined {
  const raw = args.options[name];
  if (raw === undefined) return undefined;
  const values = String(raw).split(',').map((v) => Number(v.trim()));
  if (!values.length || values.some((v) => !Number.isFinite(v))) throw new UsageError(`--${name} expects numbers separated by commas, got "${String(raw)}".`);
  if (name === 'std' && values.some((v) => v <= 0)) throw new UsageError(`--std values must be positive, got "${String(raw)}".`);
  return values;
}

function environment(context: CliContext): TrainEnvironment {
  return { modelsDir: path.join(context.paths.resourcesDir, 'models'), cacheDir: defaultDatasetCacheDir() };
}

/** Runs a job to completion, printing progress to stderr (not with --json) and cancelling on Ctrl+C. */
async function runJob<T>(context: CliContext, json: boolean, start: () => { id: string; done: Promise<T> }): Promise<T> {
  const runtime = await context.runtime();
  const job = start();
  let lastLine = '';
  const stop = runtime.events.subscribe((event) => {
    if (event.type !== 'job.updated' || json || event.job.id !== job.id || event.job.state !== 'running') return;
    const p = event.job.progress;
    const line = `${p.fraction === null ? '' : `${(p.fraction * 100).toFixed(0).padStart(3)}% `}${p.message}${p.metrics?.loss !== undefined ? `  loss ${p.metrics.loss.toFixed(4)} acc ${((p.metrics.accuracy ?? 0) * 100).toFixed(1)}%` : ''}`;
    if (line !== lastLine) context.err(line);
    lastLine = line;
  });
  const cancel = () => runtime.pool.cancel(job.id);
  process.once('SIGINT', cancel);
  try {
    return await job.done;
  } finally {
    process.off('SIGINT', cancel);
    stop();
  }
}

const train: Command = {
  words: ['train'],
  summary: 'Train or fine-tune a model with onnxruntime through generated gradient graphs; writes OUT.onnx and its model card OUT.json.',
  positionals: [MODEL],
  options: {
    dataset: datasetOption,
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
    const epochs = numberOption(args, 'epochs', { min: 1, integer: true });
    if (epochs === undefined) throw new UsageError('Missing --epochs N.');
    if (typeof args.options.out !== 'string') throw new UsageError('Missing --out OUT.onnx.');
    const request: TrainRequest = {
      model: args.positionals[0],
      dataset: dataset(args),
      epochs,
      batchSize: numberOption(args, 'batch', { min: 1, integer: true }),
      lr: numberOption(args, 'lr', { min: 0 }),
      optimizer: choiceOption(args, 'optimizer', ['sgd', 'adamw'] as const, 'sgd'),
      teacher: typeof args.options.teacher === 'string' ? args.options.teacher : undefined,
      alpha: numberOption(args, 'alpha', { min: 0 }),
      augment: args.options.augment === true,
      seed: numberOption(args, 'seed', { integer: true }),
      threads: numberOption(args, 'threads', { min: 1, integer: true }),
      mean: numberList(args, 'mean'),
      std: numberList(args, 'std'),
      out: path.resolve(args.options.out),
    };
    const runtime = await context.runtime();
    const result = await runJob(context, args.json, () => runtime.pool.start('train.run', { request, env: environment(context) }, { title: `Train ${request.model}`, hangTimeoutMs: 10 * 60_000 }));
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
  positionals: [MODEL],
  options: {
    dataset: datasetOption,
    split: { type: 'string', placeholder: 'S', description: 'train, test or all (default test; all for a folder).' },
    threads: { type: 'string', placeholder: 'N', description: 'onnxruntime threads (default 2).' },
    ...normalizationOptions,
  },
  async run(args, context) {
    const request: EvalRequest = {
      model: args.positionals[0],
      dataset: dataset(args),
      split: args.options.split === undefined ? undefined : choiceOption(args, 'split', ['train', 'test', 'all'] as const, 'test'),
      mean: numberList(args, 'mean'),
      std: numberList(args, 'std'),
      threads: numberOption(args, 'threads', { min: 1, integer: true }),
    };
    const runtime = await context.runtime();
    const result = await runJob(context, args.json, () => runtime.pool.start('train.eval', { request, env: environment(context) }, { title: `Evaluate ${request.model}`, hangTimeoutMs: 10 * 60_000 }));
    if (args.json) {
      context.out(JSON.stringify({ accuracy: result.accuracy, loss: result.loss, samples: result.samples, ms: result.ms }));
      return;
    }
    context.out(`accuracy ${(result.accuracy * 100).toFixed(2)}% (${result.samples} images), mean cross-entropy ${result.loss.toFixed(4)}, ${result.ms} ms`);
  },
};

export const trainCommands = [train, evaluate];
