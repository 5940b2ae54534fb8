/**
 * Dependency groups and channel removal on every zoo and shipped model: the pruned model loads
 * in onnxruntime with the same output shape, costs strictly less energy, keeps coupled tensors
 * consistent (residual Adds, depthwise convolutions), matches hand-made slicing, and leaves a
 * coupling it does not understand alone.
 */
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src-main/core/energy/analyze';
import { DeviceLibrary } from '../../../src-main/core/energy/device-library';
import type { EnergyProfile } from '../../../src-main/core/energy/device-kind';
import { attrInt, type Model } from '../../../src-main/core/onnx/ir';
import { readOnnxFile } from '../../../src-main/core/onnx/read';
import { openSession } from '../../../src-main/core/onnx/session';
import { inferValues } from '../../../src-main/core/onnx/shapes';
import { applyRemoval, layerWidths, sliceAxis, type Removal } from '../../../src-main/core/prune/apply';
import { buildChannelGraph, type ChannelGraph } from '../../../src-main/core/prune/channel-graph';
import { Rng } from '../../../src-main/common/random';
import { zoo, zooNames } from '../../../src-main/core/zoo/registry';
import { smallZooNames } from '../../../src-main/core/zoo/small/registry';
import { GraphBuilder } from '../onnx/build';

const modelsDir = path.resolve(import.meta.dirname, '../../../resources/models');
let nano: EnergyProfile;

beforeAll(async () => {
  nano = (await DeviceLibrary.load(path.resolve(import.meta.dirname, '../../../resources/devices'))).get('jetson-nano-10w');
});

/** Removes `ratio` of every prunable group's channels (at least one kept), chosen by a seeded generator. */
function randomRemoval(graph: ChannelGraph, ratio: number, seed: number): Removal {
  const rng = new Rng(seed);
  const removal: Removal = new Map();
  for (const group of graph.groups) {
    if (!group.prunable) continue;
    const count = Math.min(group.size - 1, Math.round(group.size * ratio));
    const order = rng.shuffle(Int32Array.from({ length: group.size }, (_, i) => i));
    const mask = new Uint8Array(group.size);
    for (let i = 0; i < count; i++) mask[order[i]] = 1;
    removal.set(group.id, mask);
  }
  return removal;
}

const energy = (model: Model) => analyzeModel(model, nano, { precision: 'fp16' }).totals.energyJ;
const outputShape = (model: Model) => inferValues(model).get(model.graph.outputs[0].name)!.shape;

async function runs(model: Model, side: number, channels: number): Promise<readonly number[]> {
  const session = await openSession(model);
  try {
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', new Float32Array(channels * side * side).fill(0.25), [1, channels, side, side]) });
    const data = out[session.outputNames[0]].data as Float32Array;
    expect(data.every(Number.isFinite)).toBe(true);
    return out[session.outputNames[0]].dims;
  } finally {
    await session.release();
  }
}

/** Every convolution's weights agree with its input and its group attribute (residual and depthwise coupling). */
function expectConsistent(model: Model): void {
  const values = inferValues(model);
  for (const node of model.graph.nodes) {
    if (node.opType !== 'Conv') continue;
    const w = model.graph.initializers.get(node.inputs[1])!;
    const cin = values.get(node.inputs[0])!.shape[1];
    const group = attrInt(node, 'group', 1);
    expect(w.dims[1] * group, node.name).toBe(cin);
    if (group > 1) expect(group, `${node.name} stays depthwise`).toBe(cin);
  }
  for (const node of model.graph.nodes.filter((n) => n.opType === 'Add')) {
    const [a, b] = node.inputs.map((i) => values.get(i)!.shape);
    expect(a, node.name).toEqual(b);
  }
}

