/** Training and evaluation requests, the same for the window, the CLI and the worker jobs. */
import type { EpochReport, EvaluationReport } from '../training/reports';

export type DatasetName = 'fashion-mnist' | 'mnist';
export type DatasetChoice = DatasetName | { folder: string };

export interface TrainRequest {
  /** A file path or `zoo:NAME`. */
  model: string;
  dataset: DatasetChoice;
  epochs: number;
  batchSize?: number;
  lr?: number;
  optimizer?: 'sgd' | 'adamw';
  /** A teacher model for knowledge distillation (file or zoo:NAME). */
  teacher?: string;
  /** Weight of the label loss when distilling (default 0.5; 0 = teacher only). */
  alpha?: number;
  temperature?: number;
  mean?: number[];
  std?: number[];
  seed?: number;
  augment?: boolean;
  threads?: number;
  /** The .onnx file to write; its model card goes beside it. */
  out: string;
}

export interface EvalRequest {
  model: string;
  dataset: DatasetChoice;
  split?: 'train' | 'test' | 'all';
  mean?: number[];
  std?: number[];
  threads?: number;
}

export interface TrainReport {
  out: string;
  card: string;
  history: EpochReport[];
  test: EvaluationReport | null;
  ms: number;
}

export interface TrainingApi {
  /** Starts a training job; its result is a `TrainReport`, its progress carries loss and accuracy. */
  start(request: TrainRequest): Promise<string>;
  /** Starts an evaluation job; its result is an `EvaluationReport`. */
  evaluate(request: EvalRequest): Promise<string>;
}

export type { EpochReport, EvaluationReport };
