import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DeviceTypeSummary } from '../../src-main/common/devices/profile';
import type { ProjectDocument } from '../../src-main/common/project/schema';
import { validateProject } from '../../src-main/common/project/validate';
import { siteSummary } from '../../src-renderer/charts/site-summary';
import { commandForKey } from '../../src-renderer/composables/useShortcuts';
import { addDevice, addSite, deleteDevices, deleteSite, duplicateDevices, groupBySite, newDevice, setField } from '../../src-renderer/stores/project/edits';
import { MAX_UNDO, record, redo, startHistory, undo } from '../../src-renderer/stores/project/history';

const sample: ProjectDocument = JSON.parse(readFileSync(new URL('../../resources/sample/sample.joule', import.meta.url), 'utf8'));
const pi: DeviceTypeSummary = { id: 'raspberry-pi-4', name: 'Raspberry Pi 4', vendor: 'RPi', computeUnit: 'A72', ramMB: 4096, storageGB: 32, idlePowerW: 2, loadedPowerW: 5, radios: ['ethernet', 'wifi'], maxUplinkMbps: 941 };

describe('inventory edits', () => {
  it('adds a valid device with the type defaults and a fresh id', () => {
    const device = newDevice(sample, pi, sample.sites[0].id);
    expect(device).toMatchObject({ id: 'dev-14', type: 'raspberry-pi-4', ramMB: 4096, radio: 'ethernet', power: 'mains', energyWh: null });
    expect(validateProject(addDevice(sample, device), null).ok).toBe(true);
    // A readable name, unique, and the uplink the site's other rows have rather than the radio's peak.
    expect(device.name).toBe('New Raspberry Pi 4');
    expect(newDevice(addDevice(sample, device), pi, sample.sites[0].id).name).toBe('New Raspberry Pi 4 2');
    const uplinks = sample.devices.filter((d) => d.siteId === sample.sites[0].id).map((d) => d.uplinkMbps as number).sort((a, b) => a - b);
    expect(device.uplinkMbps).toBe(uplinks[Math.floor(uplinks.length / 2)]);
    expect(newDevice({ ...sample, devices: [] }, pi, sample.sites[0].id).uplinkMbps).toBe(100);
  });

  it('duplicates rows right after their originals and deletes rows', () => {
    const doubled = duplicateDevices(sample, ['dev-1', 'dev-3']);
    expect(doubled.devices.slice(0, 5).map((d) => d.name)).toEqual(['Gate camera', 'Gate camera (copy)', 'Plate reader', 'Crane monitor', 'Crane monitor (copy)']);
    expect(new Set(doubled.devices.map((d) => d.id)).size).toBe(doubled.devices.length);
    expect(deleteDevices(doubled, ['dev-1']).devices.some((d) => d.id === 'dev-1')).toBe(false);
  });

  it('bulk-sets a field, and clears energy when power switches to mains', () => {
    const onBattery = setField(sample, ['dev-1', 'dev-2'], 'power', 'battery');
    expect(validateProject(onBattery, null).ok).toBe(false);
    const charged = setField(onBattery, ['dev-1', 'dev-2'], 'energyWh', 90);
    expect(validateProject(charged, null).ok).toBe(true);
    const mains = setField(charged, ['dev-1'], 'power', 'mains');
    expect(mains.devices[0].energyWh).toBeNull();
    expect(sample.devices[0].power).toBe('mains');
  });

  it('keeps sites that still have devices', () => {
    expect(deleteSite(sample, 'site-harbour')).toBe(sample);
    const { document, site } = addSite(sample, 'North Gate');
    expect(site.id).toBe('site-north-gate');
    expect(deleteSite(document, site.id).sites).toEqual(sample.sites);
  });

  it('groups rows by site in site order and counts nodes', () => {
    const groups = groupBySite(sample);
    expect(groups.map((g) => [g.siteId, g.devices.length, g.nodes])).toEqual([
      ['site-harbour', 3, 9],
      ['site-warehouse', 5, 22],
      ['site-solar-field', 5, 13],
    ]);
    expect(siteSummary(sample).map((r) => r.nodes)).toEqual([9, 22, 13]);
    expect(siteSummary(sample)[0].dailyBudgetWh).toBe(3 * 60);
  });
});

describe('undo history', () => {
  it('undoes and redoes, and a new edit drops the redo branch', () => {
    let h = startHistory(1);
    h = record(h, 2, 'two');
    h = record(h, 3, 'three');
    h = undo(undo(h));
    expect(h.present.value).toBe(1);
    h = redo(h);
    expect(h.present.value).toBe(2);
    h = record(h, 9, 'nine');
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });

  it('caps its depth', () => {
    let h = startHistory(0);
    for (let i = 1; i <= MAX_UNDO + 50; i++) h = record(h, i, String(i));
    expect(h.past).toHaveLength(MAX_UNDO);
  });
});

describe('shortcuts', () => {
  const key = (k: string, mods: { ctrl?: boolean; shift?: boolean; meta?: boolean } = {}) => ({ key: k, ctrlKey: !!mods.ctrl, shiftKey: !!mods.shift, metaKey: !!mods.meta });
  it('maps keys to commands, leaving text-field undo alone', () => {
    expect(commandForKey(key('z', { ctrl: true }), false)).toBe('edit.undo');
    expect(commandForKey(key('Z', { ctrl: true, shift: true }), false)).toBe('edit.redo');
    expect(commandForKey(key('z', { meta: true }), false)).toBe('edit.undo');
    expect(commandForKey(key('z', { ctrl: true }), true)).toBeNull();
    expect(commandForKey(key('s', { ctrl: true }), true)).toBe('file.save');
    expect(commandForKey(key('S', { ctrl: true, shift: true }), false)).toBe('file.saveAs');
    expect(commandForKey(key('z'), false)).toBeNull();
  });
});
