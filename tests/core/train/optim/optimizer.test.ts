import { describe, expect, it } from 'vitest';
import { clipScale, createOptimizerState, globalNorm, optimizerStep, type OptimizerSpec } from '../../../../src-main/core/train/optim/optimizer';
import { learningRate } from '../../../../src-main/core/train/optim/schedule';

/** Minimises f(w) = sum((w - target)^2) / 2, whose gradient is w - target. */
function minimise(spec: OptimizerSpec, lr: number, steps: number) {
  const target = Float32Array.from([3, -2, 0.5, 1]);
  const params = new Map([['w', { data: new Float32Array(4), dims: [2, 2] }]]);
  const state = createOptimizerState();
  for (let s = 0; s < steps; s++) {
    const w = params.get('w')!.data;
    optimizerStep(spec, state, params, new Map([['w', w.map((x, i) => x - target[i])]]), lr);
  }
  return { w: params.get('w')!.data, target, state };
}

describe('optimizers', () => {
  it('SGD with momentum converges on a quadratic', () => {
    const { w, target } = minimise({ kind: 'sgd', momentum: 0.9, weightDecay: 0 }, 0.05, 300);
    w.forEach((x, i) => expect(x).toBeCloseTo(target[i], 3));
  });

  it('AdamW converges on a quadratic', () => {
    const { w, target } = minimise({ kind: 'adamw', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 }, 0.05, 2000);
    w.forEach((x, i) => expect(x).toBeCloseTo(target[i], 2));
  });

  it('matches a hand-computed first SGD step with momentum and weight decay', () => {
    const params = new Map([['w', { data: Float32Array.from([1, 2]), dims: [1, 2] }]]);
    const state = createOptimizerState();
    optimizerStep({ kind: 'sgd', momentum: 0.9, weightDecay: 0.1 }, state, params, new Map([['w', Float32Array.from([0.5, -1])]]), 0.1);
    // m = g + wd * w = [0.6, -0.8]; w -= lr * m
    expect([...params.get('w')!.data]).toEqual([Math.fround(1 - 0.06), Math.fround(2 + 0.08)]);
  });

  it('matches a hand-computed first AdamW step (bias-corrected step = lr * sign(g))', () => {
    const params = new Map([['w', { data: Float32Array.from([1, 2]), dims: [1, 2] }]]);
    optimizerStep({ kind: 'adamw', beta1: 0.9, beta2: 0.999, epsilon: 0, weightDecay: 0.5 }, createOptimizerState(), params, new Map([['w', Float32Array.from([0.3, -4])]]), 0.1);
    const w = params.get('w')!.data;
    expect(w[0]).toBeCloseTo(1 * (1 - 0.05) - 0.1, 6);
    expect(w[1]).toBeCloseTo(2 * (1 - 0.05) + 0.1, 6);
  });

  it('does not decay biases (1-d parameters)', () => {
    const params = new Map([['b', { data: Float32Array.from([1]), dims: [1] }]]);
    optimizerStep({ kind: 'sgd', momentum: 0, weightDecay: 0.5 }, createOptimizerState(), params, new Map([['b', Float32Array.from([0])]]), 1);
    expect(params.get('b')!.data[0]).toBe(1);
  });

  it('clips by global norm', () => {
    const grads = new Map([['a', Float32Array.from([3, 0])], ['b', Float32Array.from([4])]]);
    expect(globalNorm(grads)).toBe(5);
    expect(clipScale(5, 1)).toBeCloseTo(0.2, 9);
    expect(clipScale(5, 10)).toBe(1);
    expect(clipScale(5, undefined)).toBe(1);
  });
});

describe('learning-rate schedules', () => {
  it('warms up linearly, then follows the schedule', () => {
    const cosine = { kind: 'cosine', base: 0.1, warmupSteps: 10, totalSteps: 110 } as const;
    expect(learningRate(cosine, 0)).toBeCloseTo(0.01, 9);
    expect(learningRate(cosine, 9)).toBeCloseTo(0.1, 9);
    expect(learningRate(cosine, 10)).toBeCloseTo(0.1, 9);
    expect(learningRate(cosine, 60)).toBeCloseTo(0.05, 9);
    expect(learningRate(cosine, 110)).toBeCloseTo(0, 9);
    const step = { kind: 'step', base: 1, stepSize: 10, gamma: 0.5 } as const;
    expect([0, 9, 10, 25].map((s) => learningRate(step, s))).toEqual([1, 1, 0.5, 0.25]);
    expect(learningRate({ kind: 'constant', base: 0.3 }, 1000)).toBe(0.3);
  });
});
