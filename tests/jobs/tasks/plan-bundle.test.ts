/**
 * From plan to bundle on the sample project with a real pruned variant: the joint plan, two
 * exports byte for byte, checksums, the Kubernetes manifests against the kubernetes-models schemas,
 * verification of a fresh and of a tampered bundle, and the exports that must be refused.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigMap } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { beforeAll, describe, expect, it } from 'vitest';
import { placementResultOf } from '../../../src-main/common/project/accept';
import type { ProjectDocument } from '../../../src-main/common/project/schema';
import { writeBundle } from '../../../src-main/core/bundle/write';
import { rebaseModelPaths } from '../../../src-main/core/project/paths';
import { readProjectFile } from '../../../src-main/core/project/project-file';
import type { JobContext } from '../../../src-main/jobs/context';
import { deviceLibrary } from '../../../src-main/jobs/tasks/inputs';
import { comparePlans } from '../../../src-main/jobs/tasks/plan-compare';
import { exportBundle } from '../../../src-main/jobs/tasks/plan-export';
import { verifyBundle } from '../../../src-main/jobs/tasks/plan-verify';
import { prune } from '../../../src-main/jobs/tasks/prune';
import { resourcesDir, testContext } from '../context';

let context: JobContext;
let dir: string;
let document: ProjectDocument;
let bundleA: string;
let bundleB: string;

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function filesUnder(root: string, at = root): string[] {
  return readdirSync(at, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(root, path.join(at, e.name)) : [path.relative(root, path.join(at, e.name)).split(path.sep).join('/')]));
}

beforeAll(async () => {
  context = testContext();
  dir = mkdtempSync(path.join(os.tmpdir(), 'joule-plan-'));
  const sampleFile = path.join(resourcesDir, 'sample', 'sample.joule');
  const sample = await readProjectFile(sampleFile, (await deviceLibrary(context.env)).ids());
  document = rebaseModelPaths(sample.document, path.dirname(sampleFile), dir);
  // A real variant: LeNet-5 pruned to 60 % of its Raspberry Pi 4 energy, without fine-tuning (fast), its accuracy measured.
  const lenet = document.models.find((m) => m.id === 'model-lenet5')!;
  const report = await prune({ model: { path: lenet.path, baseDir: dir }, deviceId: 'raspberry-pi-4', budget: { fraction: 0.6 }, dataset: 'fashion-mnist', finetuneEpochs: 0, seed: 1, out: path.join(dir, 'lenet5-60.onnx') }, context);
  document = {
    ...document,
    models: [...document.models, { id: 'model-lenet5-60', label: 'LeNet-5 · 60 %', path: 'lenet5-60.onnx', sha256: report.sha256, sizeBytes: report.sizeBytes, parentId: 'model-lenet5' }],
    // Let the variant through the shelf workloads' accuracy floor whatever it measured.
    workloads: document.workloads.map((w) => (w.accuracyFloor === undefined ? w : { ...w, accuracyFloor: Math.min(w.accuracyFloor, report.pruned.accuracy ?? 0) })),
  };
  const plan = await comparePlans({ project: { document, baseDir: dir }, timeLimitS: 1, seed: 1 }, context);
  document = { ...document, placement: { ...document.placement, result: placementResultOf(document, 'aco', plan.joint, '2026-01-01T00:00:00.000Z') } };
  bundleA = path.join(dir, 'bundle-a');
  bundleB = path.join(dir, 'bundle-b');
  await exportBundle({ project: { document, baseDir: dir }, outDir: bundleA, k8s: true, tarballs: true }, context);
  await exportBundle({ project: { document, baseDir: dir }, outDir: bundleB, k8s: true, tarballs: true }, context);
}, 180_000);

describe('the joint plan', () => {
  it('is feasible, runs the variant where it is admissible, and saves against placing the originals', async () => {
    const plan = await comparePlans({ project: { document, baseDir: dir }, timeLimitS: 1, seed: 1 }, context);
    expect(plan.joint.feasible).toBe(true);
    expect(plan.originals.result?.feasible).toBe(true);
    expect(Object.values(plan.joint.variants)).toContain('model-lenet5-60');
    expect(plan.savingVsOriginalsJ).toBeGreaterThan(0);
    expect(plan.savingVsOneVariantJ).toBeGreaterThanOrEqual(-1e-6 * plan.joint.energyJ);
  }, 60_000);
});

describe('joule export', () => {
  it('writes the same bytes twice, and every file matches the checksum lists', () => {
    const files = filesUnder(bundleA).sort();
    expect(filesUnder(bundleB).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(path.join(bundleB, f)).equals(readFileSync(path.join(bundleA, f))), f).toBe(true);
    const listed = readFileSync(path.join(bundleA, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.split('  ') as [string, string]);
    expect(listed.map(([, f]) => f).sort()).toEqual(files.filter((f) => f !== 'SHA256SUMS'));
    for (const [hash, f] of listed) expect(sha(readFileSync(path.join(bundleA, f))), f).toBe(hash);
    const nodes = readdirSync(path.join(bundleA, 'nodes'), { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      const nodeDir = path.join(bundleA, 'nodes', node.name);
      const manifest = JSON.parse(readFileSync(path.join(nodeDir, 'manifest.json'), 'utf8'));
      for (const m of manifest.models) expect(sha(readFileSync(path.join(nodeDir, m.file)))).toBe(m.sha256);
      for (const line of readFileSync(path.join(nodeDir, 'SHA256SUMS'), 'utf8').trim().split('\n')) {
        const [hash, f] = line.split('  ');
        expect(sha(readFileSync(path.join(nodeDir, f))), f).toBe(hash);
      }
      // The archive holds exactly the node folder, byte for byte (read by the system's tar).
      const unpacked = mkdtempSync(path.join(os.tmpdir(), 'joule-untar-'));
      execFileSync('tar', ['-xzf', path.join(bundleA, 'nodes', `${node.name}.tar.gz`), '-C', unpacked]);
      expect(filesUnder(path.join(unpacked, node.name)).sort()).toEqual(filesUnder(nodeDir).sort());
      for (const f of filesUnder(nodeDir)) expect(readFileSync(path.join(unpacked, node.name, f)).equals(readFileSync(path.join(nodeDir, f))), f).toBe(true);
    }
  });

  it('ships the variant the plan chose, with its manifest telling the node what is expected of it', () => {
    const csv = readFileSync(path.join(bundleA, 'fleet.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(1 + document.workloads.length);
    const shelf = csv.filter((row) => row.includes('w-shelf-'));
    expect(shelf.every((row) => row.includes('model-lenet5-60'))).toBe(true);
    const html = readFileSync(path.join(bundleA, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('writes Kubernetes manifests the kubernetes-models schemas accept, each Deployment pinned to its node', () => {
    const k8s = readdirSync(path.join(bundleA, 'k8s'));
    const deployments = k8s.filter((f) => f.startsWith('deployment-'));
    expect(deployments).toHaveLength(document.workloads.length);
    expect(k8s.filter((f) => f.startsWith('configmap-')).length).toBeGreaterThan(0);
    for (const f of k8s) {
      const resource = JSON.parse(readFileSync(path.join(bundleA, 'k8s', f), 'utf8'));
      if (resource.kind === 'Deployment') {
        expect(() => new Deployment(resource).validate(), f).not.toThrow();
        expect(resource.spec.template.spec.nodeSelector['joule.io/node']).toBe(resource.metadata.labels['joule.io/node']);
        expect(resource.spec.template.spec.containers[0].resources.requests.cpu).toMatch(/^\d+m$/);
      } else {
        expect(resource.kind).toBe('ConfigMap');
        expect(() => new ConfigMap(resource).validate(), f).not.toThrow();
      }
    }
    // The schemas do catch a broken Deployment: one without its selector.
    const broken = JSON.parse(readFileSync(path.join(bundleA, 'k8s', deployments[0]), 'utf8'));
    delete broken.spec.selector;
    expect(() => new Deployment(broken).validate()).toThrow(/selector/);
  });

  it('refuses a folder given with "..", a folder that is not empty, and a file that would leave the bundle, writing nothing', async () => {
    const sneaky = `${dir}/out/../../joule-escaped-${path.basename(dir)}`;
    await expect(exportBundle({ project: { document, baseDir: dir }, outDir: sneaky }, context)).rejects.toThrow(/contains "\.\."/);
    expect(existsSync(path.resolve(sneaky))).toBe(false);
    const full = path.join(dir, 'full');
    mkdirSync(full);
    writeFileSync(path.join(full, 'keep.txt'), 'mine');
    await expect(exportBundle({ project: { document, baseDir: dir }, outDir: full }, context)).rejects.toThrow(/is not empty/);
    expect(readdirSync(full)).toEqual(['keep.txt']);
    const target = path.join(dir, 'evil');
    await expect(writeBundle(target, [{ path: 'ok.txt', data: new Uint8Array([1]) }, { path: '../outside.txt', data: new Uint8Array([2]) }])).rejects.toThrow(/outside the export folder/);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(path.join(dir, 'outside.txt'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('joule-tmp'))).toEqual([]);
  });

  it('refuses a project without an accepted placement, and one whose model file changed', async () => {
    const unplaced = { ...document, placement: { ...document.placement, result: null } };
    await expect(exportBundle({ project: { document: unplaced, baseDir: dir }, outDir: path.join(dir, 'never-1') }, context)).rejects.toThrow(/no accepted placement/);
    const changed = { ...document, models: document.models.map((m) => (m.id === 'model-lenet5-60' ? { ...m, sha256: '0'.repeat(64) } : m)) };
    await expect(exportBundle({ project: { document: changed, baseDir: dir }, outDir: path.join(dir, 'never-2') }, context)).rejects.toThrow(/LeNet-5 · 60 %.*changed since it was added/);
    expect(existsSync(path.join(dir, 'never-1')) || existsSync(path.join(dir, 'never-2'))).toBe(false);
  });
});

describe('the node runner', () => {
  it('benchmarks every workload of its node from the bundle, with the onnxruntime-node version the manifest names', () => {
    const node = readdirSync(path.join(bundleB, 'nodes'), { withFileTypes: true }).find((e) => e.isDirectory())!.name;
    const copy = path.join(mkdtempSync(path.join(os.tmpdir(), 'joule-node-')), node);
    cpSync(path.join(bundleB, 'nodes', node), copy, { recursive: true });
    const runnerPackage = JSON.parse(readFileSync(path.join(copy, 'runner', 'package.json'), 'utf8'));
    const manifest = JSON.parse(readFileSync(path.join(copy, 'manifest.json'), 'utf8'));
    expect(manifest.onnxruntime.package).toBe(`onnxruntime-node@${runnerPackage.dependencies['onnxruntime-node']}`);
    // What `npm install` in the runner folder gives the node, taken from this checkout instead of the registry.
    mkdirSync(path.join(copy, 'runner', 'node_modules'));
    symlinkSync(path.resolve('node_modules/onnxruntime-node'), path.join(copy, 'runner', 'node_modules', 'onnxruntime-node'));
    symlinkSync(path.resolve('node_modules/onnxruntime-common'), path.join(copy, 'runner', 'node_modules', 'onnxruntime-common'));
    const out = JSON.parse(execFileSync(process.execPath, ['run.mjs', 'bench', '--runs', '2'], { cwd: path.join(copy, 'runner'), encoding: 'utf8' }));
    expect(out.node).toBe(manifest.node.id);
    expect(out.workloads.map((w: { workload: string }) => w.workload)).toEqual(manifest.workloads.map((w: { id: string }) => w.id));
    for (const w of out.workloads) expect(w.medianMs).toBeGreaterThan(0);
  }, 60_000);
});

describe('joule verify', () => {
  it('passes a fresh export, loading and timing every model', async () => {
    const report = await verifyBundle({ dir: bundleB, runs: 2 }, context);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.models.length).toBeGreaterThan(0);
    for (const m of report.models) {
      expect(m.loaded, m.error ?? '').toBe(true);
      expect(m.measuredMs).toBeGreaterThan(0);
      expect(m.hostPredictedMs).toBeGreaterThan(0);
    }
  }, 60_000);

  it('names a tampered model, a missing file and a file that does not belong', async () => {
    const node = readdirSync(path.join(bundleA, 'nodes'), { withFileTypes: true }).find((e) => e.isDirectory())!.name;
    const model = readdirSync(path.join(bundleA, 'nodes', node, 'models')).find((f) => f.endsWith('.onnx'))!;
    const file = path.join(bundleA, 'nodes', node, 'models', model);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(file, bytes);
    writeFileSync(path.join(bundleA, 'nodes', node, 'extra.txt'), 'not planned');
    execFileSync('rm', [path.join(bundleA, 'fleet.csv')]);
    const report = await verifyBundle({ dir: bundleA, runs: 1 }, context);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        { path: `nodes/${node}/models/${model}`, problem: 'changed' },
        { path: 'fleet.csv', problem: 'missing' },
        { path: `nodes/${node}/extra.txt`, problem: 'unlisted' },
      ]),
    );
  }, 60_000);
});
