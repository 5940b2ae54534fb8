/**
 * A model with the input shapes a planner gave: the graph's dynamic input dimensions replaced by
 * the sizes given, checked against the dimensions the graph fixes.
 */
import { ONLY_INPUT, formatShape, type InputShapes } from '../../common/models/input-shapes';
import { OnnxError } from './errors';
import type { Model, ValueInfo } from './ir';

/** The graph inputs that are fed at run time (not initializers listed as inputs). */
export function runtimeInputs(model: Model): ValueInfo[] {
  return model.graph.inputs.filter((i) => !model.graph.initializers.has(i.name));
}

export function withInputShapes(model: Model, shapes: InputShapes | undefined): Model {
  if (!shapes || !Object.keys(shapes).length) return model;
  const inputs = runtimeInputs(model);
  const named = { ...shapes };
  if (ONLY_INPUT in named) {
    if (inputs.length !== 1) throw new OnnxError(`The model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); name the input each shape is for, like ${inputs[0]?.name ?? 'x'}=1x3x224x224.`);
    named[inputs[0].name] = named[ONLY_INPUT];
    delete named[ONLY_INPUT];
  }
  for (const name of Object.keys(named)) {
    if (!inputs.some((i) => i.name === name)) throw new OnnxError(`The model has no input "${name}"; its inputs are ${inputs.map((i) => i.name).join(', ')}.`);
  }
  const fixed = model.graph.inputs.map((input): ValueInfo => {
    const dims = named[input.name];
    if (!dims) return input;
    const declared = input.shape;
    if (declared && declared.length !== dims.length) {
      throw new OnnxError(`Input "${input.name}" has ${declared.length} dimensions (${formatShape(declared.map(show))}), but the shape given has ${dims.length} (${formatShape(dims)}).`);
    }
    declared?.forEach((d, axis) => {
      if (typeof d === 'number' && d > 0 && d !== dims[axis]) throw new OnnxError(`Input "${input.name}" fixes dimension ${axis} at ${d}, but the shape given says ${dims[axis]} (${formatShape(dims)}).`);
    });
    return { ...input, shape: [...dims] };
  });
  return { ...model, graph: { ...model.graph, inputs: fixed } };
}

const show = (d: number | string) => (typeof d === 'number' && d > 0 ? d : typeof d === 'string' && d ? d : '?');

/**
 * The runtime inputs whose dimensions after the first (the batch) are not all fixed, with a size
 * to suggest for each dynamic one: square images where the input looks like one (NCHW with 1-4
 * channels), else 1 for the batch-like first and 128 for the others.
 */
export function dynamicInputs(model: Model): { name: string; declared: (number | string)[]; suggested: number[] }[] {
  return runtimeInputs(model).flatMap((input) => {
    const declared = (input.shape ?? []).map((d) => (typeof d === 'number' && d > 0 ? d : typeof d === 'string' && d ? d : '?'));
    if (declared.slice(1).every((d) => typeof d === 'number')) return [];
    const image = declared.length === 4 && typeof declared[1] === 'number' && declared[1] <= 4;
    const suggested = declared.map((d, axis) => (typeof d === 'number' ? d : axis === 0 ? 1 : image ? 224 : 128));
    return [{ name: input.name, declared, suggested }];
  });
}
