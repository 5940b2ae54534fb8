/**
 * Trains an ONNX model with onnxruntime-node: each step runs the generated gradient graph on a
 * batch, then the optimizer updates the weights (Float32Arrays) in place. Deterministic for a
 * seed and thread count; checkpoints resume exactly; cancellation is checked between steps.
 *
 * @example
 *   const trainer = await Trainer.create(model, { ...defaultTrainConfig, epochs: 1 });
 *   const history = await trainer.fit(trainSet, { validation: testSet, progress });
 *   writeOnnxFile('lenet.onnx', trainer.trainedModel());
 */
import * as ort from 'onnxruntime-node';
import type { EpochReport } from '../../common/training/reports';
import type { Model } from '../onnx/ir';
import { silentProgress, type Progress } from '../progress';
import { buildGradientGraph, planTraining } from './autodiff/gradient-graph';
import { GRAD_PREFIX } from './autodiff/differentiate';
import { LOSS_OUTPUT, LOGITS_OUTPUT, type LossSpec } from './autodiff/loss';
import { RUNNING_PREFIX } from './autodiff/rules/norm';
import type { Checkpoint } from './checkpoint';
import { batchCount, batches } from './data/batches';
import { type AugmentOptions } from './data/augment';
import { type Dataset } from './data/dataset';
import { type Normalization } from './data/pixels';
import { classifierShape, evaluateSession, type Evaluation } from './evaluate';
import { scoreLogits } from './metrics';
import { clipScale, createOptimizerState, globalNorm, optimizerStep, type OptimizerSpec, type OptimizerState } from './optim/optimizer';
import { learningRate, type LrSchedule } from './optim/schedule';
import { initializersAsInputs, parametersOf, withParameters, type ParameterSet } from './parameters';
import { openSession } from '../onnx/session';
import { nchwcBlockSize } from './nchwc-block';
import { floatOutput, parameterFeeds } from './sessions';

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerSpec;
  /** Learning rate by step; `totalSteps` of a cosine schedule defaults to the whole run. */
  schedule: LrSchedule;
  /** Clip the global gradient norm to this value. */
  maxGradNorm?: number;
  seed: number;
  normalize: Normalization;
  augment?: AugmentOptions;
  /** Knowledge distillation from a teacher's logits instead of (or mixed with) labels. */
  distillation?: { temperature: number; alpha: number };
  batchNormMode?: 'train' | 'frozen';
  /** onnxruntime intra-op threads for the training session. */
  threads: number;
}

export const defaultTrainConfig: TrainConfig = {
  epochs: 1,
  batchSize: 64,
  optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 },
  schedule: { kind: 'cosine', base: 0.05, warmupSteps: 100, totalSteps: 0 },
  seed: 1,
  normalize: { mean: [0], std: [1] },
  threads: 1,
};

/** One epoch's numbers, as the window and the CLI report them. */
export type EpochMetrics = EpochReport;

export interface TrainerMeta {
  config: TrainConfig;
  history: EpochMetrics[];
}

export class Trainer {
  private readonly state: OptimizerState;
  private stepCount = 0;
  private readonly history: EpochMetrics[] = [];
  private evalSession: ort.InferenceSession | null = null;

  private constructor(
    private readonly model: Model,
    readonly config: TrainConfig,
    private readonly params: ParameterSet,
    private readonly trainable: string[],
    private readonly runningStats: string[],
    private readonly session: ort.InferenceSession,
    private readonly teacher: ort.InferenceSession | null,
    private readonly inputName: string,
    private readonly classes: number,
  ) {
    this.state = createOptimizerState();
  }

  /** Builds the gradient graph and its session. `teacher` is required with `config.distillation`. */
  static async create(model: Model, config: TrainConfig, teacher?: Model): Promise<Trainer> {
    const loss: LossSpec = config.distillation
      ? { kind: 'distillation', temperature: config.distillation.temperature, alpha: config.distillation.alpha, teacherLogits: 'teacher_logits', labels: 'labels' }
      : { kind: 'cross-entropy', labels: 'labels' };
    if (config.distillation && !teacher) throw new Error('Distillation needs a teacher model.');
    const options = { loss, batchNormMode: config.batchNormMode ?? 'train', dropoutSeed: config.seed };
    const plan = planTraining(model, options);
    // onnxruntime's blocked conv kernels where this CPU has them: the same gradients, faster.
    const graph = buildGradientGraph(model, { ...options, nchwcBlock: await nchwcBlockSize() });
    const session = await openSession(graph, { threads: config.threads });
    const teacherSession = teacher ? await openSession(teacher, { threads: config.threads }) : null;
    const { inputName, classes } = classifierShape(model);
    return new Trainer(model, config, parametersOf(model), plan.trainable, plan.runningStats, session, teacherSession, inputName, classes);
  }

