import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src-main/core/energy/analyze';
import { eyerissProfile } from '../../../src-main/core/energy/builtin-profiles';
import type { EnergyProfile } from '../../../src-main/core/energy/device-kind';
import { EnergyModelError } from '../../../src-main/core/energy/errors';
import { partitionModel } from '../../../src-main/core/energy/partition';
import { RADIO_MODELS, transmitCost } from '../../../src-main/core/energy/radio';
import { zoo } from '../../../src-main/core/zoo/registry';
import { libraryProfile } from './corpus';

async function setup(id: string, model = zoo.resnet18.build(), precision: 'fp32' | 'fp16' = 'fp32') {
  const device = await libraryProfile(id);
  return { model, device, analysis: analyzeModel(model, device, { precision }) };
}

describe('edge-cloud partition', () => {
  it('runs everything on the device when there is no uplink', async () => {
    const { model, device, analysis } = await setup('raspberry-pi-4');
    const r = partitionModel(model, analysis, { deviceProfile: device, uplinkMbps: 0, radio: 'wifi', rttMs: 20 });
    expect(r.cuts).toHaveLength(1);
    expect(r.best.cutAfter).toBe(analysis.layers[analysis.layers.length - 1].name);
    expect(r.best.transmitBytes).toBe(0);
    expect(r.best.deviceEnergyJ).toBeCloseTo(analysis.totals.energyJ, 12);
    expect(r.best.reason).toMatch(/no uplink/);
  });

  it('keeps a fast, efficient device local over a slow LTE link', async () => {
    const { model, device, analysis } = await setup('jetson-orin-nano', zoo.resnet18.build(), 'fp16');
    const r = partitionModel(model, analysis, { deviceProfile: device, uplinkMbps: 5, radio: 'lte', rttMs: 60 });
    expect(r.cuts).toHaveLength(analysis.layers.length + 1);
    expect(r.best.cutAfter).toBe(analysis.layers[analysis.layers.length - 1].name);
    expect(r.best.reason).toMatch(/^Running everything on the device costs/);
  });

  it('offloads from a slow device with a fast link', async () => {
    const { model, device, analysis } = await setup('raspberry-pi-4', zoo.resnet50.build());
    const r = partitionModel(model, analysis, { deviceProfile: device, uplinkMbps: 200, radio: 'wifi', rttMs: 10 });
    const local = r.cuts[r.cuts.length - 1];
    expect(r.best.cutAfter).not.toBe(local.cutAfter);
    expect(r.best.deviceEnergyJ).toBeLessThan(local.deviceEnergyJ);
    expect(r.best.latencyMs).toBeLessThan(local.latencyMs);
    expect(r.best.reason).toMatch(/less than running everything on the device/);
  });

  it('accounts each cut: energy parts, latency parts, crossing tensors', async () => {
    const { model, device, analysis } = await setup('raspberry-pi-4');
    const r = partitionModel(model, analysis, { deviceProfile: device, uplinkMbps: 50, radio: 'wifi', rttMs: 25 });
    const cloud = r.cuts[0];
    expect(cloud.cutAfter).toBeNull();
    expect(cloud.tensors).toEqual(['input']);
    expect(cloud.transmitBytes).toBe(3 * 224 * 224 * 4);
    const tx = transmitCost(cloud.transmitBytes, 50, RADIO_MODELS.wifi);
    expect(cloud.transmitJ).toBeCloseTo(tx.energyJ, 12);
    for (const c of r.cuts) {
      expect(c.deviceEnergyJ).toBeCloseTo(c.layersJ + c.transmitJ + c.waitJ, 12);
      const offloads = c.deviceLayers < analysis.layers.length;
      expect(c.latencyMs).toBeCloseTo(c.deviceMs + (offloads ? c.transmitMs + 25 + c.cloudMs : 0), 9);
    }
    // Inside a residual block the shortcut crosses the cut beside the main branch.
    const inBlock = r.cuts.find((c) => c.cutAfter === 'layer1.0.conv1')!;
    expect(inBlock.tensors.sort()).toEqual(['layer1.0.conv1', 'maxpool'].sort());
  });

  it('picks the least device energy among the cuts that meet the SLO, and says so when none does', async () => {
    const { model, device, analysis } = await setup('raspberry-pi-4', zoo.resnet50.build());
    const base = { deviceProfile: device, uplinkMbps: 20, radio: 'wifi' as const, rttMs: 20 };
    const latencies = partitionModel(model, analysis, base).cuts.map((c) => c.latencyMs).sort((a, b) => a - b);
    for (const q of [0, 0.25, 0.5, 0.75, 1]) {
      const sloMs = latencies[Math.round(q * (latencies.length - 1))];
      const r = partitionModel(model, analysis, { ...base, sloMs });
      const meeting = r.cuts.filter((c) => c.latencyMs <= sloMs);
      expect(r.best.latencyMs).toBeLessThanOrEqual(sloMs);
      expect(r.best.deviceEnergyJ).toBe(Math.min(...meeting.map((c) => c.deviceEnergyJ)));
      expect(r.best.reason).toMatch(/SLO/);
    }
    const impossible = partitionModel(model, analysis, { ...base, sloMs: 1 });
    expect(impossible.best.reason).toMatch(/^No cut meets the 1\.00 ms SLO/);
    expect(impossible.best.latencyMs).toBe(latencies[0]);
  });

  it('rejects normalized profiles and a profile that is not the analysed one', async () => {
    const model = zoo.squeezenet1_1.build();
    const eyeriss = eyerissProfile();
    const a = analyzeModel(model, eyeriss, { precision: 'fp16' });
    expect(() => partitionModel(model, a, { deviceProfile: eyeriss, uplinkMbps: 10, radio: 'wifi', rttMs: 10 })).toThrow(EnergyModelError);
    const pi: EnergyProfile = await libraryProfile('raspberry-pi-4');
    const nano = await libraryProfile('jetson-nano-5w');
    const b = analyzeModel(model, pi, { precision: 'fp32' });
    expect(() => partitionModel(model, b, { deviceProfile: nano, uplinkMbps: 10, radio: 'wifi', rttMs: 10 })).toThrow(/analysis is for device 'raspberry-pi-4'/);
  });
});
