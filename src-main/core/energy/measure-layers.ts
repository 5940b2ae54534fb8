/**
 * Measures a model on this machine with onnxruntime's profiler, for the reality check of the
 * energy model (`joule profile`): wall time per inference and kernel time per node. Blocks its
 * thread while onnxruntime runs: call it from a worker or the CLI, never a window's thread.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Model } from '../onnx/ir';
import { inferShapes } from '../onnx/shapes';
import { openSession } from '../onnx/session';
import { encodeOnnx } from '../onnx/write';

export interface LayerMeasurement {
  /** Median wall time of one inference, ms. */
  totalMs: number;
  /** Kernel time per node name (as onnxruntime names nodes after its graph optimizations), ms per inference. */
  nodeMs: Map<string, number>;
  runs: number;
}

interface ProfileEvent {
  cat: string;
  name: string;
  dur: number;
}

export async function measureLayers(model: Model, options: { threads?: number; runs?: number; batch?: number } = {}): Promise<LayerMeasurement> {
  const runs = options.runs ?? 10;
  const batch = options.batch ?? 1;
  const bytes = encodeOnnx(model);
  const shapes = inferShapes(model, { batch });
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of model.graph.inputs) {
    if (model.graph.initializers.has(input.name)) continue;
    const dims = (shapes.get(input.name)?.shape ?? []).map((d) => (typeof d === 'number' ? d : batch));
    feeds[input.name] = new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.5), dims);
  }
  const timing = await openSession(bytes, { threads: options.threads ?? 1 });
  await timing.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await timing.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  await timing.release();
  times.sort((a, b) => a - b);

  // A second session with the profiler on: profiling adds overhead, so it only splits the time.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'joule-profile-'));
  const profiled = await openSession(bytes, { threads: options.threads ?? 1, profilePrefix: path.join(dir, 'run') });
  await profiled.run(feeds);
  for (let i = 0; i < runs; i++) await profiled.run(feeds);
  profiled.endProfiling();
  await profiled.release();
  const file = readdirSync(dir).find((f) => f.endsWith('.json'));
  const events = file ? (JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as ProfileEvent[]) : [];
  rmSync(dir, { recursive: true, force: true });
  const nodeMs = new Map<string, number>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const name = e.name.slice(0, -'_kernel_time'.length);
    nodeMs.set(name, (nodeMs.get(name) ?? 0) + e.dur / 1000 / (runs + 1));
  }
  return { totalMs: times[Math.floor(times.length / 2)], nodeMs, runs };
}
