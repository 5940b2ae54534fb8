/**
 * Optimizers over named Float32Array parameters: SGD with momentum and (coupled) weight decay,
 * and AdamW (decoupled weight decay, Loshchilov & Hutter, ICLR 2019). State lives in typed
 * arrays so a checkpoint saves and resumes exactly. Updates run in place, in single loops.
 */
export type OptimizerSpec =
  | { kind: 'sgd'; momentum: number; weightDecay: number; nesterov?: boolean }
  | { kind: 'adamw'; beta1: number; beta2: number; epsilon: number; weightDecay: number };

export interface OptimizerState {
  /** Steps taken (AdamW's bias correction needs it). */
  step: number;
  /** Per parameter: SGD `m.<name>`; AdamW `m.<name>` and `v.<name>`. */
  buffers: Map<string, Float32Array>;
}

export const defaultOptimizers = {
  sgd: { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 },
  adamw: { kind: 'adamw', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 },
} as const satisfies Record<string, OptimizerSpec>;

export function createOptimizerState(): OptimizerState {
  return { step: 0, buffers: new Map() };
}

function buffer(state: OptimizerState, key: string, length: number): Float32Array {
  let b = state.buffers.get(key);
  if (!b) {
    b = new Float32Array(length);
    state.buffers.set(key, b);
  }
  return b;
}

/** Which parameters get weight decay: by convention not biases or normalization scales (1-d tensors). */
export function decays(dims: readonly number[]): boolean {
  return dims.length > 1;
}

/**
 * One update of every parameter that has a gradient. `scale` multiplies the gradients first
 * (gradient-norm clipping passes min(1, maxNorm / norm)).
 */
export function optimizerStep(
  spec: OptimizerSpec,
  state: OptimizerState,
  params: ReadonlyMap<string, { data: Float32Array; dims: readonly number[] }>,
  grads: ReadonlyMap<string, Float32Array>,
  lr: number,
  scale = 1,
): void {
  state.step += 1;
  for (const [name, param] of params) {
    const g = grads.get(name);
    if (!g) continue;
    const w = param.data;
    const wd = decays(param.dims) ? spec.weightDecay : 0;
    switch (spec.kind) {
      case 'sgd': {
        const m = buffer(state, `m.${name}`, w.length);
        const mu = spec.momentum;
        if (spec.nesterov) {
          for (let i = 0; i < w.length; i++) {
            const gi = g[i] * scale + wd * w[i];
            m[i] = mu * m[i] + gi;
            w[i] -= lr * (gi + mu * m[i]);
          }
        } else {
          for (let i = 0; i < w.length; i++) {
            m[i] = mu * m[i] + g[i] * scale + wd * w[i];
            w[i] -= lr * m[i];
          }
        }
        break;
      }
      case 'adamw': {
        const m = buffer(state, `m.${name}`, w.length);
        const v = buffer(state, `v.${name}`, w.length);
        const { beta1, beta2, epsilon } = spec;
        const c1 = 1 - beta1 ** state.step;
        const c2 = 1 - beta2 ** state.step;
        const stepSize = lr / c1;
        const decay = 1 - lr * wd;
        for (let i = 0; i < w.length; i++) {
          const gi = g[i] * scale;
          m[i] = beta1 * m[i] + (1 - beta1) * gi;
          v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
          w[i] = w[i] * decay - (stepSize * m[i]) / (Math.sqrt(v[i] / c2) + epsilon);
        }
        break;
      }
      default: {
        const unknown: never = spec;
        throw new Error(`Unknown optimizer ${JSON.stringify(unknown)}`);
      }
    }
  }
}

/** The global L2 norm of all gradients, for clipping. */
export function globalNorm(grads: ReadonlyMap<string, Float32Array>): number {
  let sum = 0;
  for (const g of grads.values()) for (let i = 0; i < g.length; i++) sum += g[i] * g[i];
  return Math.sqrt(sum);
}

/** The factor that brings the global norm down to `maxNorm` (1 when it is already below). */
export function clipScale(norm: number, maxNorm: number | undefined): number {
  return maxNorm !== undefined && norm > maxNorm ? maxNorm / (norm + 1e-12) : 1;
}
