/**
 * The training graph of a model: forward pass in training mode, loss, gradients of every
 * trainable weight, and updated BatchNormalization running statistics, as one ONNX model that
 * onnxruntime-node runs at native speed (it only does inference; the optimiser is applied by
 * the caller, or appended to this graph).
 */
import { isFloatDtype } from '../../onnx/dtype';
import type { Model } from '../../onnx/ir';
import { differentiate, GRAD_PREFIX } from './differentiate';
import { GradientError } from './errors';
import { appendLoss, LOGITS_OUTPUT, LOSS_OUTPUT, lossInputs } from './loss';
import type { LossSpec } from './loss';
import { normalizeOpset } from './normalize';
import type { AutodiffOptions } from './rule';
import { GRADIENT_RULES } from './rules/registry';
import { RUNNING_PREFIX } from './rules/norm';
import { inferTensorInfo } from './shapes';

export interface GradientGraphOptions extends Partial<AutodiffOptions> {
  loss: LossSpec;
  /** Initializers that keep their values (they stay initializers and get no gradient). */
  frozen?: string[];
}

export interface TrainingPlan {
  /** Initializers that become graph inputs and get a `grad.<name>` output, in graph order. */
  trainable: string[];
  /**
   * BatchNormalization running statistics (train mode only). Each is a graph input `<name>`
   * and an output `running.<name>` holding its update: feed the output back the next step.
   */
  runningStats: string[];
}

/**
 * Which initializers are trained and which are running statistics. Trainable: every float
 * initializer read at a differentiable input (not a Dropout ratio or Clip bound), except
 * `frozen` ones and BatchNormalization running statistics.
 *
 * @example planTraining(model, { loss }).trainable // ['conv1.weight', 'conv1.bias', 'bn1.weight', ...]
 */
export function planTraining(model: Model, options: GradientGraphOptions): TrainingPlan {
  const g = model.graph;
  const frozen = new Set(options.frozen ?? []);
  for (const name of frozen) {
    if (!g.initializers.has(name)) throw new GradientError(`Frozen tensor '${name}' is not an initializer of the model.`);
  }
  const running = new Set<string>();
  for (const node of g.nodes) {
    if (node.opType === 'BatchNormalization') node.inputs.slice(3, 5).forEach((t) => g.initializers.has(t) && running.add(t));
  }
  const differentiable = new Set<string>();
  for (const node of g.nodes) {
    const slots = GRADIENT_RULES[node.opType]?.differentiable;
    node.inputs.forEach((t, i) => (!slots || slots.includes(i)) && differentiable.add(t));
  }
  const trainable = [...g.initializers.values()]
    .filter((t) => isFloatDtype(t.dtype) && !frozen.has(t.name) && !running.has(t.name) && differentiable.has(t.name))
    .map((t) => t.name);
  const trainMode = (options.batchNormMode ?? 'train') === 'train';
  return { trainable, runningStats: trainMode ? [...running] : [] };
}

/**
 * A new model computing, from the model's inputs, the loss inputs and the current weights:
 * `loss` (scalar), `logits` (the model's first output), `grad.<name>` for every trainable
 * initializer, and `running.<name>` for BatchNormalization running statistics in train mode.
 * Trainable initializers and running statistics become graph inputs, so one session serves
 * every step; frozen weights stay initializers. The input model is not modified.
 *
 * @example
 *   const train = buildGradientGraph(model, { loss: { kind: 'cross-entropy', labels: 'labels' } });
 *   // inputs: x, conv1.weight, ..., labels; outputs: loss, logits, grad.conv1.weight, ...
 */
export function buildGradientGraph(model: Model, options: GradientGraphOptions): Model {
  const plan = planTraining(model, options);
  const m = normalizeOpset(model);
  const g = m.graph;
  const out = g.outputs[0];
  if (!out) throw new GradientError('The model has no output to train.');
  if (out.dtype !== 'float32' && out.dtype !== 'float64') {
    throw new GradientError(`The model's output '${out.name}' is ${out.dtype}; training needs float32 or float64 logits.`);
  }
  const extraInputs = lossInputs(options.loss);
  const names = new Set([...g.inputs.map((v) => v.name), ...g.initializers.keys(), ...g.nodes.flatMap((n) => n.outputs)]);
  for (const reserved of [LOSS_OUTPUT, ...extraInputs, ...(out.name === LOGITS_OUTPUT ? [] : [LOGITS_OUTPUT])]) {
    if (names.has(reserved)) throw new GradientError(`The model already has a tensor named '${reserved}', which the training graph needs.`);
  }
  for (const name of names) {
    if (name.startsWith(GRAD_PREFIX) || name.startsWith(RUNNING_PREFIX)) {
      throw new GradientError(`Tensor '${name}' uses a name prefix reserved for training outputs.`);
    }
  }

  const info = inferTensorInfo(m);
  const logitsDims = info.get(out.name)!.dims;
  const classes = logitsDims[1];
  if (logitsDims.length !== 2 || classes === null) {
    throw new GradientError(`The model's output '${out.name}' must be logits of shape [N, K], got [${logitsDims.map((d) => d ?? 'N').join(', ')}].`);
  }
  g.initializers = new Map(g.initializers);
  for (const name of [...plan.trainable, ...plan.runningStats]) {
    const t = g.initializers.get(name)!;
    if (!t.data) throw new GradientError(`Initializer '${name}' has no data; load the model's weights before training.`);
    g.inputs.push({ name, dtype: t.dtype, shape: [...t.dims] });
    g.initializers.delete(name);
  }
  const batch = g.inputs[0]?.shape?.[0] ?? 'N';
  appendLoss(g, out.name, batch, classes, out.dtype, options.loss);
  if (out.name !== LOGITS_OUTPUT) {
    g.nodes.push({ name: 'logits/identity', opType: 'Identity', domain: '', inputs: [out.name], outputs: [LOGITS_OUTPUT], attributes: {} });
  }
  g.outputs = [
    { name: LOSS_OUTPUT, dtype: out.dtype, shape: [] },
    { name: LOGITS_OUTPUT, dtype: out.dtype, shape: out.shape },
  ];
  const { loss: _loss, frozen: _frozen, ...autodiff } = options;
  return differentiate(m, { ...autodiff, loss: LOSS_OUTPUT, wrt: plan.trainable });
}
