/**
 * Shared pieces of the training-step benchmarks: feeds for a model or its gradient graph, an
 * onnxruntime session with the settings a training run uses, and timing that keeps the fastest
 * of several runs (the machine is shared: the minimum is the least disturbed measurement).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Model } from '../../src-main/core/onnx/ir';
import type { AutodiffOptions } from '../../src-main/core/train/autodiff/rule';
import { openSession } from '../../src-main/core/onnx/session';
import { mulberry32 } from '../../src-main/common/random';

/** Markers of the section of docs/bench-train.md that bench-step-profile.ts writes and bench-tfjs.ts keeps. */
export const PROFILE_START = '<!-- bench-step-profile: start -->';
export const PROFILE_END = '<!-- bench-step-profile: end -->';

/** The formulations before the per-layer choices, still selectable through AutodiffOptions. */
export const LEGACY: Partial<AutodiffOptions> = { convWeightGrad: 'im2col', batchNormStats: 'reduce', maxPoolGrad: 'blocks' };

/** Deterministic pseudo-random floats in [-1, 1) (mulberry32). */
export function noise(n: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  return Float32Array.from({ length: n }, () => next() * 2 - 1);
}

/**
 * Feeds for every graph input of `model` at `batch`: initializer values of `source` where an
 * input is one of its weights, labels cycling over 10 classes, noise elsewhere.
 */
export function feedsFor(model: Model, source: Model, batch: number): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  model.graph.inputs.forEach((v, i) => {
    const dims = (v.shape ?? []).map((d) => (typeof d === 'number' ? d : batch));
    const n = dims.reduce((x, y) => x * y, 1);
    const w = source.graph.initializers.get(v.name);
    if (v.dtype === 'int64') feeds[v.name] = new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, j) => BigInt(j % 10)), dims);
    else if (w) feeds[v.name] = new ort.Tensor('float32', w.data as Float32Array, dims);
    else feeds[v.name] = new ort.Tensor('float32', noise(n, 100 + i), dims);
  });
  return feeds;
}

export async function open(model: Model, threads: number, profile?: string): Promise<ort.InferenceSession> {
  return openSession(model, { threads, profilePrefix: profile });
}

/** Fastest of `runs` runs after `warmup` runs. */
export async function fastest(s: ort.InferenceSession, feeds: Record<string, ort.Tensor>, runs: number, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await s.run(feeds);
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await s.run(feeds);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** Opens, times and releases a session for `model`. */
export async function timeModel(model: Model, threads: number, feeds: Record<string, ort.Tensor>, runs: number): Promise<number> {
  const s = await open(model, threads);
  try {
    return await fastest(s, feeds, runs);
  } finally {
    await s.release();
  }
}

/**
 * Times several variants back to back: every round runs each variant `perRound` times, and
 * each keeps its fastest run over all rounds, so a burst of load from other work hits every
 * variant alike instead of the one that happened to be running.
 */
export async function compare(
  variants: Record<string, { model: Model; feeds: Record<string, ort.Tensor> }>,
  threads: number,
  rounds = 5,
  perRound = 3,
): Promise<Record<string, number>> {
  const sessions: [string, ort.InferenceSession, Record<string, ort.Tensor>][] = [];
  for (const [name, v] of Object.entries(variants)) {
    const s = await open(v.model, threads);
    await s.run(v.feeds);
    sessions.push([name, s, v.feeds]);
  }
  const best: Record<string, number> = Object.fromEntries(sessions.map(([n]) => [n, Infinity]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, s, feeds] of sessions) best[name] = Math.min(best[name], await fastest(s, feeds, perRound, 0));
  }
  for (const [, s] of sessions) await s.release();
  return best;
}

export interface NodeTime {
  op: string;
  /** Fastest kernel time of the node over the profiled runs, microseconds. */
  us: number;
}

type Variants = Record<string, { model: Model; feeds: Record<string, ort.Tensor> }>;

/**
 * Each node's fastest kernel time over `runs` profiled runs of each variant (onnxruntime's
 * profiler), the variants' runs interleaved. The sum over nodes estimates a run undisturbed
 * by other work: on a loaded machine every run loses time somewhere, but rarely in the same
 * node every time.
 */
export async function nodeTimesOf(variants: Variants, threads: number, runs: number): Promise<Record<string, Map<string, NodeTime>>> {
  const dir = mkdtempSync(join(tmpdir(), 'joule-prof-'));
  try {
    const sessions: [string, ort.InferenceSession, Record<string, ort.Tensor>][] = [];
    for (const [name, v] of Object.entries(variants)) {
      const s = await open(v.model, threads, join(dir, `${name}-`));
      await s.run(v.feeds);
      sessions.push([name, s, v.feeds]);
    }
    for (let r = 0; r < runs; r++) for (const [, s, feeds] of sessions) await s.run(feeds);
    const result: Record<string, Map<string, NodeTime>> = {};
    for (const [name, s] of sessions) {
      s.endProfiling();
      await s.release();
      const file = join(dir, readdirSync(dir).find((f) => f.startsWith(`${name}-`) && f.endsWith('.json'))!);
      result[name] = fastestPerNode(JSON.parse(readFileSync(file, 'utf8')) as ProfileEvent[]);
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ProfileEvent {
  cat: string;
  name: string;
  dur: number;
  args: { op_name: string };
}

function fastestPerNode(events: ProfileEvent[]): Map<string, NodeTime> {
  const times = new Map<string, NodeTime>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const hit = times.get(e.name);
    if (!hit || e.dur < hit.us) times.set(e.name, { op: e.args.op_name, us: e.dur });
  }
  return times;
}

/** The sums of `nodeTimesOf` per variant, in ms. */
export async function kernelFloors(variants: Variants, threads: number, runs: number): Promise<Record<string, number>> {
  const times = await nodeTimesOf(variants, threads, runs);
  const floors: Record<string, number> = {};
  for (const [name, nodes] of Object.entries(times)) floors[name] = [...nodes.values()].reduce((a, t) => a + t.us, 0) / 1000;
  return floors;
}
