/**
 * A model with the input shapes a planner gave: the graph's dynamic input dimensions replaced by
 * the sizes given, checked against the dimensions the graph fixes.
 */
import { ONLY_INPUT, formatShape, type InputShapes } from '../../common/models/input-shapes';
import { OnnxError } from './errors';
import type { Model, ValueInfo } from './ir';
import { batchDimNames, suggestedShape } from './shapes';

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
  // A named dimension has one size everywhere: sizes given for one input fix it in the others.
  const sizes = new Map<string, number>();
  for (const input of inputs) {
    const dims = named[input.name];
    input.shape?.forEach((d, axis) => {
      if (dims && typeof d === 'string' && d !== '' && dims[axis] !== undefined) sizes.set(d, dims[axis]);
    });
  }
  const fixed = model.graph.inputs.map((input): ValueInfo => {
    const dims = named[input.name];
    if (!dims) return input.shape ? { ...input, shape: input.shape.map((d) => (typeof d === 'string' && sizes.has(d) ? sizes.get(d)! : d)) } : input;
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
  const batch = batchDimNames(model);
  return runtimeInputs(model).flatMap((input) => {
    const declared = (input.shape ?? []).map((d) => (typeof d === 'number' && d > 0 ? d : typeof d === 'string' && d ? d : '?'));
    // The batch (axis 0, or a dimension named like another input's first) needs no size.
    if (declared.every((d, axis) => typeof d === 'number' || axis === 0 || batch.has(d))) return [];
    return [{ name: input.name, declared, suggested: suggestedShape(input.shape ?? [], batch) }];
  });
}
