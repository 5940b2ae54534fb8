/** The placement problem of a project: nodes from device rows, figures from the energy model, the cloud link. */
import path from 'node:path';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
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
import { readOnnxFile } from '../../../src-main/core/onnx/read';
import { writeOnnxFile } from '../../../src-main/core/onnx/write';
import { applyRemoval } from '../../../src-main/core/prune/apply';
import { buildChannelGraph } from '../../../src-main/core/prune/channel-graph';

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

/** The sample with a pruned LeNet-5 variant (half of every prunable group) written beside a copy of it, with a card. */
async function withVariant(accuracy: number): Promise<{ document: ProjectDocument; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'joule-variant-'));
  mkdirSync(path.join(dir, 'models'));
  for (const m of sample.models) copyFileSync(path.join(sampleDir, m.path), path.join(dir, m.path));
  copyFileSync(path.join(sampleDir, 'models', 'lenet5.json'), path.join(dir, 'models', 'lenet5.json'));
  const lenet = readOnnxFile(path.join(sampleDir, 'models', 'lenet5.onnx'));
  const graph = buildChannelGraph(lenet);
  const half = new Map(graph.groups.filter((g) => g.prunable).map((g) => [g.id, Uint8Array.from({ length: g.size }, (_, k) => (k % 2 ? 1 : 0))]));
  const file = path.join(dir, 'models', 'lenet5-half.onnx');
  writeOnnxFile(file, applyRemoval(graph, half));
  const card = JSON.parse(readFileSync(path.join(sampleDir, 'models', 'lenet5.json'), 'utf8'));
  writeFileSync(path.join(dir, 'models', 'lenet5-half.json'), JSON.stringify({ ...card, name: 'lenet5-half', testAccuracy: accuracy }));
  const bytes = readFileSync(file);
  const variant = { id: 'model-lenet5-half', label: 'LeNet-5 half', path: 'models/lenet5-half.onnx', sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length, parentId: 'model-lenet5' };
  return { document: { ...sample, models: [...sample.models, variant] }, dir };
}