  get step(): number {
    return this.stepCount;
  }

  get epochHistory(): readonly EpochMetrics[] {
    return this.history;
  }

  /** Trains the remaining epochs of `config.epochs`, evaluating on `validation` after each. */
  async fit(train: Dataset, options: { validation?: Dataset; progress?: Progress; onEpoch?: (m: EpochMetrics) => void | Promise<void> } = {}): Promise<EpochMetrics[]> {
    const progress = options.progress ?? silentProgress;
    const { batchSize, epochs, seed } = this.config;
    const stepsPerEpoch = batchCount(train.size, batchSize);
    const totalSteps = stepsPerEpoch * epochs;
    const schedule: LrSchedule = this.config.schedule.kind === 'cosine' && !this.config.schedule.totalSteps ? { ...this.config.schedule, totalSteps } : this.config.schedule;
    for (let epoch = Math.floor(this.stepCount / stepsPerEpoch); epoch < epochs; epoch++) {
      const started = Date.now();
      const skip = this.stepCount - epoch * stepsPerEpoch;
      let seen = 0;
      let correct = 0;
      let lossSum = 0;
      let index = 0;
      for (const batch of batches(train, { batchSize, seed, epoch, augment: this.config.augment, normalize: this.config.normalize })) {
        if (index++ < skip) continue;
        progress.checkpoint();
        const lr = learningRate(schedule, this.stepCount);
        const { loss, score } = await this.trainStep(batch.x, batch.y, batch.dims, lr);
        seen += batch.size;
        correct += score;
        lossSum += loss * batch.size;
        const fraction = (this.stepCount) / totalSteps;
        progress.report(fraction, `Epoch ${epoch + 1} of ${epochs}, step ${this.stepCount - epoch * stepsPerEpoch} of ${stepsPerEpoch}`, {
          epoch: epoch + 1,
          step: this.stepCount,
          loss,
          accuracy: seen ? correct / seen : 0,
          lr,
        });
      }
      const validation = options.validation ? await this.evaluate(options.validation, { progress: evaluationPhase(progress, this.stepCount / totalSteps, epoch + 1, epochs) }) : null;
      const metrics: EpochMetrics = {
        epoch: epoch + 1,
        step: this.stepCount,
        trainLoss: seen ? lossSum / seen : NaN,
        trainAccuracy: seen ? correct / seen : NaN,
        validationLoss: validation?.loss ?? null,
        validationAccuracy: validation?.accuracy ?? null,
        ms: Date.now() - started,
      };
      this.history.push(metrics);
      if (validation) {
        progress.report(this.stepCount / totalSteps, `Epoch ${epoch + 1} of ${epochs}: test accuracy ${(validation.accuracy * 100).toFixed(2)}%`, {
          epoch: epoch + 1,
          step: this.stepCount,
          validationAccuracy: validation.accuracy,
          validationLoss: validation.loss,
        });
      }
      await options.onEpoch?.(metrics);
    }
    return this.history;
  }

  /** One optimizer step on a batch; returns the batch loss and the number of correct predictions. */
  async trainStep(x: Float32Array, y: BigInt64Array, dims: readonly number[], lr: number): Promise<{ loss: number; score: number }> {
    const results = await this.run(x, y, dims);
    const grads = this.gradientsOf(results);
    const scale = clipScale(this.config.maxGradNorm === undefined ? 0 : globalNorm(grads), this.config.maxGradNorm);
    optimizerStep(this.config.optimizer, this.state, this.params, grads, lr, scale);
    for (const name of this.runningStats) this.params.get(name)!.data.set(floatOutput(results, RUNNING_PREFIX + name));
    this.stepCount++;
    const logits = floatOutput(results, LOGITS_OUTPUT);
    const loss = floatOutput(results, LOSS_OUTPUT)[0];
    return { loss, score: scoreLogits(logits, y, dims[0], this.classes).correct };
  }

  /** The loss gradient of every trainable parameter on a batch, without changing anything (pruning criteria read them). */
  async gradients(x: Float32Array, y: BigInt64Array, dims: readonly number[]): Promise<Map<string, Float32Array>> {
    return this.gradientsOf(await this.run(x, y, dims));
  }

