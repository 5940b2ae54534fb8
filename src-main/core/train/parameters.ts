/**
 * A model's float weights as named typed arrays, the state the trainer updates, checkpoints and
 * writes back into the model. BatchNormalization running statistics are state too, but not
 * trained by gradients.
 */
import type { Model, Tensor } from '../onnx/ir';

export interface Parameter {
  name: string;
  dims: number[];
  data: Float32Array;
}

export type ParameterSet = Map<string, Parameter>;

/** Names of BatchNormalization running mean/var inputs (3 and 4), which gradients do not touch. */
export function runningStatNames(model: Model): Set<string> {
  const names = new Set<string>();
  for (const node of model.graph.nodes) {
    if (node.opType !== 'BatchNormalization') continue;
    for (const i of [3, 4]) if (node.inputs[i]) names.add(node.inputs[i]);
  }
  return names;
}

/**
 * Every float32 initializer with data, copied (the model keeps its own arrays). Initializers the
 * graph uses as shapes or indices are int64 and are left out.
 */
export function parametersOf(model: Model): ParameterSet {
  const set: ParameterSet = new Map();
  for (const [name, tensor] of model.graph.initializers) {
    if (tensor.dtype !== 'float32') continue;
    if (!(tensor.data instanceof Float32Array)) {
      throw new Error(`Initializer '${name}' has no weights loaded; read the model with weights to train it.`);
    }
    set.set(name, { name, dims: [...tensor.dims], data: Float32Array.from(tensor.data) });
  }
  return set;
}

/** A copy of `model` whose initializers hold the given parameters (other initializers unchanged). */
export function withParameters(model: Model, params: ParameterSet): Model {
  const initializers = new Map<string, Tensor>();
  for (const [name, tensor] of model.graph.initializers) {
    const p = params.get(name);
    initializers.set(name, p ? { ...tensor, dims: [...p.dims], data: Float32Array.from(p.data) } : tensor);
  }
  return { ...model, graph: { ...model.graph, initializers } };
}

/**
 * A copy of `model` that takes the named initializers as graph inputs instead, so one
 * onnxruntime session serves every step while the weights change.
 */
export function initializersAsInputs(model: Model, names: Iterable<string>): Model {
  const initializers = new Map(model.graph.initializers);
  const inputs = [...model.graph.inputs];
  for (const name of names) {
    const tensor = initializers.get(name);
    if (!tensor) throw new Error(`The model has no initializer '${name}'.`);
    initializers.delete(name);
    inputs.push({ name, dtype: tensor.dtype, shape: [...tensor.dims] });
  }
  return { ...model, graph: { ...model.graph, inputs, initializers } };
}
