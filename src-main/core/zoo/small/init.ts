/** Gives a shape-only model real starting weights, for training from scratch. */
import type { Model } from '../../onnx/ir';
import { generateMissingWeights } from '../../onnx/random-init';

/**
 * Fills every initializer without data: He-uniform weights scaled by fan-in, zero biases,
 * BatchNormalization scale and variance 1, shift and mean 0. Deterministic for a seed.
 */
export function initializeWeights(model: Model, seed: number): Model {
  const filled = generateMissingWeights(model, seed);
  const initializers = new Map(model.graph.initializers);
  for (const [name, data] of filled) initializers.set(name, { ...initializers.get(name)!, data });
  return { ...model, graph: { ...model.graph, initializers } };
}
