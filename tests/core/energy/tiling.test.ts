import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src-main/core/energy/analyze';
import { createTilingCache, tileCandidates, tileConv } from '../../../src-main/core/energy/tiling';
import type { ConvWorkload, TilingHardware } from '../../../src-main/core/energy/tiling';
import { zoo } from '../../../src-main/core/zoo/registry';
import { libraryProfile } from './corpus';

const conv = (o: Partial<ConvWorkload> = {}): ConvWorkload => ({
  groups: 1, m: 64, c: 64, rows: 28, cols: 28, r: 3, s: 3, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1,
  inRows: 28, inCols: 28, bias: 0, ...o,
});
const hw = (o: Partial<TilingHardware> = {}): TilingHardware => ({
  bufferElements: 1 << 20, rfElements: 256, peCount: 1, bufferCost: 6, arrayCost: 0, rfCost: 1, ...o,
});
const dram = (w: ConvWorkload, h: TilingHardware) => {
  const a = tileConv(w, h);
  return a.weights.dram + a.inputs.dram + a.outputs.dram;
};

describe('tiling', () => {
  it('tile candidates nest when a dimension doubles', () => {
    expect(tileCandidates(1)).toEqual([1]);
    expect(tileCandidates(96)).toEqual([1, 2, 3, 6, 12, 24, 48, 96]);
    for (const d of [3, 7, 64, 100, 1000]) {
      const small = new Set([...tileCandidates(d), d * 2].map((t) => Math.min(t, d)));
      for (const t of tileCandidates(2 * d)) expect(small.has(Math.min(t, d))).toBe(true);
    }
  });

  it('reads each tensor once when the layer fits, and counts partial sums with the Eyeriss formula', () => {
    const w = conv();
    const a = tileConv(w, hw());
    expect(a.weights.dram).toBe(64 * 64 * 9);
    expect(a.inputs.dram).toBe(64 * 28 * 28);
    expect(a.outputs.dram).toBe(64 * 28 * 28);
    expect(a.tiling.fits).toBe(true);
    // Every MAC reads a weight and an input from the register file.
    const macs = 64 * 28 * 28 * 64 * 9;
    expect(a.weights.rf).toBe(macs);
    expect(a.inputs.rf).toBe(macs);
  });

  it('spills partial sums or re-reads inputs when the buffer is small', () => {
    const w = conv({ m: 512, c: 512, rows: 14, cols: 14, inRows: 14, inCols: 14 });
    const big = dram(w, hw());
    const small = dram(w, hw({ bufferElements: 16 * 1024 }));
    expect(small).toBeGreaterThan(big);
    const a = tileConv(w, hw({ bufferElements: 16 * 1024 }));
    const once = 512 * 512 * 9 + 2 * 512 * 14 * 14;
    expect(a.weights.dram + a.inputs.dram + a.outputs.dram).toBeGreaterThan(once);
    // Psums: (2a - 1) DRAM accesses per output, a >= 1.
    expect((a.outputs.dram / (512 * 196) + 1) % 2).toBeCloseTo(0, 9);
  });

  it('scales grouped convolutions by the group count and reuses searches through the cache', () => {
    const cache = new Map();
    const one = tileConv(conv({ m: 1, c: 1 }), hw(), cache);
    const many = tileConv(conv({ m: 1, c: 1, groups: 32 }), hw(), cache);
    expect(cache.size).toBe(1);
    expect([...cache.values()][0].size).toBe(1);
    expect(many.weights.dram).toBe(32 * one.weights.dram);
    expect(many.outputs.rf).toBe(32 * one.outputs.rf);
  });

  it('multicasts over a PE array: fewer buffer reads than register-file fills', () => {
    const a = tileConv(conv(), hw({ peCount: 168, arrayCost: 2 }));
    expect(a.weights.array).toBeGreaterThanOrEqual(a.weights.buffer);
    expect(a.inputs.array).toBeGreaterThanOrEqual(a.inputs.buffer);
    const [pm, pc, ps] = a.tiling.pe.parallel;
    expect(pm * pc * ps).toBeLessThanOrEqual(168);
  });
});

describe('tiling cache across analyses', () => {
  it('gives the same analysis with a shared cache, searching each shape once', async () => {
    const nano = await libraryProfile('jetson-nano-10w');
    const cache = createTilingCache();
    const model = zoo.resnet18.build();
    const fresh = analyzeModel(model, nano, { precision: 'fp16' });
    const first = analyzeModel(model, nano, { precision: 'fp16', tilingCache: cache });
    const shapes = [...cache.values()][0].size;
    const again = analyzeModel(model, nano, { precision: 'fp16', tilingCache: cache });
    expect(first.totals).toEqual(fresh.totals);
    expect(again.totals).toEqual(fresh.totals);
    expect([...cache.values()][0].size).toBe(shapes);
    analyzeModel(model, nano, { precision: 'fp32', tilingCache: cache });
    expect(cache.size).toBe(2);
  });
});
