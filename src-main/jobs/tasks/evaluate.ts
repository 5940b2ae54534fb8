/** Job `train.eval`: accuracy and mean cross-entropy of a model on a dataset split. */
import { existsSync } from 'node:fs';
import type { EvalRequest } from '../../common/api/training';
import { JouleError } from '../../common/errors';
import type { EvaluationReport } from '../../common/training/reports';
import { evaluateModel } from '../../core/train/evaluate';
import { cardBeside } from '../../core/zoo/small/card';
import type { JobContext } from '../context';
import { loadModelSpec } from './inputs';
import { datasetFor, normalizationFor } from './training-inputs';

export async function evaluate(request: EvalRequest, context: JobContext): Promise<EvaluationReport> {
  const resolved = loadModelSpec(request.model, context.env, 'evaluate');
  const normalize = normalizationFor(request, cardBeside(resolved.file), request.model);
  const split = request.split ?? (typeof request.dataset === 'object' ? 'all' : 'test');
  const dataset = await datasetFor(request.dataset, split, resolved.model, context.env, context);
  if (resolved.file && !existsSync(resolved.file)) throw new JouleError(`The model file ${resolved.file} is missing.`);
  return evaluateModel(resolved.model, dataset, { normalize, progress: context, threads: request.threads ?? 2 });
}
