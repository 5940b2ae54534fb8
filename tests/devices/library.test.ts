import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { libraryDeviceIds, type Figure } from '../../src-main/common/devices/profile';
import { DeviceLibrary } from '../../src-main/core/energy/device-library';

const dir = path.resolve(import.meta.dirname, '../../resources/devices');

function figures(value: unknown, at = ''): [string, Figure][] {
  if (typeof value !== 'object' || value === null) return [];
  if ('value' in value && 'source' in value) return [[at, value as Figure]];
  return Object.entries(value).flatMap(([k, v]) => figures(v, at ? `${at}.${k}` : k));
}

describe('device library', () => {
  it('has every device the product promises, each valid', async () => {
    const library = await DeviceLibrary.load(dir);
    expect(library.ids().sort()).toEqual([...libraryDeviceIds].sort());
  });

  it('cites a source for every figure and explains every estimate', async () => {
    const library = await DeviceLibrary.load(dir);
    for (const id of library.ids()) {
      const profile = library.get(id);
      for (const [where, figure] of figures(profile)) {
        expect(figure.source.length, `${id} ${where}`).toBeGreaterThan(10);
        if (figure.estimate) expect(figure.note?.length ?? 0, `${id} ${where} is an estimate without a note`).toBeGreaterThan(10);
      }
      for (const precision of profile.precisions) {
        expect(profile.peakTops[precision], `${id} peak ${precision}`).toBeDefined();
        expect(profile.energy.macPJ[precision], `${id} MAC energy ${precision}`).toBeDefined();
      }
      expect(profile.loadedPowerW.value).toBeGreaterThan(profile.idlePowerW.value);
    }
  });
});
