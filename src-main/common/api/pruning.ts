/** Energy-constrained pruning with fine-tuning, and sweeps of compression options, as the window and the CLI request them. */
import type { BatteryTarget } from '../pruning/budget';
import type { PruneCriterion } from '../pruning/criteria';
import type { ModelSource } from './models';
import type { DatasetChoice, DatasetName } from './training';

export { criterionDescriptions, pruneCriteria, type PruneCriterion } from '../pruning/criteria';

export const pruneEfforts = ['quick', 'thorough'] as const;
export type PruneEffort = (typeof pruneEfforts)[number];

/** A fraction of the original model's energy on the device, joules per inference, or a battery that must last a shift. */
export type PruneBudget = { fraction: number } | { joules: number } | { battery: BatteryTarget };

/** Everything about a prune but its device and budget: what a sweep shares across its options. */
export interface PruneRecipe {
  /** The model to compress; it needs trained weights (a project file, or a small-zoo model Joule ships). */
  model: ModelSource;
  /** Default energy-taylor: first-order Taylor importance per joule saved on the device. */
  criterion?: PruneCriterion;
  /**
   * Labelled images: calibration, fine-tuning with labels (and distillation from the original),
   * and the test split the accuracies are measured on.
   */
  dataset?: DatasetChoice;
  /**
   * Images without labels: calibration and fine-tuning by distillation from the original model
   * alone. A packaged dataset's name means its training images with the labels dropped.
   */
  unlabeled?: DatasetName | { folder: string };
  /** quick (default): no fine-tuning between steps, one epoch at the end; thorough: short fine-tunes between steps, three epochs. */
  effort?: PruneEffort;
  /** Overrides the effort's fine-tuning epochs (0: no fine-tuning). */
  finetuneEpochs?: number;
  /** Fine-tune on at most this many training images per epoch (previews and tests). */
  finetuneSamples?: number;
  /** Kept channel counts are multiples of this (default 1). */
  round?: number;
  /** Per-channel input normalization (default: the model card's, else the zoo's, else none). */
  mean?: number[];
  std?: number[];
  seed?: number;
  /** onnxruntime threads for fine-tuning and the latency measurement (default 2 and 1). */
  threads?: number;
}

export interface PruneRequest extends PruneRecipe {
  /** The device type whose energy the budget is in (library id, or a profile `.json` file). */
  deviceId: string;
  budget: PruneBudget;
  /** The `.onnx` file to write (absolute); its card goes beside it as `.json`. */
  out: string;
}

/** A model's figures before or after pruning. */
export interface PruneMetrics {
  /** Energy per inference on the target device. */
  energyJ: number;
  /** Top-1 accuracy on the test split; null without labelled data. */
  accuracy: number | null;
  /** Mean cross-entropy on the test split; null without labelled data. */
  loss: number | null;
  macs: number;
  params: number;
  /** The energy model's latency on the target device. */
  latencyMs: number;
  /** Weights plus peak live activations, as the energy model's memory check counts them. */
  memoryBytes: number;
  /** onnxruntime latency on this machine (median, batch 1). */
  measuredMs: number;
}

export interface PruneReport {
  original: PruneMetrics;
  pruned: PruneMetrics;
  budgetJ: number;
  met: boolean;
  criterion: PruneCriterion;
  device: { id: string; name: string; precision: string };
  groups: { pruned: number; skipped: { node: string; reason: string }[] };
  /** Output channels of every convolution and linear layer. */
  channels: { layer: string; before: number; after: number }[];
  /** Energy after each pruning step (accuracy where a step measured it). */
  steps: { energyJ: number; accuracy?: number }[];
  /** Energy and latency of the pruned model (and of the original) on every library device type. */
  devices: { id: string; energyJ: number; latencyMs: number; originalEnergyJ: number; originalLatencyMs: number }[];
  out: string;
  /** sha256 and size of the written model file, as a project references it. */
  sha256: string;
  sizeBytes: number;
  card: string;
  ms: number;
}

/** A sweep: the recipe on every device type at every budget, with every criterion. */
export interface OptionsRequest extends PruneRecipe {
  deviceIds: string[];
  /** Fractions of the original energy, e.g. [0.8, 0.6, 0.4]. */
  budgets: number[];
  criteria: PruneCriterion[];
  /** Folder the options' `.onnx` files and cards are written to (absolute). */
  outDir: string;
}

export interface OptionStarted {
  deviceId: string;
  budget: number;
  criterion: PruneCriterion;
  out: string;
  jobId: string;
}

export interface PruningApi {
  /** Starts a job whose result is a `PruneReport`; its progress carries the energy per step and the fine-tune's loss and accuracy. */
  start(request: PruneRequest): Promise<string>;
  /** Starts one prune job per (device, budget, criterion); each job's result is a `PruneReport`. */
  startOptions(request: OptionsRequest): Promise<OptionStarted[]>;
  /**
   * Starts a sweep of prunes (the window's compression wizard): one job per request, in order,
   * as one BullMQ flow when jobs go to the job queue. Resolves with the job ids in order.
   */
  startSweep(request: { title: string; prunes: PruneRequest[] }): Promise<string[]>;
}