describe('problemFromProject', () => {
  it('offers a workload its model and every compressed variant that meets its accuracy floor', async () => {
    const { document, dir } = await withVariant(0.87);
    const lenetWorkload = document.workloads.find((w) => w.modelId === 'model-lenet5')!;
    const loose = parseProblem(problemFromProject(document, dir, library));
    expect(loose.workloads.find((w) => w.id === lenetWorkload.id)!.variants).toEqual(['model-lenet5', 'model-lenet5-half']);
    const half = loose.models.find((m) => m.id === 'model-lenet5-half')!;
    const full = loose.models.find((m) => m.id === 'model-lenet5')!;
    expect(half.accuracy).toBe(0.87);
    expect(half.macs).toBeLessThan(full.macs);
    expect(half.perDevice['jetson-nano-5w'].energyJ).toBeLessThan(full.perDevice['jetson-nano-5w'].energyJ);
    // With a floor above the variant's accuracy, only the original is a choice.
    const strict = { ...document, workloads: document.workloads.map((w) => (w.id === lenetWorkload.id ? { ...w, accuracyFloor: 0.9 } : w)) };
    const cp = compileProblem(parseProblem(problemFromProject(strict, dir, library)));
    const j = cp.workloadIds.indexOf(lenetWorkload.id);
    const choices = new Set<string>();
    for (let o = cp.optStart[j * cp.K]; o < cp.optStart[(j + 1) * cp.K]; o++) choices.add(cp.variantIds[cp.optVariant[o]]);
    expect([...choices]).toEqual(['model-lenet5']);
  });

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

  it("turns sites, LANs and links into the problem's network, naming sites as the map shows them", () => {
    const problem = parseProblem(problemFromProject(sample, sampleDir, library));
    expect(problem.sites.map((s) => [s.id, s.lan?.mbps])).toEqual([
      ['Harbour gate', 1000],
      ['Warehouse 3', 1000],
      ['Solar field', 100],
    ]);
    expect(problem.links.map((l) => [l.id, l.a, l.b, l.mbps])).toEqual([
      ['link-harbour-warehouse', 'Harbour gate', 'Warehouse 3', 1000],
      ['link-warehouse-solar', 'Warehouse 3', 'Solar field', 50],
    ]);
    expect(problem.workloads.find((w) => w.id === 'w-dock')?.site).toBe('Warehouse 3');
    // Inputs cross LANs and links, so every model states its input size.
    expect(problem.models.every((m) => m.inputMB > 0)).toBe(true);
    const twins = { ...sample, sites: sample.sites.map((s) => ({ ...s, name: 'Depot' })) };
    expect(parseProblem(problemFromProject(twins, sampleDir, library)).sites.map((s) => s.id)).toEqual(['Depot (site-harbour)', 'Depot (site-warehouse)', 'Depot (site-solar-field)']);
  });

  it('gives mains rows always-on nodes and budget rows nodes that may sleep, unless the row says otherwise', () => {
    const rows = sample.devices.map((d) => (d.id === 'dev-3' ? { ...d, powerState: 'always-on' as const } : d.id === 'dev-1' ? { ...d, powerState: 'may-sleep' as const, wakeUpJ: 40 } : d));
    const problem = parseProblem(problemFromProject({ ...sample, devices: rows }, sampleDir, library));
    const node = (id: string) => problem.nodes.find((n) => n.id === id)!;
    expect(node('dev-2#1')).toMatchObject({ powerState: 'always-on', wakeUpJ: 0 });
    expect(node('dev-4#1')).toMatchObject({ powerState: 'may-sleep' });
    expect(node('dev-3#1')).toMatchObject({ powerState: 'always-on' });
    expect(node('dev-1#2')).toMatchObject({ powerState: 'may-sleep', wakeUpJ: 40 });
    expect(problem.utilizationLimit).toBe(0.7);
  });

  it("attaches each stick of an accelerator row to the host row's node of the same number, with the host's extra power", () => {
    const problem = parseProblem(problemFromProject(sample, sampleDir, library));
    const sticks = problem.nodes.filter((n) => n.id.startsWith('dev-6#'));
    const pi = library.get('raspberry-pi-4');
    expect(sticks.map((n) => n.host)).toEqual([1, 2, 3].map((k) => ({ nodeId: `dev-13#${k}`, cpuMsPerInference: 2, cpuPowerW: pi.loadedPowerW.value - pi.idlePowerW.value })));
    expect(sticks.every((n) => n.powerState === undefined && n.energyBudgetJ === undefined)).toBe(true);
    // A second accelerator row on the same host row takes its next nodes.
    const hostRow = sample.devices.find((d) => d.id === 'dev-13')!;
    const more = { ...sample, devices: [...sample.devices.map((d) => (d.id === 'dev-13' ? { ...d, count: 5 } : d)), { ...sample.devices.find((d) => d.id === 'dev-6')!, id: 'dev-14', count: 2 }] };
    expect(hostRow.count).toBe(3);
    const second = parseProblem(problemFromProject(more, sampleDir, library)).nodes.filter((n) => n.id.startsWith('dev-14#'));
    expect(second.map((n) => n.host?.nodeId)).toEqual(['dev-13#4', 'dev-13#5']);
  });

  it('refuses a host for a device type the library does not mark as an accelerator, naming the row and the field', () => {
    const wrong = { ...sample, devices: sample.devices.map((d) => (d.id === 'dev-6' ? { ...d, type: 'coral-dev-board' } : d)) };
    expect(() => problemFromProject(wrong, sampleDir, library)).toThrow('Device row "Dock camera NCS2" (devices[6].host) is attached to a host, but its type coral-dev-board is not an accelerator in the device library; only a USB accelerator such as intel-ncs2 is plugged into a host.');
  });

  it('rejects a device row whose nodes would take the cloud node id', () => {
    const cloudy = withCloud(sample);
    const clash = { ...cloudy, devices: [{ ...cloudy.devices[0], id: 'cloud' }, ...cloudy.devices.slice(1)] };
    const parsed = projectSchema.safeParse(clash);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain("share the cloud's id");
  });
});
