/** The training service: training and evaluation as worker jobs. */
import type { EvalRequest, TrainingApi, TrainRequest } from '../common/api/training';
import { InvalidRequestError } from '../common/errors';
import type { TrainEnvironment } from '../core/train/run';
import type { JouleJobs } from '../jobs/catalog';
import type { JobPool } from '../jobs/pool';
import { requireObject, requireString } from './arguments';

/** Training steps block the worker in onnxruntime; a step of a big model can take seconds. */
const TRAIN_HANG_MS = 10 * 60_000;

export class TrainingService implements TrainingApi {
  constructor(
    private readonly pool: JobPool<JouleJobs>,
    private readonly env: TrainEnvironment,
  ) {}

  async start(request: TrainRequest): Promise<string> {
    requireObject(request, 'request');
    requireString(request.model, 'model');
    requireString(request.out, 'out');
    if (!Number.isInteger(request.epochs) || request.epochs < 1) {
      throw new InvalidRequestError(`epochs: expected a whole number of at least 1, got ${JSON.stringify(request.epochs)}.`);
    }
    return this.pool.start('train.run', { request, env: this.env }, { title: `Train ${request.model}`, hangTimeoutMs: TRAIN_HANG_MS }).id;
  }

  async evaluate(request: EvalRequest): Promise<string> {
    requireObject(request, 'request');
    requireString(request.model, 'model');
    return this.pool.start('train.eval', { request, env: this.env }, { title: `Evaluate ${request.model}`, hangTimeoutMs: TRAIN_HANG_MS }).id;
  }
}
