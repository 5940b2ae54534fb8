/** Accuracy and mean cross-entropy of a model over a dataset, batch by batch in onnxruntime. */
import * as ort from 'onnxruntime-node';
import type { EvaluationReport } from '../../common/training/reports';
import type { Model } from '../onnx/ir';
import { inferShapes } from '../onnx/shapes';
import type { Progress } from '../progress';
import { batches } from './data/batches';
import { type Dataset } from './data/dataset';
import { type Normalization } from './data/pixels';
import { scoreLogits } from './metrics';
import { openSession } from '../onnx/session';

export type Evaluation = EvaluationReport;

export interface EvaluateOptions {
  normalize: Normalization;
  batchSize?: number;
  progress?: Progress;
}

/**
 * Runs `session` over `dataset`. `feeds` holds the inputs other than the image (weights fed as
 * inputs during training); the image goes in under `inputName`.
 */
export async function evaluateSession(
  session: ort.InferenceSession,
  dataset: Dataset,
  options: EvaluateOptions & { inputName: string; classes: number; feeds?: Record<string, ort.Tensor> },
): Promise<Evaluation> {
  const started = Date.now();
  const feeds = { ...options.feeds };
  let correct = 0;
  let lossSum = 0;
  let done = 0;
  for (const batch of batches(dataset, { batchSize: options.batchSize ?? 256, shuffle: false, normalize: options.normalize })) {
    options.progress?.checkpoint();
    feeds[options.inputName] = new ort.Tensor('float32', batch.x, batch.dims);
    const out = await session.run(feeds);
    const score = scoreLogits(out[session.outputNames[0]].data as Float32Array, batch.y, batch.size, options.classes);
    correct += score.correct;
    lossSum += score.lossSum;
    done += batch.size;
    options.progress?.report(done / dataset.size, `Evaluated ${done} of ${dataset.size} images`);
  }
  return { accuracy: correct / dataset.size, loss: lossSum / dataset.size, samples: dataset.size, ms: Date.now() - started };
}

/** The image input's name and the number of classes of a classifier with [N, K] logits. */
export function classifierShape(model: Model): { inputName: string; classes: number; input: (number | string)[] } {
  const input = model.graph.inputs.find((v) => !model.graph.initializers.has(v.name));
  if (!input) throw new Error('The model has no image input.');
  const shapes = inferShapes(model);
  const logits = shapes.get(model.graph.outputs[0].name)?.shape ?? null;
  const classes = Number(logits?.[1]);
  if (logits?.length !== 2 || !Number.isInteger(classes) || classes < 2) {
    throw new Error(`The model's output must be [N, classes] logits; got ${JSON.stringify(logits)}.`);
  }
  return { inputName: input.name, classes, input: input.shape ?? [] };
}

export async function evaluateModel(model: Model, dataset: Dataset, options: EvaluateOptions & { threads?: number }): Promise<Evaluation> {
  const { inputName, classes } = classifierShape(model);
  if (classes < dataset.classes.length) {
    throw new Error(`The model predicts ${classes} classes but the dataset '${dataset.name}' has ${dataset.classes.length}.`);
  }
  const session = await openSession(model, { threads: options.threads ?? 1 });
  try {
    return await evaluateSession(session, dataset, { ...options, inputName, classes });
  } finally {
    await session.release();
  }
}
