import { describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION } from '../../../src-main/common/project/schema';
import { validateProject } from '../../../src-main/common/project/validate';
import { migrateProject } from '../../../src-main/core/project/migrate';

/** A project as Joule's drafts wrote it before schema versions (v0). */
const v0 = {
  name: 'Old fleet',
  devices: [
    { id: 'a', name: 'Cam A', type: 'jetson-nano-5w', site: 'North Gate', count: 2, ramMB: 4096, storageGB: 16, budgetWhPerDay: 50, uplinkMbps: 10, radio: 'lte' },
    { id: 'b', name: 'Cam B', type: 'coral-dev-board', site: 'North Gate', count: 1, ramMB: 1024, storageGB: 8, batteryWh: 40, uplinkMbps: 5, radio: 'wifi' },
    { id: 'c', name: 'Hub', type: 'jetson-xavier-nx', site: 'Depot', count: 1, ramMB: 8192, storageGB: 16, uplinkMbps: 100, radio: 'ethernet' },
  ],
};

describe('project migrations', () => {
  it('upgrades a v0 file to a valid current project', () => {
    const { data, fromVersion } = migrateProject(structuredClone(v0));
    expect(fromVersion).toBe(0);
    expect(data.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
    const result = validateProject(data, null);
    expect(result.ok ? [] : result.problems).toEqual([]);
    expect(data.sites).toEqual([
      { id: 'north-gate', name: 'North Gate' },
      { id: 'depot', name: 'Depot' },
    ]);
    const devices = data.devices as { siteId: string; power: string; energyWh: number | null }[];
    expect(devices.map((d) => [d.siteId, d.power, d.energyWh])).toEqual([
      ['north-gate', 'daily-budget', 50],
      ['north-gate', 'battery', 40],
      ['depot', 'mains', null],
    ]);
  });

  it('upgrades a v1 file with empty placement sections', () => {
    const v1 = { schemaVersion: 1, name: 'x', sites: [], devices: [], models: [], budgets: [] };
    const { data, fromVersion } = migrateProject(v1);
    expect(fromVersion).toBe(1);
    expect(data).toEqual({ ...v1, schemaVersion: 4, workloads: [], placement: { periodS: 86_400, lambdaJ: 0, result: null }, compression: { runs: [] } });
    expect(validateProject(data, null).ok).toBe(true);
  });

  it('upgrades a v2 file by its version, and a v3 file with an empty compression section', () => {
    const v2 = { schemaVersion: 2, name: 'x', sites: [], devices: [], models: [], budgets: [], workloads: [], placement: { periodS: 60, lambdaJ: 1, result: null } };
    const { data, fromVersion } = migrateProject(v2);
    expect(fromVersion).toBe(2);
    expect(data).toEqual({ ...v2, schemaVersion: 4, compression: { runs: [] } });
    expect(validateProject(data, null).ok).toBe(true);
    expect(migrateProject({ ...v2, schemaVersion: 3 })).toEqual({ data: { ...v2, schemaVersion: 4, compression: { runs: [] } }, fromVersion: 3 });
  });

  it('leaves a current file unchanged', () => {
    const current = { schemaVersion: 4, name: 'x', sites: [], devices: [], models: [], budgets: [], compression: { runs: [] }, workloads: [], placement: { periodS: 60, lambdaJ: 1, result: null } };
    expect(migrateProject(current)).toEqual({ data: current, fromVersion: 4 });
  });

  it('refuses a file from a newer Joule with a sentence saying so', () => {
    expect(() => migrateProject({ schemaVersion: 99 })).toThrow(/written by a newer Joule \(schema version 99\); this version reads up to 4/);
  });

  it('refuses a file that is not a JSON object', () => {
    expect(() => migrateProject([1, 2])).toThrow(/expected a JSON object at the top level/);
  });
});
