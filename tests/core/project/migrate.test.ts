import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProblem } from '../../../src-main/common/placement/problem';
import { CURRENT_SCHEMA_VERSION, type ProjectDocument } from '../../../src-main/common/project/schema';
import { validateProject } from '../../../src-main/common/project/validate';
import { DeviceLibrary } from '../../../src-main/core/energy/device-library';
import { migrateProject } from '../../../src-main/core/project/migrate';
import { compileProblem } from '../../../src-main/core/schedule/compile';
import { problemFromProject } from '../../../src-main/core/schedule/from-project';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const sampleFile = path.join(repoRoot, 'resources/sample/sample.joule');

/** The sample as schema 4 wrote it: no LANs, links, power states, hosts or utilization limit. */
function sampleV4(): Record<string, unknown> {
  const v5 = JSON.parse(readFileSync(sampleFile, 'utf8'));
  const { links: _links, ...rest } = v5;
  const { utilizationLimit: _limit, ...placement } = v5.placement;
  return {
    ...rest,
    schemaVersion: 4,
    sites: v5.sites.map(({ lan: _lan, ...site }: Record<string, unknown>) => site),
    devices: v5.devices.filter((d: { id: string }) => d.id !== 'dev-13').map(({ host: _host, notes: _notes, ...d }: Record<string, unknown>) => d),
    placement,
  };
}

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
    expect(data).toEqual({ ...v1, schemaVersion: 5, workloads: [], placement: { periodS: 86_400, lambdaJ: 0, result: null }, compression: { runs: [] } });
    expect(validateProject(data, null).ok).toBe(true);
  });

  it('upgrades a v2 file by its version, and a v3 file with an empty compression section', () => {
    const v2 = { schemaVersion: 2, name: 'x', sites: [], devices: [], models: [], budgets: [], workloads: [], placement: { periodS: 60, lambdaJ: 1, result: null } };
    const { data, fromVersion } = migrateProject(v2);
    expect(fromVersion).toBe(2);
    expect(data).toEqual({ ...v2, schemaVersion: 5, compression: { runs: [] } });
    expect(validateProject(data, null).ok).toBe(true);
    expect(migrateProject({ ...v2, schemaVersion: 3 })).toEqual({ data: { ...v2, schemaVersion: 5, compression: { runs: [] } }, fromVersion: 3 });
  });

  it('upgrades a v4 file unchanged in meaning: every row may sleep, every two sites share a free, unlimited link', () => {
    const v4 = sampleV4();
    const { data, fromVersion } = migrateProject(structuredClone(v4));
    expect(fromVersion).toBe(4);
    const result = validateProject(data, null);
    expect(result.ok ? [] : result.problems).toEqual([]);
    const devices = data.devices as { powerState?: string }[];
    expect(devices.every((d) => d.powerState === 'may-sleep')).toBe(true);
    expect((data.links as { siteA: string; siteB: string; mbps?: number; rttMs: number; jPerMB: number }[]).map((l) => [l.siteA, l.siteB, l.mbps, l.rttMs, l.jPerMB])).toEqual([
      ['site-harbour', 'site-warehouse', undefined, 0, 0],
      ['site-harbour', 'site-solar-field', undefined, 0, 0],
      ['site-warehouse', 'site-solar-field', undefined, 0, 0],
    ]);
    expect((data.placement as Record<string, unknown>).utilizationLimit).toBeUndefined();
    expect(data.workloads).toEqual(v4.workloads);
  });

  it('places a migrated v4 sample as v4 did: any workload on any node that can run it, for no transfer, idle counted only when serving', async () => {
    const library = await DeviceLibrary.load(path.join(repoRoot, 'resources/devices'));
    const { data } = migrateProject(sampleV4());
    const problem = parseProblem(problemFromProject(data as unknown as ProjectDocument, path.dirname(sampleFile), library));
    const cp = compileProblem(problem);
    expect(cp.offset).toBe(0);
    expect(cp.L).toBe(0);
    // Every class of a device type offers a workload the same options at every site, at the same cost.
    const byType = new Map<string, number[]>();
    problem.nodes.forEach((n, i) => byType.set(n.deviceType, [...(byType.get(n.deviceType) ?? []), cp.nodeClass[i]]));
    for (let j = 0; j < cp.n; j++) {
      for (const classes of byType.values()) {
        const costs = classes.map((k) => Array.from(cp.optCost.subarray(cp.optStart[j * cp.K + k], cp.optStart[j * cp.K + k + 1])).join(','));
        expect(new Set(costs).size).toBe(1);
      }
    }
  });

  it('leaves a current file unchanged', () => {
    const current = { schemaVersion: 5, name: 'x', sites: [], devices: [], models: [], budgets: [], compression: { runs: [] }, workloads: [], placement: { periodS: 60, lambdaJ: 1, result: null } };
    expect(migrateProject(current)).toEqual({ data: current, fromVersion: 5 });
  });

  it('refuses a file from a newer Joule with a sentence saying so', () => {
    expect(() => migrateProject({ schemaVersion: 99 })).toThrow(/written by a newer Joule \(schema version 99\); this version reads up to 5/);
  });

  it('refuses a file that is not a JSON object', () => {
    expect(() => migrateProject([1, 2])).toThrow(/expected a JSON object at the top level/);
  });
});
