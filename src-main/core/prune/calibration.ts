/**
 * Statistics the data-driven criteria need, measured on a few calibration batches with
 * onnxruntime: the Taylor terms (gradient x weight)^2 from the training engine's gradient graph,
 * and the mean |activation| of the tensors that carry each group's channels.
 */
import * as ort from 'onnxruntime-node';
import type { Model } from '../onnx/ir';
import { openSession } from '../onnx/session';
import type { Progress } from '../progress';
import type { Batch } from '../train/data/batches';
import { defaultTrainConfig, Trainer, type TrainConfig } from '../train/trainer';
import type { ChannelGraph } from './channel-graph';
import { activationTensors } from './importance';

export interface CalibrationSettings {
  threads: number;
  normalize: TrainConfig['normalize'];
  /** Distil from this model instead of using labels (unlabeled data). */
  teacher?: Model;
  progress?: Progress;
}

/**
 * Per trainable parameter, the sum over `batches` of (gradient x weight)^2 per element: the
 * first-order estimate of how much the loss grows when the element is removed (Molchanov et al.).
 */
export async function taylorTerms(model: Model, batches: Iterable<Batch>, settings: CalibrationSettings): Promise<Map<string, Float64Array>> {
  const config: TrainConfig = {
    ...defaultTrainConfig,
    threads: settings.threads,
    normalize: settings.normalize,
    ...(settings.teacher ? { distillation: { temperature: 4, alpha: 0 } } : {}),
  };
  const trainer = await Trainer.create(model, config, settings.teacher);
  const terms = new Map<string, Float64Array>();
  try {
    for (const batch of batches) {
      settings.progress?.checkpoint();
      const grads = await trainer.gradients(batch.x, batch.y, batch.dims);
      for (const [name, g] of grads) {
        const w = trainer.parameter(name)!;
        let acc = terms.get(name);
        if (!acc) terms.set(name, (acc = new Float64Array(g.length)));
        for (let i = 0; i < g.length; i++) {
          const t = g[i] * w[i];
          acc[i] += t * t;
        }
      }
    }
  } finally {
    await trainer.release();
  }
  return terms;
}

/** Per tensor that scores a prunable group, the mean |x| at each position of its channel axis over `batches`. */
export async function activationMeans(graph: ChannelGraph, batches: Iterable<Batch>, settings: Pick<CalibrationSettings, 'threads' | 'progress'>): Promise<Map<string, Float32Array>> {
  const wanted = new Map<string, number>();
  for (const group of graph.groups) if (group.prunable) for (const a of activationTensors(group)) wanted.set(a.tensor, a.axis);
  const { model } = graph;
  const outputs = new Set(model.graph.outputs.map((o) => o.name));
  const extra = [...wanted.keys()].filter((t) => !outputs.has(t)).map((name) => ({ name, dtype: 'float32' as const, shape: null }));
  const probe: Model = { ...model, graph: { ...model.graph, outputs: [...model.graph.outputs, ...extra], valueInfo: new Map() } };
  const session = await openSession(probe, { threads: settings.threads });
  const sums = new Map<string, Float64Array>();
  /** Elements summed into each position of a tensor's channel axis. */
  const perPosition = new Map<string, number>();
  try {
    const input = session.inputNames[0];
    for (const batch of batches) {
      settings.progress?.checkpoint();
      const results = await session.run({ [input]: new ort.Tensor('float32', batch.x, batch.dims) }, [...wanted.keys()]);
      for (const [name, axis] of wanted) {
        const t = results[name];
        const data = t.data as Float32Array;
        const dims = t.dims;
        const length = dims[axis];
        const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
        let acc = sums.get(name);
        if (!acc) sums.set(name, (acc = new Float64Array(length)));
        for (let i = 0; i < data.length; i++) acc[Math.floor(i / inner) % length] += Math.abs(data[i]);
        perPosition.set(name, (perPosition.get(name) ?? 0) + data.length / length);
      }
    }
  } finally {
    await session.release();
  }
  const means = new Map<string, Float32Array>();
  for (const [name, acc] of sums) means.set(name, Float32Array.from(acc, (v) => v / perPosition.get(name)!));
  return means;
}
