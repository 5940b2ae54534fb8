/**
 * Measures a model on this machine with onnxruntime's profiler, for the reality check of the
 * energy model (`joule profile`): wall time per inference and kernel time per node. Blocks its
 * thread while onnxruntime runs: call it from a worker or the CLI, never a window's thread.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Model } from '../onnx/ir';
import { inputFeeds, medianRunMs } from '../onnx/latency';
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
  const bytes = encodeOnnx(model);
  const feeds = inputFeeds(model, options.batch ?? 1);
  const timing = await openSession(bytes, { threads: options.threads ?? 1 });
  const totalMs = await medianRunMs(timing, feeds, runs);
  await timing.release();

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
  return { totalMs, nodeMs, runs };
}