  /** Weights of the trainable parameters as they are now. */
  parameter(name: string): Float32Array | undefined {
    return this.params.get(name)?.data;
  }

  private async run(x: Float32Array, y: BigInt64Array, dims: readonly number[]): Promise<ort.InferenceSession.ReturnType> {
    const feeds: Record<string, ort.Tensor> = {
      [this.inputName]: new ort.Tensor('float32', x, dims),
      labels: new ort.Tensor('int64', y, [dims[0]]),
    };
    parameterFeeds(this.params, this.trainable, feeds);
    parameterFeeds(this.params, this.runningStats, feeds);
    if (this.teacher) {
      const out = await this.teacher.run({ [this.teacher.inputNames[0]]: feeds[this.inputName] });
      feeds.teacher_logits = out[this.teacher.outputNames[0]];
    }
    return this.session.run(feeds);
  }

  private gradientsOf(results: ort.InferenceSession.ReturnType): Map<string, Float32Array> {
    const grads = new Map<string, Float32Array>();
    for (const name of this.trainable) grads.set(name, floatOutput(results, GRAD_PREFIX + name));
    return grads;
  }

  /** The logits the training graph computes for a batch (train-mode forward), without updating anything. */
  async forwardLogits(x: Float32Array, dims: readonly number[]): Promise<Float32Array> {
    const feeds: Record<string, ort.Tensor> = {
      [this.inputName]: new ort.Tensor('float32', x, dims),
      labels: new ort.Tensor('int64', new BigInt64Array(dims[0]), [dims[0]]),
    };
    parameterFeeds(this.params, [...this.trainable, ...this.runningStats], feeds);
    if (this.teacher) feeds.teacher_logits = (await this.teacher.run({ [this.teacher.inputNames[0]]: feeds[this.inputName] }))[this.teacher.outputNames[0]];
    return Float32Array.from(floatOutput(await this.session.run(feeds), LOGITS_OUTPUT));
  }

  /** Accuracy and mean cross-entropy of the current weights (BatchNormalization in inference mode). */
  async evaluate(dataset: Dataset, options: { batchSize?: number; progress?: Progress } = {}): Promise<Evaluation> {
    this.evalSession ??= await openSession(initializersAsInputs(this.model, [...this.params.keys()]), { threads: this.config.threads });
    return evaluateSession(this.evalSession, dataset, {
      ...options,
      normalize: this.config.normalize,
      inputName: this.inputName,
      classes: this.classes,
      feeds: parameterFeeds(this.params, this.params.keys()),
    });
  }

  /** The original model with the trained weights and running statistics. */
  trainedModel(): Model {
    return withParameters(this.model, this.params);
  }

  checkpoint(): Checkpoint<TrainerMeta> {
    const params: ParameterSet = new Map([...this.params].map(([k, p]) => [k, { ...p, data: Float32Array.from(p.data) }]));
    const buffers = new Map([...this.state.buffers].map(([k, b]) => [k, Float32Array.from(b)]));
    return { step: this.stepCount, params, optimizer: { step: this.state.step, buffers }, meta: { config: this.config, history: [...this.history] } };
  }

  /** Continues from a checkpoint of the same model and configuration. */
  restore(checkpoint: Checkpoint<TrainerMeta>): void {
    for (const [name, p] of checkpoint.params) {
      const mine = this.params.get(name);
      if (!mine || mine.data.length !== p.data.length) throw new Error(`The checkpoint's parameter '${name}' does not match this model.`);
      mine.data.set(p.data);
    }
    this.state.step = checkpoint.optimizer.step;
    this.state.buffers = new Map([...checkpoint.optimizer.buffers].map(([k, b]) => [k, Float32Array.from(b)]));
    this.stepCount = checkpoint.step;
    this.history.splice(0, this.history.length, ...checkpoint.meta.history);
  }

  async release(): Promise<void> {
    await Promise.all([this.session.release(), this.teacher?.release(), this.evalSession?.release()]);
  }
}

/**
 * The progress of the evaluation after an epoch: it names the phase (so the window does not sit
 * at the last step without a word), keeps honouring cancel, and holds the job's bar where training left it.
 */
export function evaluationPhase(progress: Progress, fraction: number, epoch: number, epochs: number): Progress {
  return {
    report: (part, message) => progress.report(fraction, `Epoch ${epoch} of ${epochs}: evaluating on the test set (${message.charAt(0).toLowerCase()}${message.slice(1)})`, { epoch, evaluated: part ?? 0 }),
    checkpoint: () => progress.checkpoint(),
  };
}