describe('channel groups', () => {
  it.each(smallZooNames)('prune the shipped %s at 25, 50 and 75%%: it loads, keeps its output and costs less', async (name) => {
    const model = readOnnxFile(path.join(modelsDir, `${name}.onnx`));
    const graph = buildChannelGraph(model);
    expect(graph.groups.filter((g) => g.prunable).length).toBeGreaterThan(2);
    let previous = energy(model);
    for (const [i, ratio] of [0.25, 0.5, 0.75].entries()) {
      const pruned = applyRemoval(graph, randomRemoval(graph, ratio, i + 1));
      expect(outputShape(pruned)).toEqual(outputShape(model));
      expectConsistent(pruned);
      const e = energy(pruned);
      expect(e).toBeLessThan(previous);
      previous = e;
      expect(await runs(pruned, 28, 1)).toEqual([1, 10]);
    }
  });

  it.each(zooNames)('prune the ImageNet %s: shapes, coupling and energy', async (name) => {
    const model = zoo[name].build();
    const graph = buildChannelGraph(model);
    const pruned = applyRemoval(graph, randomRemoval(graph, 0.5, 7), { shapesOnly: true });
    expect(outputShape(pruned)).toEqual([1, 1000]);
    expectConsistent(pruned);
    expect(energy(pruned)).toBeLessThan(energy(model));
    // onnxruntime runs a reduced-width build with its generated weights (the full VGG-16 is 528 MB).
    const small = zoo[name].build({ width: 0.125 });
    const smallGraph = buildChannelGraph(small);
    expect(await runs(applyRemoval(smallGraph, randomRemoval(smallGraph, 0.5, 3)), 224, 3)).toEqual([1, 1000]);
  }, 60_000);

  it('ties both operands of a residual Add, and a depthwise convolution to its input', () => {
    const resnet = buildChannelGraph(readOnnxFile(path.join(modelsDir, 'resnet20.onnx')));
    const stage = resnet.groups.find((g) => g.producers.includes('layer2.0.shortcut.conv'))!;
    expect(stage.producers).toEqual(['layer2.0.a.conv', 'layer2.0.shortcut.conv', 'layer2.1.a.conv', 'layer2.2.a.conv']);
    expect(stage.size).toBe(32);
    const mobilenet = buildChannelGraph(readOnnxFile(path.join(modelsDir, 'mobilenet_v2_small.onnx')));
    const expand = mobilenet.groups.find((g) => g.producers.includes('blocks.1.expand.conv'))!;
    expect(expand.dependencies.filter((d) => d.role === 'depthwise').map((d) => d.node)).toEqual(['blocks.1.depthwise.conv']);
  });

  it('removes a channel exactly as slicing the tensors by hand does', () => {
    const model = readOnnxFile(path.join(modelsDir, 'lenet5.onnx'));
    const graph = buildChannelGraph(model);
    const group = graph.groups.find((g) => g.producers[0] === 'conv1')!;
    const mask = new Uint8Array(group.size);
    mask[2] = 1;
    mask[4] = 1;
    const pruned = applyRemoval(graph, new Map([[group.id, mask]]));
    const keep = Int32Array.from([0, 1, 3, 5]);
    const get = (m: Model, name: string) => m.graph.initializers.get(name)!;
    const w1 = get(model, 'conv1.weight');
    expect(get(pruned, 'conv1.weight').dims).toEqual([4, 1, 5, 5]);
    expect(get(pruned, 'conv1.weight').data).toEqual(sliceAxis(w1.data as Float32Array, w1.dims, 0, keep));
    expect(get(pruned, 'conv1.bias').data).toEqual(Float32Array.from([0, 1, 3, 5], (k) => (get(model, 'conv1.bias').data as Float32Array)[k]));
    // conv2's input channels: every filter loses its slices 2 and 4, element by element.
    const w2 = get(model, 'conv2.weight');
    const by = get(pruned, 'conv2.weight');
    expect(by.dims).toEqual([16, 4, 5, 5]);
    const original = w2.data as Float32Array;
    const expected = new Float32Array(16 * 4 * 25);
    for (let o = 0; o < 16; o++) for (const [j, c] of [0, 1, 3, 5].entries()) for (let k = 0; k < 25; k++) expected[(o * 4 + j) * 25 + k] = original[(o * 6 + c) * 25 + k];
    expect(by.data).toEqual(expected);
    expect(layerWidths(pruned).get('conv1')).toBe(4);
  });

  it('leaves a coupling it does not understand alone, naming the node, and prunes the rest', async () => {
    const g = new GraphBuilder(13);
    const x = g.input('x', [1, 3, 8, 8]);
    const a = g.node('Conv', [x, g.weight('a.w', [8, 3, 3, 3], Float32Array.from({ length: 216 }, (_, i) => Math.sin(i))), g.weight('a.b', [8], new Float32Array(8))], { pads: [1, 1, 1, 1], kernel_shape: [3, 3] })[0];
    // Softmax over the channels mixes them: no pruning rule, so conv a's channels stay.
    const n = g.node('Softmax', [a], { axis: 1 })[0];
    const b = g.node('Conv', [n, g.weight('b.w', [6, 8, 1, 1], Float32Array.from({ length: 48 }, (_, i) => Math.cos(i)))], { kernel_shape: [1, 1] })[0];
    const r = g.node('Relu', [b])[0];
    const c = g.node('Conv', [r, g.weight('c.w', [4, 6, 1, 1], Float32Array.from({ length: 24 }, (_, i) => Math.sin(i * 3)))], { kernel_shape: [1, 1] })[0];
    g.output(c);
    const graph = buildChannelGraph(g.model);
    const frozen = graph.groups.find((group) => group.size === 8)!;
    expect(frozen.prunable).toBe(false);
    expect(frozen.reason).toMatch(/Operator 'Softmax' at node '.+' has no pruning rule/);
    const middle = graph.groups.find((group) => group.size === 6)!;
    expect(middle.prunable).toBe(true);
    const pruned = applyRemoval(graph, new Map([[middle.id, Uint8Array.from([1, 0, 1, 0, 0, 0])]]));
    expect(pruned.graph.initializers.get('a.w')!.dims).toEqual([8, 3, 3, 3]);
    expect(pruned.graph.initializers.get('b.w')!.dims).toEqual([4, 8, 1, 1]);
    expect(pruned.graph.initializers.get('c.w')!.dims).toEqual([4, 4, 1, 1]);
    const session = await openSession(pruned);
    expect((await session.run({ x: new ort.Tensor('float32', new Float32Array(192).fill(0.5), [1, 3, 8, 8]) }))[session.outputNames[0]].dims).toEqual([1, 4, 8, 8]);
    expect(() => applyRemoval(graph, new Map([[frozen.id, Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0])]]))).toThrow(/cannot be pruned: Operator 'Softmax'/);
  });
});
