import { describe, expect, it } from 'vitest';
import { deviceProfileSchema, layerClasses, type Figure, type LayerClass, type Precision } from '../../../src-main/common/devices/profile';
import { analyzeModel } from '../../../src-main/core/energy/analyze';
import { calibrateProfile } from '../../../src-main/core/energy/calibrate';
import type { EnergyProfile } from '../../../src-main/core/energy/device-kind';
import { EnergyModelError } from '../../../src-main/core/energy/errors';
import { zoo } from '../../../src-main/core/zoo/registry';
import type { ZooName } from '../../../src-main/core/zoo/registry';
import { LAYERS, layerModel, libraryProfile } from './corpus';

const times = (f: Figure, k: number): Figure => ({ ...f, value: f.value * k });

interface TrueScales {
  /** Multiplies every class's efficiency (and so the throughput). */
  speed: Partial<Record<LayerClass, number>>;
  bandwidth: number;
  mac: number;
  byte: number;
}

/** The "real" device: a library profile with known coefficients changed. */
function truth(base: EnergyProfile, k: TrueScales): EnergyProfile {
  const per = (figs: Partial<Record<Precision, Figure>>, s: number) =>
    Object.fromEntries(Object.entries(figs).map(([p, f]) => [p, times(f!, s)])) as Partial<Record<Precision, Figure>>;
  const speed = base.latencyModel!;
  return {
    ...base,
    latencyModel: {
      ...speed,
      efficiency: Object.fromEntries(layerClasses.map((c) => [c, times(speed.efficiency[c], k.speed[c] ?? 1)])) as NonNullable<EnergyProfile['latencyModel']>['efficiency'],
      bandwidthEfficiency: times(speed.bandwidthEfficiency, k.bandwidth),
    },
    energy: {
      macPJ: per(base.energy.macPJ, k.mac),
      dramPJPerByte: times(base.energy.dramPJPerByte, k.byte),
      bufferPJPerByte: times(base.energy.bufferPJPerByte, k.byte),
      registerPJPerByte: times(base.energy.registerPJPerByte, k.byte),
    },
  };
}

const CASES: { device: string; precision: Precision; k: TrueScales }[] = [
  { device: 'jetson-nano-10w', precision: 'fp16', k: { speed: { conv: 0.6, pointwise: 0.8, convLarge: 1.2 }, bandwidth: 0.7, mac: 1.3, byte: 0.8 } },
  { device: 'raspberry-pi-4', precision: 'fp32', k: { speed: { conv: 1.5, pointwise: 1.1, depthwise: 0.5 }, bandwidth: 0.5, mac: 0.5, byte: 2.5 } },
  { device: 'jetson-orin-nano', precision: 'int8', k: { speed: { conv: 0.3, pointwise: 0.5, convLarge: 0.4 }, bandwidth: 0.9, mac: 2, byte: 1.2 } },
];

const MODELS: ZooName[] = ['squeezenet1_1', 'mobilenet_v2', 'resnet18', 'alexnet', 'googlenet', 'vgg16'];

describe('calibrateProfile', () => {
  it.each(CASES.map((c) => [`${c.device}/${c.precision}`, c] as const))('refits the per-class latency model and the energy scales from synthetic data: %s', async (_, c) => {
    const base = await libraryProfile(c.device);
    const real = truth(base, c.k);
    const rows = MODELS.map((name) => {
      const model = zoo[name].build();
      const a = analyzeModel(model, real, { precision: c.precision });
      return { model, name, measuredLatencyMs: a.totals.latencyMs, measuredEnergyMJ: a.totals.energyJ * 1e3 };
    });
    const { profile, fit, residuals } = calibrateProfile(base, rows, { precision: c.precision, date: '2025-01-01' });
    expect(fit.macEnergyScale).toBeCloseTo(c.k.mac, 4);
    expect(fit.byteEnergyScale).toBeCloseTo(c.k.byte, 4);
    expect(fit.latencyRmsErrorBefore).toBeGreaterThan(0.05);
    expect(fit.latencyRmsError).toBeLessThan(1e-3);
    for (const r of residuals) expect(Math.abs(r.energyError!)).toBeLessThan(1e-3);
    // The classes the rows exercise come back; the before figures are the library's.
    expect(fit.speedBefore.efficiency.conv).toBe(base.latencyModel!.efficiency.conv.value);
    expect(fit.speedAfter.efficiency.conv / fit.speedBefore.efficiency.conv).toBeCloseTo(c.k.speed.conv!, 2);
    // The calibrated profile is a valid library profile that reproduces the measurements.
    expect(deviceProfileSchema.safeParse(profile).success).toBe(true);
    expect(profile.latencyModel!.efficiency.conv.source).toBe('Calibrated by Joule from 6 measurements (2025-01-01)');
    for (const row of rows) {
      const again = analyzeModel(row.model, profile, { precision: c.precision }).totals;
      expect(again.latencyMs / row.measuredLatencyMs).toBeCloseTo(1, 2);
      expect((again.energyJ * 1e3) / row.measuredEnergyMJ).toBeCloseTo(1, 2);
    }
  });

  it('keeps what the rows cannot see at its prior ratio, and fits latency alone without energy', async () => {
    const base = await libraryProfile('jetson-nano-10w');
    // One compute-bound regular convolution: no information on bandwidth or on the other classes.
    const model = layerModel(LAYERS.find((l) => l.name === 'VGG 3x3 512 at 14')!);
    const real = truth(base, { speed: { conv: 0.5 }, bandwidth: 1, mac: 1, byte: 1 });
    const measured = analyzeModel(model, real, { precision: 'fp16' }).totals.latencyMs;
    const r = calibrateProfile(base, [{ model, measuredLatencyMs: measured }], { precision: 'fp16' });
    const { speedBefore: before, speedAfter: after } = r.fit;
    expect(after.efficiency.conv / before.efficiency.conv).toBeCloseTo(0.5, 3);
    expect(after.bandwidthEfficiency).toBeCloseTo(before.bandwidthEfficiency, 6);
    // Unseen classes keep their ratio to regular convolutions.
    expect(after.efficiency.depthwise / after.efficiency.conv).toBeCloseTo(before.efficiency.depthwise / before.efficiency.conv, 4);
    expect(r.fit.macEnergyScale).toBe(1);
    expect(r.fit.energyRmsError).toBeNull();
    expect(Math.abs(r.residuals[0].latencyError)).toBeLessThan(1e-3);
  });

  it('rejects empty or impossible measurements', async () => {
    const base = await libraryProfile('jetson-nano-10w');
    expect(() => calibrateProfile(base, [], { precision: 'fp16' })).toThrow(EnergyModelError);
    const model = zoo.squeezenet1_1.build();
    expect(() => calibrateProfile(base, [{ model, measuredLatencyMs: 0 }], { precision: 'fp16' })).toThrow(/latency 0 ms/);
    expect(() => calibrateProfile(base, [{ model, measuredLatencyMs: 5 }], { precision: 'int8' })).toThrow(/does not support int8/);
  });
});
