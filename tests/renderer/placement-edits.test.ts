/** Placement edits of the project (cloud link, edge-only workloads) and the map's grouping. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPlacement } from '../../src-main/common/placement/checker';
import { parseProblem } from '../../src-main/common/placement/problem';
import { CLOUD_NODE_ID, type PlacementResult, type ProjectDocument } from '../../src-main/common/project/schema';
import { validateProject } from '../../src-main/common/project/validate';
import { placementMap } from '../../src-renderer/charts/placement';
import { acceptPlacement, defaultCloud, setCloud, setWorkloadEdgeOnly } from '../../src-renderer/stores/project/edits';

const sample: ProjectDocument = JSON.parse(readFileSync(new URL('../../resources/sample/sample.joule', import.meta.url), 'utf8'));
const [first, second] = sample.workloads;
const offloading = (document: ProjectDocument): PlacementResult => ({
  algorithm: 'aco',
  objective: 1,
  energyJ: 1,
  imbalance: 0,
  feasible: true,
  acceptedAt: '2026-11-26T00:00:00Z',
  assignment: { [first.id]: CLOUD_NODE_ID, [second.id]: `${document.devices[0].id}#1` },
});

describe('cloud edits', () => {
  it('adds a valid cloud link and removes it again', () => {
    const cloudy = setCloud(sample, defaultCloud());
    expect(cloudy.placement.cloud).toEqual({ uplinkMbps: 20, rttMs: 40, radio: 'wifi' });
    expect(validateProject(cloudy, null).ok).toBe(true);
    expect('cloud' in setCloud(cloudy, null).placement).toBe(false);
  });

  it('reports a bad uplink with its JSON path', () => {
    const bad = setCloud(sample, { ...defaultCloud(), uplinkMbps: 0 });
    const result = validateProject(bad, null);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.path)).toContain('placement.cloud.uplinkMbps');
  });

  it('drops an accepted placement that used the cloud once the cloud is removed, and keeps it while the link only changes', () => {
    const cloudy = setCloud(sample, defaultCloud());
    const accepted = acceptPlacement(cloudy, offloading(cloudy));
    expect(validateProject(accepted, null).ok).toBe(true);
    expect(setCloud(accepted, { ...defaultCloud(), uplinkMbps: 50 }).placement.result).not.toBeNull();
    expect(setCloud(accepted, null).placement.result).toBeNull();
  });

  it('marks a workload edge-only and back, without an empty field left behind', () => {
    const pinned = setWorkloadEdgeOnly(sample, first.id, true);
    expect(pinned.workloads[0].edgeOnly).toBe(true);
    expect('edgeOnly' in setWorkloadEdgeOnly(pinned, first.id, false).workloads[0]).toBe(false);
  });
});

describe('placement map', () => {
  const problem = parseProblem({
    schemaVersion: 1,
    periodS: 3600,
    nodes: [
      { id: 'a#1', deviceType: 'jetson-nano-10w', site: 'Gate', computeMacPerS: 1e10, memoryMB: 4096, idlePowerW: 1 },
      { id: 'b#1', deviceType: 'raspberry-pi-4', site: 'Yard', computeMacPerS: 1e10, memoryMB: 4096, idlePowerW: 1 },
    ],
    models: [{ id: 'm', macs: 1e8, memoryMB: 10, inputMB: 0.5, perDevice: { 'jetson-nano-10w': { energyJ: 0.1, latencyMs: 10 }, 'raspberry-pi-4': { energyJ: 0.3, latencyMs: 30 } } }],
    workloads: [
      { id: 'w1', model: 'm', ratePerS: 1, sloMs: 500 },
      { id: 'w2', model: 'm', ratePerS: 2, sloMs: 500 },
    ],
    cloud: { id: CLOUD_NODE_ID, site: 'Cloud', uplinkMbps: 20, rttMs: 40, transmitJPerMB: 2 },
  });

  it('groups nodes by site and puts the cloud last with its link load and transmit energy', () => {
    const report = checkPlacement(problem, { w1: 'a#1', w2: CLOUD_NODE_ID });
    const map = placementMap(problem, report);
    expect(map.map((s) => s.site)).toEqual(['Gate', 'Yard', 'Cloud']);
    const cloud = map[2].nodes[0];
    expect(cloud).toMatchObject({ id: CLOUD_NODE_ID, deviceType: 'cloud', workloads: ['w2'] });
    expect(cloud.utilization).toBeCloseTo((2 * 0.5 * 8) / 20, 9);
    expect(cloud.energyJ).toBeCloseTo(2 * 3600 * 0.5 * 2, 6);
  });
});
