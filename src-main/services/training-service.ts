/** The training service: training and evaluation as worker jobs. */
import type { EvalRequest, TrainingApi, TrainRequest } from '../common/api/training';
import type { JouleJobs } from '../jobs/catalog';
import type { JobExecutor } from '../jobs/executor';
import { MAX_EPOCHS, MAX_TRAIN_BATCH } from '../common/limits';
import { optionalInteger, optionalThreads, requireInteger, requireObject, requireString } from './arguments';
import { checkedDataset, checkedModelSpec, type FileAccess } from './file-access';
import { prepareOutputFile } from './output-folder';

export class TrainingService implements TrainingApi {
  constructor(
    private readonly pool: JobExecutor<JouleJobs>,
    private readonly access: FileAccess,
  ) {}

  async start(request: TrainRequest): Promise<string> {
    requireObject(request, 'request');
    requireString(request.model, 'model');
    requireString(request.out, 'out');
    requireInteger(request.epochs, 'epochs', 1, MAX_EPOCHS);
    optionalInteger(request.batchSize, 'batchSize', 1, MAX_TRAIN_BATCH);
    optionalThreads(request.threads, 'threads');
    const checked: TrainRequest = {
      ...request,
      model: await checkedModelSpec(this.access, request.model, 'model'),
      dataset: await checkedDataset(this.access, request.dataset, 'dataset'),
      out: await this.access.writable(request.out, 'out', 'model'),
      ...(request.teacher === undefined ? {} : { teacher: await checkedModelSpec(this.access, requireString(request.teacher, 'teacher'), 'teacher') }),
    };
    await prepareOutputFile(checked.out, 'out');
    return this.pool.start('train.run', checked, { title: `Train ${request.model}` }).id;
  }

  async evaluate(request: EvalRequest): Promise<string> {
    requireObject(request, 'request');
    requireString(request.model, 'model');
    optionalThreads(request.threads, 'threads');
    const checked: EvalRequest = { ...request, model: await checkedModelSpec(this.access, request.model, 'model'), dataset: await checkedDataset(this.access, request.dataset, 'dataset') };
    return this.pool.start('train.eval', checked, { title: `Evaluate ${request.model}` }).id;
  }
}
