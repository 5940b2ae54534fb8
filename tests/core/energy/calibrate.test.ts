import { describe, expect, it } from 'vitest';
import type { Figure, Precision } from '../../../src-main/common/devices/profile';
import { deviceProfileSchema } from '../../../src-main/common/devices/profile';
import { analyzeModel } from '../../../src-main/core/energy/analyze';
import { calibrateProfile } from '../../../src-main/core/energy/calibrate';
import type { EnergyProfile } from '../../../src-main/core/energy/device-kind';
import { EnergyModelError } from '../../../src-main/core/energy/errors';
import { zoo } from '../../../src-main/core/zoo/registry';
import type { ZooName } from '../../../src-main/core/zoo/registry';
import { LAYERS, layerModel, libraryProfile } from './corpus';

const times = (f: Figure, k: number): Figure => ({ ...f, value: f.value * k });

/** The "real" device: a library profile with known coefficients changed. */
function truth(base: EnergyProfile, k: { throughput: number; bandwidth: number; mac: number; byte: number }): EnergyProfile {
  const per = (figs: Partial<Record<Precision, Figure>>, s: number) =>
    Object.fromEntries(Object.entries(figs).map(([p, f]) => [p, times(f!, s)])) as Partial<Record<Precision, Figure>>;
  return {
    ...base,
    peakTops: per(base.peakTops, k.throughput),
    memoryBandwidthGBps: times(base.memoryBandwidthGBps, k.bandwidth),
    energy: {
      macPJ: per(base.energy.macPJ, k.mac),
      dramPJPerByte: times(base.energy.dramPJPerByte, k.byte),
      bufferPJPerByte: times(base.energy.bufferPJPerByte, k.byte),
      registerPJPerByte: times(base.energy.registerPJPerByte, k.byte),
    },
  };
}

const CASES: { device: string; precision: Precision; k: { throughput: number; bandwidth: number; mac: number; byte: number } }[] = [
  { device: 'jetson-nano-10w', precision: 'fp16', k: { throughput: 0.6, bandwidth: 1.5, mac: 1.3, byte: 0.8 } },
  { device: 'raspberry-pi-4', precision: 'fp32', k: { throughput: 1.7, bandwidth: 0.5, mac: 0.5, byte: 2.5 } },
  { device: 'jetson-orin-nano', precision: 'int8', k: { throughput: 0.3, bandwidth: 0.9, mac: 2, byte: 1.2 } },
];

const MODELS: ZooName[] = ['squeezenet1_1', 'mobilenet_v2', 'resnet18', 'alexnet', 'googlenet'];

describe('calibrateProfile', () => {
  it.each(CASES.map((c) => [`${c.device}/${c.precision}`, c] as const))('recovers known coefficients from synthetic data: %s', async (_, c) => {
    const base = await libraryProfile(c.device);
    const real = truth(base, c.k);
    const rows = MODELS.map((name) => {
      const model = zoo[name].build();
      const a = analyzeModel(model, real, { precision: c.precision });
      return { model, name, measuredLatencyMs: a.totals.latencyMs, measuredEnergyMJ: a.totals.energyJ * 1e3 };
    });
    const { profile, fit, residuals } = calibrateProfile(base, rows, { precision: c.precision, date: '2025-01-01' });
    expect(fit.throughputScale).toBeCloseTo(c.k.throughput, 6);
    expect(fit.bandwidthScale).toBeCloseTo(c.k.bandwidth, 6);
    expect(fit.macEnergyScale).toBeCloseTo(c.k.mac, 6);
    expect(fit.byteEnergyScale).toBeCloseTo(c.k.byte, 6);
    expect(fit.latencyRmsError).toBeLessThan(1e-9);
    for (const r of residuals) expect(Math.abs(r.energyError!)).toBeLessThan(1e-9);
    // The calibrated profile is a valid library profile that reproduces the measurements.
    expect(deviceProfileSchema.safeParse(profile).success).toBe(true);
    expect(profile.peakTops[c.precision]!.source).toMatch(/Calibrated by Joule from 5 measurements \(2025-01-01\)/);
    for (const row of rows) {
      const again = analyzeModel(row.model, profile, { precision: c.precision }).totals;
      expect(again.latencyMs / row.measuredLatencyMs).toBeCloseTo(1, 5);
      expect((again.energyJ * 1e3) / row.measuredEnergyMJ).toBeCloseTo(1, 5);
    }
  });

  it('leaves what the rows cannot see at its prior, and fits latency alone without energy', async () => {
    const base = await libraryProfile('jetson-nano-10w');
    // One compute-bound layer: no information on bandwidth.
    const model = layerModel(LAYERS.find((l) => l.name === 'VGG 3x3 512 at 14')!);
    const real = truth(base, { throughput: 0.5, bandwidth: 1, mac: 1, byte: 1 });
    const measured = analyzeModel(model, real, { precision: 'fp16' }).totals.latencyMs;
    const r = calibrateProfile(base, [{ model, measuredLatencyMs: measured }], { precision: 'fp16' });
    expect(r.fit.throughputScale).toBeCloseTo(0.5, 6);
    expect(r.fit.bandwidthScale).toBeCloseTo(1, 6);
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
