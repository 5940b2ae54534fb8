/**
 * Autodiff to ONNX training graphs: from a model and a loss, a graph of standard ONNX operators
 * computing the loss and the gradients of the weights, which onnxruntime-node runs.
 *
 * @example
 *   const train = buildGradientGraph(model, { loss: { kind: 'cross-entropy', labels: 'labels' } });
 *   const session = await ort.InferenceSession.create(encodeOnnx(train));
 */
export { buildGradientGraph, planTraining } from './gradient-graph';
export type { GradientGraphOptions, TrainingPlan } from './gradient-graph';
export { differentiate, DEFAULT_AUTODIFF_OPTIONS, GRAD_PREFIX } from './differentiate';
export type { DifferentiateRequest } from './differentiate';
export { GradientError } from './errors';
export type { LossSpec } from './loss';
export { LOGITS_OUTPUT, LOSS_OUTPUT } from './loss';
export { normalizeOpset, TRAINING_OPSET } from './normalize';
export { RUNNING_PREFIX } from './rules/norm';
export { GRADIENT_RULES } from './rules/index';
export type { AutodiffOptions, GradientRule } from './rule';
