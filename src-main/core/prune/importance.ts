/**
 * Importance criteria: functions from a group to one score per channel (higher = keep). The
 * pruner knows nothing about how scores are made; each criterion states whether its scores are
 * comparable across groups (a loss estimate is, a weight norm is not, so norms are normalised per
 * group before a global ranking).
 *
 * - `l1`, `l2`: norm of each channel's filters (Li et al., ICLR 2017).
 * - `slim`: |gamma| of the BatchNorms on the channel (network slimming, Liu et al., ICCV 2017).
 * - `taylor`: first-order Taylor estimate of the loss change, sum over the group's parameters of
 *   (gradient x weight)^2 on calibration batches (Molchanov et al., CVPR 2019).
 * - `activation`: mean |activation| of the channel on calibration batches.
 * - `random`: seeded random scores, the floor any criterion must beat.
 */
import { deriveSeed, Rng } from '../../common/random';
import type { Model, Tensor } from '../onnx/ir';
import type { ChannelGroup, GroupDependency } from './channel-graph';
import type { SliceRole } from './channel-types';

export type Importance = (group: ChannelGroup) => Float32Array;

export interface Criterion {
  score: Importance;
  /** True when scores of different groups measure the same thing (and need no normalisation). */
  comparable: boolean;
}

/** Adds `fn(value)` of every element at channel position p along `axis` to `out[channelOf[p]]`. */
function accumulate(out: Float64Array, data: ArrayLike<number>, dims: readonly number[], dep: GroupDependency, fn: (v: number) => number): void {
  const axis = dep.axis;
  const length = dims[axis];
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  for (let o = 0; o < outer; o++) {
    for (let p = 0; p < length; p++) {
      const channel = dep.channelOf[p];
      if (channel < 0) continue;
      const from = (o * length + p) * inner;
      let sum = 0;
      for (let i = from; i < from + inner; i++) sum += fn(data[i]);
      out[channel] += sum;
    }
  }
}

function floatData(tensor: Tensor | undefined): Float32Array | null {
  return tensor?.data instanceof Float32Array ? tensor.data : null;
}

/** Sums `fn` over every dependency of the given roles that has float data. */
function overRoles(model: Model, group: ChannelGroup, roles: readonly SliceRole[], fn: (v: number) => number): Float64Array | null {
  const out = new Float64Array(group.size);
  let found = false;
  for (const dep of group.dependencies) {
    if (!roles.includes(dep.role)) continue;
    const tensor = model.graph.initializers.get(dep.tensor);
    const data = floatData(tensor);
    if (!data || !tensor) continue;
    found = true;
    accumulate(out, data, tensor.dims, dep, fn);
  }
  return found ? out : null;
}

/** Filters of the producers: convolutions' output filters and linear layers' rows (depthwise filters when that is all there is). */
const FILTER_ROLES: SliceRole[] = ['producer'];

export function normCriterion(model: Model, p: 1 | 2): Criterion {
  return {
    comparable: false,
    score: (group) => {
      const fn = p === 1 ? (v: number) => Math.abs(v) : (v: number) => v * v;
      const sums = overRoles(model, group, FILTER_ROLES, fn) ?? overRoles(model, group, ['depthwise', 'consumer'], fn) ?? new Float64Array(group.size);
      return Float32Array.from(sums, (s) => (p === 1 ? s : Math.sqrt(s)));
    },
  };
}

export function slimCriterion(model: Model): Criterion {
  const fallback = normCriterion(model, 1);
  return {
    comparable: false,
    score: (group) => {
      const gammas = overRoles(model, group, ['scale'], (v) => Math.abs(v));
      return gammas ? Float32Array.from(gammas) : fallback.score(group);
    },
  };
}

/**
 * Taylor importance from `squaredProducts`: per parameter tensor of `model`, the sum over
 * calibration batches of (gradient x weight)^2 per element (see `calibration.ts`).
 */
export function taylorCriterion(model: Model, squaredProducts: ReadonlyMap<string, Float64Array>): Criterion {
  return {
    comparable: true,
    score: (group) => {
      const out = new Float64Array(group.size);
      for (const dep of group.dependencies) {
        const values = squaredProducts.get(dep.tensor);
        const tensor = model.graph.initializers.get(dep.tensor);
        if (values && tensor) accumulate(out, values, tensor.dims, dep, (v) => v);
      }
      return Float32Array.from(out);
    },
  };
}

const ACTIVATION_OPS = new Set(['Relu', 'Clip', 'LeakyRelu', 'Sigmoid', 'HardSwish', 'HardSigmoid', 'Tanh', 'Elu', 'Selu', 'Gelu', 'PRelu']);

/** The tensors whose statistics score a group: its activation outputs, else every tensor carrying its channels. */
export function activationTensors(group: ChannelGroup): ChannelGroup['activations'] {
  const acts = group.activations.filter((a) => ACTIVATION_OPS.has(a.op));
  return acts.length ? acts : group.activations;
}

/** Mean |activation| per channel from `means`: per tensor, the mean |x| at each channel position (`calibration.ts`). */
export function activationCriterion(means: ReadonlyMap<string, Float32Array>): Criterion {
  return {
    comparable: false,
    score: (group) => {
      const out = new Float64Array(group.size);
      const counts = new Float64Array(group.size);
      for (const a of activationTensors(group)) {
        const m = means.get(a.tensor);
        if (!m) continue;
        a.channelOf.forEach((channel, p) => {
          if (channel < 0) return;
          out[channel] += m[p];
          counts[channel]++;
        });
      }
      return Float32Array.from(out, (v, i) => (counts[i] ? v / counts[i] : 0));
    },
  };
}

export function randomCriterion(seed: number): Criterion {
  return {
    comparable: true,
    score: (group) => {
      const rng = new Rng(deriveSeed(seed, group.id));
      return Float32Array.from({ length: group.size }, () => rng.next());
    },
  };
}
