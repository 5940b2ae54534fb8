/** The training service: training and evaluation as worker jobs. */
import type { EvalRequest, TrainingApi, TrainRequest } from '../common/api/training';
import type { JouleJobs } from '../jobs/catalog';
import type { JobPool } from '../jobs/pool';
import { optionalInteger, requireInteger, requireObject, requireString } from './arguments';

export class TrainingService implements TrainingApi {
  constructor(private readonly pool: JobPool<JouleJobs>) {}

  async start(request: TrainRequest): Promise<string> {
    requireObject(request, 'request');
    requireString(request.model, 'model');
    requireString(request.out, 'out');
    requireInteger(request.epochs, 'epochs', 1);
    optionalInteger(request.batchSize, 'batchSize', 1);
    optionalInteger(request.threads, 'threads', 1);
    return this.pool.start('train.run', request, { title: `Train ${request.model}` }).id;
  }

  async evaluate(request: EvalRequest): Promise<string> {
    requireObject(request, 'request');
    requireString(request.model, 'model');
    optionalInteger(request.threads, 'threads', 1);
    return this.pool.start('train.eval', request, { title: `Evaluate ${request.model}` }).id;
  }
}
