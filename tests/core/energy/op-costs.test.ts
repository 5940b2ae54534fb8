import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src-main/core/energy/analyze';
import { OP_COSTS } from '../../../src-main/core/energy/op-costs';
import { GraphBuilder } from '../../../src-main/core/onnx/builder';
import { SHAPE_RULES } from '../../../src-main/core/onnx/shape-rules/registry';
import { libraryProfile } from './corpus';

describe('op costs', () => {
  it('has a cost rule for every operator shape inference knows', () => {
    expect(Object.keys(SHAPE_RULES).filter((op) => !OP_COSTS[op])).toEqual([]);
  });

  it('costs element-wise ops per element, fuses them after a convolution, and folds batch norm', async () => {
    const pi = await libraryProfile('raspberry-pi-4');
    const g = new GraphBuilder(13);
    const x = g.input('x', [1, 8, 16, 16]);
    const c = g.op('Conv', [x, g.weight('w', [8, 8, 1, 1])]);
    const bn = g.op('BatchNormalization', [c, ...['s', 'b', 'm', 'v'].map((n) => g.weight(n, [8]))]);
    const r = g.op('Relu', [bn]);
    const p = g.op('MaxPool', [r], { kernel_shape: [2, 2], strides: [2, 2] });
    const s = g.op('Sigmoid', [p]);
    g.output(s);
    const a = analyzeModel(g.model, pi, { precision: 'fp32' });
    const [conv, norm, relu, pool, sigmoid] = a.layers;
    expect(norm.fusedInto).toBe(conv.name);
    expect(norm.energyJ).toBe(0);
    expect(relu.fusedInto).toBe(conv.name);
    expect(relu.macEquivalents).toBeCloseTo(0.2 * 8 * 16 * 16, 9);
    expect(relu.dramBytes).toBe(0);
    // The pool is not fusable: it reads the ReLU's output and writes its own.
    expect(pool.fusedInto).toBeUndefined();
    expect(pool.dramBytes).toBe((8 * 16 * 16 + 8 * 8 * 8) * 4);
    expect(pool.macEquivalents).toBeCloseTo(8 * 8 * 8 * 0.2 * 3, 9);
    // The sigmoid follows a pool, not a convolution: it streams through memory.
    expect(sigmoid.fusedInto).toBeUndefined();
    expect(sigmoid.macEquivalents).toBeCloseTo(8 * 8 * 8 * 14.2, 9);
    expect(conv.dramBytes).toBe((64 + 2 * 8 * 256) * 4);
    const unfused = analyzeModel(g.model, pi, { precision: 'fp32', fuse: false });
    expect(unfused.totals.dramBytes).toBeGreaterThan(a.totals.dramBytes);
    expect(unfused.layers[1].macEquivalents).toBe(8 * 16 * 16);
  });

  it('views and Concat are free, copies only move data', async () => {
    const pi = await libraryProfile('raspberry-pi-4');
    const g = new GraphBuilder(13);
    const x = g.input('x', [1, 4, 8, 8]);
    const cat = g.op('Concat', [x, x], { axis: 1 });
    const t = g.op('Transpose', [cat], { perm: [0, 2, 3, 1] });
    g.output(g.op('Flatten', [t]));
    const [concat, transpose, flatten] = analyzeModel(g.model, pi, { precision: 'fp32' }).layers;
    expect(concat.energyJ).toBe(0);
    expect(flatten.energyJ).toBe(0);
    expect(transpose.computeJ).toBe(0);
    expect(transpose.dramBytes).toBe(2 * 512 * 4);
  });
});
