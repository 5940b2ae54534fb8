/**
 * Feeding and reading the onnxruntime sessions training uses (opened by `onnx/session.ts`): the
 * gradient graph (one step), the evaluation graph (the model with its weights as inputs,
 * BatchNormalization in inference mode) and an optional teacher. Weights travel as inputs so one
 * session serves every step.
 */
import * as ort from 'onnxruntime-node';
import type { ParameterSet } from './parameters';

/** Feeds for the named parameters, wrapping their arrays (onnxruntime copies them in `run`). */
export function parameterFeeds(params: ParameterSet, names: Iterable<string>, into: Record<string, ort.Tensor> = {}): Record<string, ort.Tensor> {
  for (const name of names) {
    const p = params.get(name);
    if (!p) throw new Error(`No parameter '${name}' to feed.`);
    into[name] = new ort.Tensor('float32', p.data, p.dims);
  }
  return into;
}

export function floatOutput(results: ort.InferenceSession.ReturnType, name: string): Float32Array {
  const t = results[name];
  if (!t) throw new Error(`The training graph has no output '${name}'.`);
  return t.data as Float32Array;
}
