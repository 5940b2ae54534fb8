/** The pruning service: a prune, or a sweep of compression options, as worker jobs. */
import path from 'node:path';
import { pruneCriteria, pruneEfforts, type OptionsRequest, type OptionStarted, type PruneCriterion, type PruneRecipe, type PruneRequest, type PruningApi } from '../common/api/pruning';
import { MAX_EPOCHS } from '../common/limits';
import { InvalidRequestError } from '../common/errors';
import type { JouleJobs } from '../jobs/catalog';
import type { JobExecutor, SweepJob } from '../jobs/executor';
import { optionalInteger, optionalThreads, requireModelSource, requireNumber, requireObject, requireString } from './arguments';
import { checkedDataset, checkedModelSource, type FileAccess } from './file-access';
import { prepareOutputFile, prepareOutputFolder } from './output-folder';

/** The most prunes one sweep may hold (the job pool queues 64 at most; the queue has no such limit). */
const MAX_SWEEP_JOBS = 1_000;

export class PruningService implements PruningApi {
  constructor(
    private readonly pool: JobExecutor<JouleJobs>,
    private readonly access: FileAccess,
  ) {}

  async start(request: PruneRequest): Promise<string> {
    const job = await this.prepare(request);
    return this.pool.start('prune.run', job.input, { title: job.title }).id;
  }

  /** A prune request checked, its paths resolved and its output folder made: the job to start. */
  private async prepare(request: PruneRequest): Promise<{ input: PruneRequest; title: string }> {
    requireObject(request, 'request');
    checkRecipe(request);
    const deviceId = this.access.deviceId(requireString(request.deviceId, 'deviceId'), 'deviceId');
    const budget = requireObject<Record<string, unknown>>(request.budget, 'budget');
    if ('fraction' in budget) requireFraction(budget.fraction, 'budget.fraction');
    else if ('joules' in budget) requireNumber(budget.joules, 'budget.joules', 0, { exclusive: true });
    else {
      const battery = requireObject<Record<string, unknown>>(budget.battery, 'budget.battery');
      for (const field of ['wh', 'ratePerS', 'hours']) requireNumber(battery[field], `budget.battery.${field}`, 0, { exclusive: true });
    }
    if (path.extname(requireString(request.out, 'out')).toLowerCase() !== '.onnx') throw new InvalidRequestError(`out: expected an .onnx file, got ${JSON.stringify(request.out)}.`);
    const out = await this.access.writable(request.out, 'out', 'model');
    const inputs = {
      model: await checkedModelSource(this.access, request.model, 'model'),
      ...(request.dataset === undefined ? {} : { dataset: await checkedDataset(this.access, request.dataset, 'dataset') }),
      ...(request.unlabeled === undefined ? {} : { unlabeled: await checkedDataset(this.access, request.unlabeled, 'unlabeled') }),
    };
    // The window writes variants into the project's models folder, which may not exist yet.
    await prepareOutputFile(out, 'out');
    return { input: { ...request, ...inputs, deviceId, out }, title: `Prune ${modelName(request)} for ${request.deviceId}` };
  }

  async startSweep(request: { title: string; prunes: PruneRequest[] }): Promise<string[]> {
    requireObject(request, 'request');
    const title = requireString(request.title, 'title');
    if (!Array.isArray(request.prunes) || request.prunes.length === 0) throw new InvalidRequestError('prunes: expected at least one prune request.');
    if (request.prunes.length > MAX_SWEEP_JOBS) throw new InvalidRequestError(`prunes: at most ${MAX_SWEEP_JOBS} prunes in one sweep, got ${request.prunes.length}.`);
    return this.sweep(title, request.prunes);
  }

  /** The prunes checked, then started as one sweep: on the job queue, a flow whose parent gathers the table. */
  private async sweep(title: string, prunes: PruneRequest[]): Promise<string[]> {
    const jobs: SweepJob<JouleJobs>[] = [];
    for (const prune of prunes) {
      const job = await this.prepare(prune);
      jobs.push({ kind: 'prune.run', input: job.input, title: job.title });
    }
    return this.pool.startSweep(title, jobs);
  }

  async startOptions(request: OptionsRequest): Promise<OptionStarted[]> {
    requireObject(request, 'request');
    checkRecipe(request);
    const outDir = await this.access.writable(requireString(request.outDir, 'outDir'), 'outDir', 'folder');
    await prepareOutputFolder(outDir, 'outDir');
    for (const [name, list] of [['deviceIds', request.deviceIds], ['budgets', request.budgets], ['criteria', request.criteria]] as const) {
      if (!Array.isArray(list) || list.length === 0) throw new InvalidRequestError(`${name}: expected at least one entry.`);
    }
    request.deviceIds.forEach((id, i) => this.access.deviceId(requireString(id, `deviceIds[${i}]`), `deviceIds[${i}]`));
    request.budgets.forEach((b, i) => requireFraction(b, `budgets[${i}]`));
    request.criteria.forEach((c, i) => requireCriterion(c, `criteria[${i}]`));
    const { deviceIds, budgets, criteria, outDir: _outDir, ...recipe } = request;
    const options: Omit<OptionStarted, 'jobId'>[] = [];
    for (const deviceId of deviceIds) {
      for (const budget of budgets) {
        for (const criterion of criteria) {
          const stem = `${modelName(request)}-${path.basename(deviceId, '.json')}-${Math.round(budget * 100)}-${criterion}`;
          options.push({ deviceId, budget, criterion, out: path.join(outDir, `${stem}.onnx`) });
        }
      }
    }
    const prunes = options.map(({ deviceId, budget, criterion, out }) => ({ ...recipe, criterion, deviceId, budget: { fraction: budget }, out }));
    const ids = await this.sweep(`Compression options for ${modelName(request)}`, prunes);
    return options.map((option, i) => ({ ...option, jobId: ids[i] }));
  }
}

function modelName(request: PruneRecipe): string {
  return 'zoo' in request.model ? request.model.zoo : path.basename(request.model.path, path.extname(request.model.path));
}

function requireFraction(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) throw new InvalidRequestError(`${name}: expected a fraction of the original energy between 0 and 1, got ${JSON.stringify(value)}.`);
  return value;
}

function requireCriterion(value: unknown, name: string): PruneCriterion {
  if (!(pruneCriteria as readonly unknown[]).includes(value)) throw new InvalidRequestError(`${name}: expected one of ${pruneCriteria.join(', ')}, got ${JSON.stringify(value)}.`);
  return value as PruneCriterion;
}

function checkRecipe(recipe: PruneRecipe): void {
  requireModelSource(recipe.model, 'model');
  if (recipe.criterion !== undefined) requireCriterion(recipe.criterion, 'criterion');
  if (recipe.effort !== undefined && !(pruneEfforts as readonly unknown[]).includes(recipe.effort)) throw new InvalidRequestError(`effort: expected quick or thorough, got ${JSON.stringify(recipe.effort)}.`);
  if (recipe.dataset === undefined && recipe.unlabeled === undefined) throw new InvalidRequestError('Pruning needs images: give a dataset or unlabeled images.');
  optionalInteger(recipe.finetuneEpochs, 'finetuneEpochs', 0, MAX_EPOCHS);
  optionalInteger(recipe.finetuneSamples, 'finetuneSamples', 1);
  optionalInteger(recipe.round, 'round', 1);
  optionalThreads(recipe.threads, 'threads');
}
