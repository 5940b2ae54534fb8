/**
 * The one way Joule opens an onnxruntime session (training, evaluation, per-layer measurement,
 * the host profile): CPU execution provider, sequential execution with one inter-op thread,
 * errors-only logging (onnxruntime's older shape inference warns about kernels it does not know).
 *
 * @example const session = await openSession(model, { threads: 2 });
 */
import * as ort from 'onnxruntime-node';
import type { Model } from './ir';
import { encodeOnnx } from './write';

export interface SessionOptions {
  /** Intra-op threads (default 1). */
  threads?: number;
  /** Graph optimisation (default 'all'); 'disabled' keeps every node, so each intermediate tensor can be read. */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Writes onnxruntime's profile (JSON) with this file prefix. */
  profilePrefix?: string;
}

export function openSession(model: Model | Uint8Array | string, options: SessionOptions = {}): Promise<ort.InferenceSession> {
  const settings: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    intraOpNumThreads: options.threads ?? 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: options.optimization ?? 'all',
    logSeverityLevel: 3,
    ...(options.profilePrefix ? { enableProfiling: true, profileFilePrefix: options.profilePrefix } : {}),
  };
  if (typeof model === 'string') return ort.InferenceSession.create(model, settings);
  return ort.InferenceSession.create(model instanceof Uint8Array ? model : encodeOnnx(model), settings);
}
