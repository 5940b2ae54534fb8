import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src-main/core/energy/analyze';
import type { EnergyProfile } from '../../../src-main/core/energy/device-kind';
import { GraphBuilder } from '../../../src-main/core/onnx/builder';
import type { Model } from '../../../src-main/core/onnx/ir';
import { zoo } from '../../../src-main/core/zoo/registry';
import { libraryProfile } from './corpus';

async function tinyDevice(ramMB: number): Promise<EnergyProfile> {
  const pi = await libraryProfile('raspberry-pi-4');
  return { ...pi, id: 'tiny-device', ramMB: { value: ramMB, source: 'test' } };
}

/** x [1,1,8,8] -> a: conv 1->16 and b: conv 1->16, then a + b: both 16x8x8 maps live at once. */
function twoBranches(): Model {
  const g = new GraphBuilder(13);
  const x = g.input('x', [1, 1, 8, 8]);
  const a = g.node('Conv', [x, g.weight('wa', [16, 1, 3, 3])], { pads: [1, 1, 1, 1] }, ['a'])[0];
  const b = g.node('Conv', [x, g.weight('wb', [16, 1, 3, 3])], { pads: [1, 1, 1, 1] }, ['b'])[0];
  g.model.graph.nodes[0].name = 'conv_a';
  g.model.graph.nodes[1].name = 'conv_b';
  const y = g.node('Add', [a, b], {}, ['y'])[0];
  g.model.graph.nodes[2].name = 'sum';
  g.output(y);
  return g.model;
}

describe('memory fit', () => {
  it('names the peak layer and counts live tensors, freeing them after their last consumer', async () => {
    const device = await tinyDevice(1);
    // Fused: the Add overwrites conv_b's output in place. Peak while conv_b runs: x + a + b.
    const fused = analyzeModel(twoBranches(), device, { precision: 'fp32' }).totals;
    expect(fused.peakActivationBytes).toBe((64 + 1024 + 1024) * 4);
    expect(fused.peakActivationLayer).toBe('conv_b');
    expect(fused.weightBytes).toBe(2 * 16 * 9 * 4);
    // Unfused (onnxruntime without graph optimisations): x is freed, a + b + y are live at the Add.
    const plain = analyzeModel(twoBranches(), device, { precision: 'fp32', fuse: false }).totals;
    expect(plain.peakActivationBytes).toBe(3 * 1024 * 4);
    expect(plain.peakActivationLayer).toBe('sum');
    expect(analyzeModel(twoBranches(), device, { precision: 'int8' }).totals.peakActivationBytes).toBe(64 + 2048);
  });

  it('views share their input buffer', async () => {
    const g = new GraphBuilder(13);
    const x = g.input('x', [1, 4, 16, 16]);
    const f = g.op('Flatten', [x]);
    g.output(g.op('Gemm', [f, g.weight('w', [10, 1024])], { transB: 1 }));
    const t = analyzeModel(g.model, await tinyDevice(1), { precision: 'fp32' }).totals;
    expect(t.peakActivationBytes).toBe((1024 + 10) * 4);
  });

  it('a tiny device cannot hold ResNet-50 but holds SqueezeNet 1.1', async () => {
    const device = await tinyDevice(32);
    const resnet = analyzeModel(zoo.resnet50.build(), device, { precision: 'fp32' }).totals;
    expect(resnet.fits).toBe(false);
    expect(resnet.weightBytes).toBeGreaterThan(100e6);
    expect(resnet.ramBytes).toBe(32 * 1024 * 1024);
    const squeeze = analyzeModel(zoo.squeezenet1_1.build(), device, { precision: 'fp32' }).totals;
    expect(squeeze.fits).toBe(true);
    expect(squeeze.weightBytes + squeeze.peakActivationBytes).toBeLessThan(32 * 1024 * 1024);
    expect(zoo.squeezenet1_1.build().graph.nodes.map((n) => n.name)).toContain(squeeze.peakActivationLayer);
  });

  it('fits compares weights plus peak activations with the device RAM', async () => {
    const coral = await libraryProfile('coral-dev-board');
    const vgg = analyzeModel(zoo.vgg16.build(), coral, { precision: 'int8' }).totals;
    expect(vgg.fits).toBe(vgg.weightBytes + vgg.peakActivationBytes <= 1024 * 1024 * 1024);
    const ncs2 = await libraryProfile('intel-ncs2');
    // 138 M fp16 weights = 277 MB within the NCS2's 512 MB.
    expect(analyzeModel(zoo.vgg16.build(), ncs2, { precision: 'fp16' }).totals.fits).toBe(true);
  });
});
