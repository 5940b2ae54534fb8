/** The placement problem of a project: nodes from device rows, figures from the energy model, the cloud link. */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPlacement } from '../../../src-main/common/placement/checker';
import { parseProblem } from '../../../src-main/common/placement/problem';
import { CLOUD_NODE_ID, projectSchema, type ProjectDocument } from '../../../src-main/common/project/schema';
import { DeviceLibrary } from '../../../src-main/core/energy/device-library';
import { RADIO_MODELS } from '../../../src-main/core/energy/radio';
import { readProjectFile } from '../../../src-main/core/project/project-file';
import { problemFromProject } from '../../../src-main/core/schedule/from-project';
import { compileProblem } from '../../../src-main/core/schedule/compile';
import { solve } from '../../../src-main/core/schedule/solve';
import { toAssignment } from '../../../src-main/core/schedule/compiled';

const sampleFile = path.resolve(import.meta.dirname, '../../../resources/sample/sample.joule');
const sampleDir = path.dirname(sampleFile);
let library: DeviceLibrary;
let sample: ProjectDocument;

beforeAll(async () => {
  library = await DeviceLibrary.load(path.resolve(import.meta.dirname, '../../../resources/devices'));
  sample = (await readProjectFile(sampleFile, library.ids())).document;
});

const withCloud = (document: ProjectDocument, edgeOnly: string[] = []): ProjectDocument => ({
  ...document,
  placement: { ...document.placement, cloud: { uplinkMbps: 20, rttMs: 40, radio: 'wifi' } },
  workloads: document.workloads.map((w) => (edgeOnly.includes(w.id) ? { ...w, edgeOnly: true } : w)),
});

describe('problemFromProject', () => {
  it('makes one node per counted device and keeps every workload at the edge without a cloud', () => {
    const problem = parseProblem(problemFromProject(sample, sampleDir, library));
    expect(problem.nodes).toHaveLength(sample.devices.reduce((n, d) => n + d.count, 0));
    expect(problem.cloud).toBeUndefined();
    expect(problem.workloads.every((w) => !w.allowCloud)).toBe(true);
  });

  it('adds the cloud link with the radio energy of each MB and the input tensor of each model', () => {
    const edgeOnly = [sample.workloads[0].id];
    const problem = parseProblem(problemFromProject(withCloud(sample, edgeOnly), sampleDir, library));
    const cloud = problem.cloud!;
    expect(cloud.id).toBe(CLOUD_NODE_ID);
    const wifi = RADIO_MODELS.wifi;
    // Huang et al.: P = alpha x rate + beta for 8 / rate seconds per MB.
    expect(cloud.transmitJPerMB).toBeCloseTo(((wifi.alphaUpMwPerMbps * 20 + wifi.betaMw) / 1000) * (8 / 20), 9);
    expect(cloud.serverLatencyMs).toBeGreaterThan(0);
    const mobilenet = problem.models.find((m) => sample.models.find((r) => r.id === m.id)?.path.includes('mobilenet'));
    expect(mobilenet?.inputMB).toBeCloseTo((3 * 224 * 224 * 4) / 1e6, 9);
    expect(problem.workloads.map((w) => w.allowCloud)).toEqual(sample.workloads.map((w) => !edgeOnly.includes(w.id)));
  });

  it('lets the checker and the solvers use the cloud, but never for an edge-only workload', async () => {
    const edgeOnly = [sample.workloads[0].id];
    const problem = parseProblem(problemFromProject(withCloud(sample, edgeOnly), sampleDir, library));
    const anywhere = Object.fromEntries(problem.workloads.map((w) => [w.id, problem.nodes[0].id]));
    const offloaded = checkPlacement(problem, { ...anywhere, [sample.workloads[1].id]: CLOUD_NODE_ID });
    expect(offloaded.nodes.find((n) => n.nodeId === CLOUD_NODE_ID)?.workloadIds).toEqual([sample.workloads[1].id]);
    const forbidden = checkPlacement(problem, { ...anywhere, [edgeOnly[0]]: CLOUD_NODE_ID });
    expect(forbidden.violations.map((v) => v.constraint)).toContain('cloudNotAllowed');
    const cp = compileProblem(problem);
    const result = await solve('aco', cp, { seed: 1, maxIterations: 30 });
    const { assignment, variants } = toAssignment(cp, result.assignment, result.option);
    expect(assignment[edgeOnly[0]]).not.toBe(CLOUD_NODE_ID);
    expect(checkPlacement(problem, assignment, variants).feasible).toBe(true);
  });

  it('accepts a placement on the cloud node only in a project that has a cloud', () => {
    const result = { algorithm: 'aco', objective: 1, energyJ: 1, imbalance: 0, feasible: true, acceptedAt: '2026-11-26T00:00:00Z', assignment: { [sample.workloads[0].id]: CLOUD_NODE_ID } };
    const without = projectSchema.safeParse({ ...sample, placement: { ...sample.placement, result } });
    expect(without.success).toBe(false);
    expect(JSON.stringify(without.error?.issues)).toContain('which the fleet does not have');
    const cloudy = withCloud(sample);
    expect(projectSchema.safeParse({ ...cloudy, placement: { ...cloudy.placement, result } }).success).toBe(true);
  });

  it('rejects a device row whose nodes would take the cloud node id', () => {
    const cloudy = withCloud(sample);
    const clash = { ...cloudy, devices: [{ ...cloudy.devices[0], id: 'cloud' }, ...cloudy.devices.slice(1)] };
    const parsed = projectSchema.safeParse(clash);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain("share the cloud's id");
  });
});
