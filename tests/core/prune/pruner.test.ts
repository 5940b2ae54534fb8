/** The energy-constrained pruner: budgets met, impossible budgets refused, criteria and rounding honoured. */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeviceLibrary } from '../../../src-main/core/energy/device-library';
import type { Model } from '../../../src-main/core/onnx/ir';
import { readOnnxFile } from '../../../src-main/core/onnx/read';
import { layerWidths } from '../../../src-main/core/prune/apply';
import { buildChannelGraph } from '../../../src-main/core/prune/channel-graph';
import { channelSavings, energyCost, macCost, type CostModel } from '../../../src-main/core/prune/cost';
import { normCriterion, randomCriterion, slimCriterion } from '../../../src-main/core/prune/importance';
import { pruneToBudget } from '../../../src-main/core/prune/pruner';
import { zoo } from '../../../src-main/core/zoo/registry';

const modelsDir = path.resolve(import.meta.dirname, '../../../resources/models');
let cost: CostModel;
let vgg: Model;

beforeAll(async () => {
  const library = await DeviceLibrary.load(path.resolve(import.meta.dirname, '../../../resources/devices'));
  cost = energyCost(library.get('jetson-nano-10w'), 'fp16');
  vgg = readOnnxFile(path.join(modelsDir, 'vgg_small.onnx'));
});

const l1 = async (m: Model) => normCriterion(m, 1);

describe('pruneToBudget', () => {
  it('meets an energy budget in steps of falling energy, energy-aware and uniform alike', async () => {
    const e0 = cost.of(vgg);
    for (const allocation of ['global', 'uniform'] as const) {
      const steps: number[] = [];
      const out = await pruneToBudget(vgg, { budget: 0.4 * e0, cost, rankBy: allocation === 'global' ? cost : null, criterion: l1, allocation, onStep: (s) => steps.push(s.cost) });
      expect(out.cost).toBeLessThanOrEqual(0.4 * e0);
      expect(out.cost).toBeGreaterThan(0.3 * e0);
      expect(cost.of(out.model)).toBeCloseTo(out.cost, 12);
      expect(steps).toEqual([...steps].sort((a, b) => b - a));
      expect(out.skipped).toEqual([{ node: 'fc', reason: "These channels reach the network output 'fc', whose shape must not change." }]);
    }
  });

  it('prunes every layer by the same fraction with uniform allocation', async () => {
    const out = await pruneToBudget(vgg, { budget: 0.5 * cost.of(vgg), cost, rankBy: null, criterion: l1, allocation: 'uniform' });
    const before = layerWidths(vgg);
    const kept = [...layerWidths(out.model)].filter(([layer]) => layer !== 'fc').map(([layer, w]) => w / before.get(layer)!);
    expect(Math.max(...kept) - Math.min(...kept)).toBeLessThan(0.05);
  });

  it('refuses a budget the minimum widths cannot meet, before any work, with the floor it reaches', async () => {
    await expect(pruneToBudget(vgg, { budget: 1e-6, cost, rankBy: cost, criterion: l1, allocation: 'global' })).rejects.toThrow(
      /^The budget of 1\.000 µJ cannot be met: with every prunable layer at its minimum width \(1 channel\) the model still costs [\d.]+ µJ, against 2\.\d+ mJ unpruned\.$/,
    );
  });

  it('keeps channel counts at multiples of the rounding and at least the minimum', async () => {
    const out = await pruneToBudget(vgg, { budget: 0.5 * cost.of(vgg), cost, rankBy: cost, criterion: l1, allocation: 'global', round: 8, minChannels: 8 });
    for (const [layer, w] of layerWidths(out.model)) if (layer !== 'fc') expect(w % 8, layer).toBe(0);
  });

  it('returns the model unchanged when it already meets the budget', async () => {
    const out = await pruneToBudget(vgg, { budget: 2 * cost.of(vgg), cost, rankBy: cost, criterion: l1, allocation: 'global' });
    expect(out.model).toBe(vgg);
    expect(out.steps).toEqual([]);
  });

  it('prices a channel by the energy model, and by MACs for the MAC-constrained baseline', () => {
    const graph = buildChannelGraph(zoo.vgg16.build());
    const joules = channelSavings(graph, cost, () => 1);
    const macs = channelSavings(graph, macCost, () => 1);
    const first = graph.groups.find((g) => g.producers[0] === 'features.0')!;
    const deep = graph.groups.find((g) => g.producers[0] === 'features.28')!;
    // A channel of the first conv (224x224, 3 inputs) against one of the last (14x14, 512 inputs).
    expect(macs[first.id]).toBeCloseTo(224 * 224 * 9 * 3 + 224 * 224 * 9 * 64, -3);
    expect(joules[first.id]).toBeGreaterThan(0);
    expect(joules[deep.id]).toBeGreaterThan(0);
    expect(joules[first.id] / joules[deep.id]).not.toBeCloseTo(macs[first.id] / macs[deep.id], 1);
  });

  it('ranks by the criterion: L1 removes the weakest filters, slimming the smallest BatchNorm scales, random is seeded', () => {
    const graph = buildChannelGraph(vgg);
    const group = graph.groups.find((g) => g.producers[0] === 'features.0.conv')!;
    const l1Scores = normCriterion(vgg, 1).score(group);
    const w = vgg.graph.initializers.get('features.0.conv.weight')!.data as Float32Array;
    const byHand = Array.from({ length: 32 }, (_, c) => w.slice(c * 9, c * 9 + 9).reduce((a, v) => a + Math.abs(v), 0));
    byHand.forEach((v, c) => expect(l1Scores[c]).toBeCloseTo(v, 4));
    const gamma = vgg.graph.initializers.get('features.0.bn.weight')!.data as Float32Array;
    expect([...slimCriterion(vgg).score(group)]).toEqual([...gamma].map(Math.abs));
    expect(randomCriterion(5).score(group)).toEqual(randomCriterion(5).score(group));
    expect(randomCriterion(5).score(group)).not.toEqual(randomCriterion(6).score(group));
  });
});
