/**
 * Gradient checking for the autodiff: runs a gradient graph in onnxruntime and compares its
 * analytic gradients with central finite differences of the loss the same graph computes, at a
 * few sampled coordinates per tensor (all coordinates would make the suite minutes long).
 */
import * as ort from 'onnxruntime-node';
import type { DataType, Model } from '../../../../src-main/core/onnx/ir';
import { openSession } from '../../../../src-main/core/onnx/session';
import { mulberry32 } from '../../../../src-main/common/random';

export type FloatType = 'float32' | 'float64';
export type Feeds = Record<string, ort.Tensor>;

/** Deterministic PRNG, so every run checks the same coordinates. */
export const rng = mulberry32;

export type Fill = 'normal' | 'spaced' | 'positive';

/**
 * Test data: 'normal' ~ N(0, 0.5^2); 'spaced' a shuffled grid of distinct values in [-1, 1] at
 * least 1/n apart and away from 0 (max pooling, ReLU and clipping stay away from their kinks
 * during finite differences); 'positive' in [0.5, 1.5] (denominators, logs, square roots).
 */
export function fill(n: number, kind: Fill, seed: number): number[] {
  const r = rng(seed);
  switch (kind) {
    case 'normal':
      return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r()) * 0.5);
    case 'positive':
      return Array.from({ length: n }, () => 0.5 + r());
    case 'spaced': {
      const v = Array.from({ length: n }, (_, i) => -1 + (2 * (i + 0.5)) / n);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [v[i], v[j]] = [v[j], v[i]];
      }
      // Shift half a step so no value is 0 (the kink of ReLU and friends).
      return v.map((x) => x + 0.25 / n);
    }
  }
}

export function tensor(dtype: FloatType, values: number[], dims: number[]): ort.Tensor {
  return new ort.Tensor(dtype, dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values), dims);
}

export function typedArray(dtype: DataType, values: number[]) {
  return dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
}

export async function session(model: Model, level: 'basic' | 'all' = 'basic'): Promise<ort.InferenceSession> {
  return openSession(model, { optimization: level });
}

export function values(t: ort.Tensor): number[] {
  return Array.from(t.data as Float32Array, Number);
}

export interface Mismatch {
  tensor: string;
  index: number;
  analytic: number;
  numeric: number;
}

export interface CheckOptions {
  /** Tensors (graph inputs) whose gradients `grad.<name>` are checked. */
  wrt: string[];
  /** Coordinates sampled per tensor. */
  samples?: number;
  step?: number;
  rtol?: number;
  atol?: number;
  seed?: number;
}

/**
 * Compares `grad.<t>` of a gradient graph with central differences of its `loss` output,
 * perturbing the feed of `t`. Returns every sampled coordinate that disagrees.
 */
export async function checkGradients(s: ort.InferenceSession, feeds: Feeds, o: CheckOptions): Promise<Mismatch[]> {
  const base = await s.run(feeds);
  const float64 = base.loss.type === 'float64';
  const step = o.step ?? (float64 ? 1e-6 : 1e-2);
  const rtol = o.rtol ?? (float64 ? 1e-6 : 1e-2);
  const atol = o.atol ?? (float64 ? 1e-8 : 2e-3);
  const r = rng(o.seed ?? 7);
  const bad: Mismatch[] = [];
  for (const name of o.wrt) {
    const feed = feeds[name];
    const grad = values(base[`grad.${name}`]);
    if (grad.length !== feed.size) throw new Error(`grad.${name} has ${grad.length} values, its input ${feed.size}`);
    const n = feed.size;
    const picks = n <= (o.samples ?? 6) ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: o.samples ?? 6 }, () => Math.floor(r() * n));
    for (const index of picks) {
      const lossAt = async (delta: number) => {
        const data = (feed.data as Float32Array).slice();
        data[index] += delta;
        const out = await s.run({ ...feeds, [name]: new ort.Tensor(feed.type as 'float32', data, feed.dims) }, ['loss']);
        return Number((out.loss.data as Float32Array)[0]);
      };
      const numeric = ((await lossAt(step)) - (await lossAt(-step))) / (2 * step);
      const analytic = grad[index];
      if (!(Math.abs(numeric - analytic) <= atol + rtol * Math.max(Math.abs(numeric), Math.abs(analytic)))) {
        bad.push({ tensor: name, index, analytic, numeric });
      }
    }
  }
  return bad;
}
