import { describe, expect, it } from 'vitest';
import { deviceProfileSchema } from '../../../src-main/common/devices/profile';
import { analyzeModel } from '../../../src-main/core/energy/analyze';
import { BUILTIN_PROFILES, cloudT4Profile } from '../../../src-main/core/energy/builtin-profiles';
import { deviceKind } from '../../../src-main/core/energy/device-kind';
import { EnergyModelError } from '../../../src-main/core/energy/errors';
import { resolveHardware } from '../../../src-main/core/energy/hardware';
import { measureHostProfile } from '../../../src-main/core/energy/host-profile';
import { zoo } from '../../../src-main/core/zoo/registry';
import { libraryProfile } from './corpus';

const KINDS: [string, string][] = [
  ['raspberry-pi-4', 'cpu'],
  ['jetson-nano-5w', 'gpu'],
  ['jetson-nano-10w', 'gpu'],
  ['jetson-xavier-nx', 'gpu'],
  ['jetson-orin-nano', 'gpu'],
  ['coral-dev-board', 'tpu'],
  ['intel-ncs2', 'vpu'],
];

describe('profiles', () => {
  it.each(KINDS)('%s is a %s', async (id, kind) => {
    expect(deviceKind(await libraryProfile(id))).toBe(kind);
  });

  it('names the device and its precisions when a precision is missing', async () => {
    const coral = await libraryProfile('coral-dev-board');
    expect(() => analyzeModel(zoo.squeezenet1_1.build(), coral, { precision: 'fp32' })).toThrow(EnergyModelError);
    expect(() => resolveHardware(coral, 'fp16')).toThrow("Device 'coral-dev-board' does not support fp16; it supports int8.");
  });

  it.each(KINDS.map(([id]) => id))('charges %s register traffic inside its power-derived MAC energy, not twice', async (id) => {
    const profile = await libraryProfile(id);
    const precision = profile.precisions[0];
    const a = analyzeModel(zoo.mobilenet_v2.build(), profile, { precision });
    expect(a.totals.rfJ).toBe(0);
    expect(a.totals.bufferJ).toBeGreaterThan(0);
    expect(a.totals.computeJ).toBeGreaterThan(0);
  });

  it('changes bytes and MAC energy with the precision', async () => {
    const orin = await libraryProfile('jetson-orin-nano');
    const [a32, a16, a8] = (['fp32', 'fp16', 'int8'] as const).map((p) => analyzeModel(zoo.resnet18.build(), orin, { precision: p }));
    expect(a16.totals.weightBytes).toBe(a32.totals.weightBytes / 2);
    expect(a8.totals.weightBytes).toBe(a32.totals.weightBytes / 4);
    expect(a16.totals.computeJ / a32.totals.computeJ).toBeCloseTo(orin.energy.macPJ.fp16!.value / orin.energy.macPJ.fp32!.value, 6);
    expect(a8.totals.energyJ).toBeLessThan(a16.totals.energyJ);
    expect(a16.totals.energyJ).toBeLessThan(a32.totals.energyJ);
  });

  it('built-in profiles validate against the library schema once their extensions are removed', () => {
    for (const make of Object.values(BUILTIN_PROFILES)) {
      const { extensions, ...plain } = make();
      expect(extensions).toBeDefined();
      expect(deviceProfileSchema.safeParse(plain).success).toBe(true);
    }
    expect(deviceKind(cloudT4Profile())).toBe('gpu');
  });

  it('measures a host profile that validates and analyses', async () => {
    const host = await measureHostProfile({ threads: 1, gemmSize: 128, streamMiB: 4, repeats: 1 });
    expect(deviceProfileSchema.safeParse(host).success).toBe(true);
    expect(host.id).toBe('host');
    expect(deviceKind(host)).toBe('host');
    expect(host.peakTops.fp32!.value).toBeGreaterThan(0);
    expect(host.memoryBandwidthGBps.value).toBeGreaterThan(0);
    const a = analyzeModel(zoo.squeezenet1_1.build(), host, { precision: 'fp32' });
    expect(a.totals.latencyMs).toBeGreaterThan(0);
    expect(a.device.kind).toBe('host');
  });
});
