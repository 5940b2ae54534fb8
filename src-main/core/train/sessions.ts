/**
 * The onnxruntime sessions training uses: the gradient graph (one step), the evaluation graph
 * (the model with its weights as inputs, BatchNormalization in inference mode) and an optional
 * teacher. Weights travel as inputs so one session serves every step.
 */
import * as ort from 'onnxruntime-node';
import type { Model } from '../onnx/ir';
import { encodeOnnx } from '../onnx/write';
import type { ParameterSet } from './parameters';

export interface SessionSettings {
  /** onnxruntime intra-op threads. */
  threads: number;
}

export async function createSession(model: Model, settings: SessionSettings): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(encodeOnnx(model), {
    intraOpNumThreads: settings.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    // Errors only: onnxruntime's older shape inference warns about kernels it does not know.
    logSeverityLevel: 3,
  });
}

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
