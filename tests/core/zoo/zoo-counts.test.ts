import { describe, expect, it } from 'vitest';
import { countModel } from '../../../src-main/core/onnx/count';
import { isZooName, listZoo, zoo, zooNames } from '../../../src-main/core/zoo/registry';

/** torchvision's exact parameter counts (sum of parameters().numel()); MobileNet-v1 is not in torchvision. */
const EXACT_PARAMS: Partial<Record<string, number>> = {
  alexnet: 61_100_840,
  vgg16: 138_357_544,
  googlenet: 6_624_904,
  resnet18: 11_689_512,
  resnet50: 25_557_032,
  mobilenet_v2: 3_504_872,
  squeezenet1_0: 1_248_424,
  squeezenet1_1: 1_235_496,
};

describe('zoo MACs and parameters', () => {
  const counts = new Map(zooNames.map((name) => [name, countModel(zoo[name].build())]));

  it.each(zooNames)('%s is within 2% of the published MACs and parameters', (name) => {
    const { macs, params } = counts.get(name)!;
    const published = zoo[name].published;
    expect(Math.abs(macs / published.macs - 1)).toBeLessThan(0.02);
    expect(Math.abs(params / published.params - 1)).toBeLessThan(0.02);
  });

  it.each(Object.entries(EXACT_PARAMS))('%s has exactly torchvision\'s parameter count', (name, exact) => {
    expect(counts.get(name as never)!.params).toBe(exact);
  });

  it.each(zooNames)('%s: per-layer counts add up, weights are shape-only, output is [1, 1000]', (name) => {
    const model = zoo[name].build();
    const c = counts.get(name)!;
    expect(c.layers.reduce((s, l) => s + l.macs, 0)).toBe(c.macs);
    expect(c.layers.reduce((s, l) => s + l.params, 0)).toBe(c.params);
    const floats = [...model.graph.initializers.values()].filter((t) => t.dims.length > 0);
    expect(floats.every((t) => t.data === null)).toBe(true);
    expect(c.layers[c.layers.length - 1].outputShape).toEqual([1, 1000]);
    expect(new Set(model.graph.nodes.map((n) => n.name)).size).toBe(model.graph.nodes.length);
  });

  it('counts scale with the batch and the width multiplier', () => {
    const one = countModel(zoo.resnet18.build());
    const four = countModel(zoo.resnet18.build(), { batch: 4 });
    expect(four.macs).toBe(4 * one.macs);
    expect(four.params).toBe(one.params);
    // Half width: every layer but the first conv and the last classifier scales by 1/4.
    const ratio = countModel(zoo.vgg16.build({ width: 0.5 })).macs / countModel(zoo.vgg16.build()).macs;
    expect(ratio).toBeGreaterThan(0.25);
    expect(ratio).toBeLessThan(0.26);
  });

  it('lists every model with its source and published figures', () => {
    const list = listZoo();
    expect(list.map((m) => m.name)).toEqual([...zooNames]);
    for (const m of list) {
      expect(m.source.length).toBeGreaterThan(10);
      expect(m.published.source.length).toBeGreaterThan(5);
      expect(isZooName(m.name)).toBe(true);
    }
    expect(isZooName('resnet101')).toBe(false);
  });
});
