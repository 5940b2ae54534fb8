/**
 * Published comparisons reproduced on the normalized Eyeriss model (Chen et al., ISCA 2016;
 * Yang, Chen, Sze, CVPR 2017; Chen et al., JSSC 2017).
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src-main/core/energy/analyze';
import { eyerissProfile } from '../../../src-main/core/energy/builtin-profiles';
import { zoo } from '../../../src-main/core/zoo/registry';
import type { ZooName } from '../../../src-main/core/zoo/registry';
import { LAYERS, layerModel } from './corpus';

const eyeriss = eyerissProfile();
const energy = (name: ZooName) => analyzeModel(zoo[name].build(), eyeriss, { precision: 'fp16' });

describe('Eyeriss normalized model', () => {
  it('reports energies in units of one MAC', () => {
    const a = analyzeModel(layerModel(LAYERS[2]), eyeriss, { precision: 'fp16' });
    expect(a.units).toBe('normalized (MAC = 1)');
    expect(a.layers[0].computeJ).toBe(a.layers[0].macs);
    expect(a.totals.staticJ).toBe(0);
  });

  it("splits GoogLeNet's energy like Yang et al.: ofmaps 43%, ifmaps 25%, weights 22%, computation 10% (within 10 points)", () => {
    const t = energy('googlenet').totals;
    const total = t.computeJ + t.data.weightsJ + t.data.inputsJ + t.data.outputsJ;
    expect(total / t.energyJ).toBeCloseTo(1, 9);
    const share = { computation: t.computeJ / total, weights: t.data.weightsJ / total, ifmaps: t.data.inputsJ / total, ofmaps: t.data.outputsJ / total };
    const published = { computation: 0.1, weights: 0.22, ifmaps: 0.25, ofmaps: 0.43 };
    for (const k of Object.keys(published) as (keyof typeof published)[]) {
      expect({ k, off: Math.abs(share[k] - published[k]) < 0.1 }).toEqual({ k, off: true });
    }
    // Data movement, not arithmetic, dominates.
    expect(share.computation).toBeLessThan(0.2);
  });

  it('moves about as much DRAM data per MAC as the Eyeriss chip on the AlexNet conv layers (0.0029 at batch 4, JSSC 2017)', () => {
    const a = analyzeModel(zoo.alexnet.build(), eyeriss, { precision: 'fp16', batch: 4 });
    const convs = a.layers.filter((l) => l.op === 'Conv');
    const accessesPerMac = convs.reduce((s, l) => s + l.dramBytes / 2, 0) / convs.reduce((s, l) => s + l.macs, 0);
    expect(accessesPerMac).toBeGreaterThan(0.0029 / 2);
    expect(accessesPerMac).toBeLessThan(0.0029 * 2);
  });

  it('fewer MACs or fewer weights can still cost more energy (Yang et al.)', () => {
    const macs = (n: ZooName) => energy(n).model.macs;
    const params = (n: ZooName) => energy(n).model.params;
    const e = (n: ZooName) => energy(n).totals.energyJ;
    // AlexNet has half GoogLeNet's MACs but its fully connected weights stream from DRAM.
    expect(macs('alexnet')).toBeLessThan(macs('googlenet'));
    expect(e('alexnet')).toBeGreaterThan(e('googlenet'));
    // SqueezeNet 1.0 has a third of MobileNet-v2's weights but large feature maps.
    expect(params('squeezenet1_0')).toBeLessThan(params('mobilenet_v2'));
    expect(e('squeezenet1_0')).toBeGreaterThan(e('mobilenet_v2'));
  });

  it('charges the PE array hops for multicast and spatial accumulation', () => {
    const a = analyzeModel(layerModel(LAYERS[2]), eyeriss, { precision: 'fp16' }).layers[0];
    expect(a.arrayJ).toBeGreaterThan(0);
    expect(a.rfJ).toBeGreaterThan(a.arrayJ);
    const [pm, pc, ps] = a.tiling!.pe.parallel;
    expect(pm * pc * ps).toBeLessThanOrEqual(168);
    expect(pm * pc * ps).toBeGreaterThan(84);
  });
});
