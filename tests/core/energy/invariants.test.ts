/**
 * Energy invariants over a corpus of layers x every profile x every precision it supports.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../src-main/core/energy/analyze';
import type { EnergyProfile } from '../../../src-main/core/energy/device-kind';
import { deviceKind, KIND_FACTORS } from '../../../src-main/core/energy/device-kind';
import { BYTES_PER_ELEMENT } from '../../../src-main/core/energy/hardware';
import { zoo } from '../../../src-main/core/zoo/registry';
import { allProfiles, LAYERS, layerModel, tensorElements } from './corpus';
import type { ProfileCase } from './corpus';

let profiles: ProfileCase[] = [];
beforeAll(async () => {
  profiles = await allProfiles();
});

/** Equal to 1e-9 relative (energies span 1e-9 J to 1e11 normalized units). */
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-30);
const label = (p: ProfileCase) => `${p.profile.id}/${p.precision}`;
const layerOf = (model: ReturnType<typeof layerModel>, p: ProfileCase) => analyzeModel(model, p.profile, { precision: p.precision }).layers[0];

describe('energy invariants', () => {
  it.each(LAYERS.map((c) => [c.name, c] as const))('doubling the output channels never lowers the energy: %s', (_, c) => {
    const one = layerModel(c);
    const two = layerModel(c, 2);
    for (const p of profiles) {
      const a = layerOf(one, p);
      const b = layerOf(two, p);
      expect({ at: label(p), lower: b.energyJ < a.energyJ * (1 - 1e-12) }).toEqual({ at: label(p), lower: false });
      expect(b.dramBytes).toBeGreaterThanOrEqual(a.dramBytes);
      expect(b.latencyMs).toBeGreaterThanOrEqual(a.latencyMs);
    }
  });

  it.each(LAYERS.map((c) => [c.name, c] as const))('a layer whose working set fits the buffer touches DRAM once per tensor: %s', (_, c) => {
    const e = tensorElements(c);
    const everyInputTouched = (c.stride ?? 1) <= (c.kernel ?? 1);
    let checked = 0;
    for (const p of profiles) {
      const bytes = BYTES_PER_ELEMENT[p.precision];
      const once = (e.weights + e.input + e.output) * bytes;
      if (once > p.profile.onChipBufferKB.value * 1024) continue;
      const layer = layerOf(layerModel(c), p);
      if (KIND_FACTORS[deviceKind(p.profile)].residency === 'resident') {
        // Weights stay on chip across inferences: only the input and output cross memory.
        expect(layer.dramBytes).toBe((e.input + e.output) * bytes);
      } else if (everyInputTouched) {
        expect({ at: label(p), bytes: layer.dramBytes }).toEqual({ at: label(p), bytes: once });
      } else {
        expect(layer.dramBytes).toBeLessThanOrEqual(once);
      }
      checked++;
    }
    if (c.name.startsWith('tiny')) expect(checked).toBe(profiles.length);
  });

  it.each(LAYERS.map((c) => [c.name, c] as const))('fp16 moves at most half the bytes of fp32, exactly half when it fits: %s', (_, c) => {
    const model = layerModel(c);
    const e = tensorElements(c);
    for (const p of profiles) {
      if (p.precision !== 'fp32' || !p.profile.precisions.includes('fp16')) continue;
      const b32 = layerOf(model, p).dramBytes;
      const b16 = layerOf(model, { profile: p.profile, precision: 'fp16' }).dramBytes;
      expect(b16).toBeLessThanOrEqual(b32 / 2 + 1e-6);
      if ((e.weights + e.input + e.output) * 4 <= p.profile.onChipBufferKB.value * 1024) expect(b16).toBe(b32 / 2);
    }
  });

  it('fp16 moves half the bytes of fp32 for a whole network that fits layer by layer', async () => {
    const roomy: EnergyProfile = { ...profiles.find((p) => p.profile.id === 'jetson-nano-10w')!.profile };
    roomy.onChipBufferKB = { ...roomy.onChipBufferKB, value: 64 * 1024 };
    const model = zoo.squeezenet1_1.build();
    const b32 = analyzeModel(model, roomy, { precision: 'fp32' }).totals.dramBytes;
    const b16 = analyzeModel(model, roomy, { precision: 'fp16' }).totals.dramBytes;
    expect(b16).toBe(b32 / 2);
    const small = profiles.find((p) => p.profile.id === 'jetson-nano-10w')!.profile;
    const s32 = analyzeModel(zoo.resnet18.build(), small, { precision: 'fp32' }).totals;
    const s16 = analyzeModel(zoo.resnet18.build(), small, { precision: 'fp16' }).totals;
    expect(s16.dramBytes).toBeLessThanOrEqual(s32.dramBytes / 2);
    expect(s16.weightBytes).toBe(s32.weightBytes / 2);
    expect(s16.peakActivationBytes).toBe(s32.peakActivationBytes / 2);
  });

  it.each(LAYERS.map((c) => [c.name, c] as const))('a bigger buffer never adds DRAM traffic: %s', (_, c) => {
    const model = layerModel(c);
    for (const p of profiles) {
      const bigger: EnergyProfile = { ...p.profile, onChipBufferKB: { ...p.profile.onChipBufferKB, value: p.profile.onChipBufferKB.value * 4 } };
      expect(layerOf(model, { ...p, profile: bigger }).dramBytes).toBeLessThanOrEqual(layerOf(model, p).dramBytes);
    }
  });

  it('one inference never draws more than the device\'s loaded power on average, for every zoo model', () => {
    // The dynamic figures are derived from (loaded - idle) power at peak, so a model charged more
    // than that has counted some energy twice (as register traffic on top of the MAC once did).
    for (const p of profiles.filter((c) => c.profile.loadedPowerW.value > 0 && c.profile.extensions?.energyUnits !== 'normalized')) {
      for (const [name, entry] of Object.entries(zoo)) {
        const t = analyzeModel(entry.build(), p.profile, { precision: p.precision }).totals;
        const watts = t.energyJ / (t.latencyMs / 1000);
        expect({ at: `${label(p)} ${name}`, watts: watts <= p.profile.loadedPowerW.value }).toEqual({ at: `${label(p)} ${name}`, watts: true });
      }
    }
  });

  it('energy parts add up and every number is finite, for every zoo model on every profile', () => {
    const models = [zoo.googlenet.build(), zoo.mobilenet_v2.build()];
    for (const model of models) {
      for (const p of profiles) {
        const a = analyzeModel(model, p.profile, { precision: p.precision });
        const t = a.totals;
        expect(close(t.energyJ, t.computeJ + t.dramJ + t.bufferJ + t.rfJ + t.staticJ)).toBe(true);
        expect(close(t.energyJ, a.layers.reduce((s, l) => s + l.energyJ, 0))).toBe(true);
        expect(close(t.latencyMs, a.layers.reduce((s, l) => s + l.latencyMs, 0))).toBe(true);
        for (const l of a.layers) {
          expect(Number.isFinite(l.energyJ) && Number.isFinite(l.latencyMs)).toBe(true);
          expect(close(l.energyJ, l.computeJ + l.dramJ + l.bufferJ + l.rfJ + l.staticJ)).toBe(true);
          expect(['compute', 'memory']).toContain(l.bound);
        }
        expect(JSON.parse(JSON.stringify(a)).totals.energyJ).toBe(t.energyJ);
      }
    }
  });
});
