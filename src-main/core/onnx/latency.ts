/**
 * Wall time of one inference on this machine with onnxruntime: the median of timed runs after a
 * warm-up. Blocks its thread while onnxruntime runs: call it from a worker or the CLI, never a
 * window's thread.
 */
import * as ort from 'onnxruntime-node';
import type { Model } from './ir';
import { openSession } from './session';
import { inferShapes } from './shapes';

/** Constant inputs for every real graph input of `model` at `batch` (a dynamic batch dim counts as `batch`). */
export function inputFeeds(model: Model, batch = 1): Record<string, ort.Tensor> {
  const shapes = inferShapes(model, { batch });
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of model.graph.inputs) {
    if (model.graph.initializers.has(input.name)) continue;
    const dims = (shapes.get(input.name)?.shape ?? []).map((d) => (typeof d === 'number' ? d : batch));
    feeds[input.name] = new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.5), dims);
  }
  return feeds;
}

/** Median ms of `runs` runs of `session` after one warm-up run. */
export async function medianRunMs(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, runs: number): Promise<number> {
  await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Median latency of `model` at `batch`, in ms. */
export async function measureLatencyMs(model: Model, options: { threads?: number; runs?: number; batch?: number } = {}): Promise<number> {
  const session = await openSession(model, { threads: options.threads ?? 1 });
  try {
    return await medianRunMs(session, inputFeeds(model, options.batch ?? 1), options.runs ?? 20);
  } finally {
    await session.release();
  }
}
