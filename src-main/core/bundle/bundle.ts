/**
 * A deployment bundle as data: every file of it, path and bytes, in a fixed order, so the same
 * project always gives the same bytes. Per edge node that serves something: its model files (and
 * cards), a `manifest.json` (node, workloads with rates, SLOs and source sites, model sha256 and
 * size, expected energy and latency, preprocessing, onnxruntime settings), the runner and a
 * `SHA256SUMS`. For the fleet: `fleet.csv`, a self-contained `report.html`, optional Kubernetes
 * manifests and per-node `.tar.gz` archives, and a `SHA256SUMS` of everything.
 */
import type { PlacementReport } from '../../common/placement/checker';
import type { PlacementProblem } from '../../common/placement/problem';
import type { ProjectDocument } from '../../common/project/schema';
import { sha256Hex } from '../io/hash';
import type { ModelCard } from '../zoo/small/card';
import { kubernetesManifests } from './k8s';
import { nodeFolderName, type NodeManifest } from './manifest';
import { reportHtml } from './report-html';
import { stableJson } from '../../common/stable-json';
import { tarGz } from './tar';

export interface BundleFile {
  /** Relative to the bundle, forward slashes. */
  path: string;
  data: Uint8Array;
}

export interface BundleInput {
  document: ProjectDocument;
  problem: PlacementProblem;
  report: PlacementReport;
  assignment: Record<string, string>;
  /** The model each workload runs (every workload). */
  variants: Record<string, string>;
  modelBytes: (modelId: string) => Uint8Array;
  cards: ReadonlyMap<string, ModelCard | null>;
  /** The input of each model: its name and shape (a dynamic batch as 'N'). */
  inputs: ReadonlyMap<string, { name: string; shape: (number | string)[] }>;
  runner: { script: Uint8Array; packageJson: Uint8Array };
  onnxruntimeVersion: string;
  k8s: boolean;
  tarballs: boolean;
}

const text = (s: string) => new TextEncoder().encode(s);

/** The files of a bundle, sorted by path, SHA256SUMS last. */
export function bundleFiles(input: BundleInput): BundleFile[] {
  const { document, problem, report } = input;
  const device = new Map(document.devices.map((d) => [d.id, d]));
  const site = new Map(document.sites.map((s) => [s.id, s.name]));
  const models = new Map(problem.models.map((m) => [m.id, m]));
  const refs = new Map(document.models.map((m) => [m.id, m]));
  const workloads = new Map(document.workloads.map((w) => [w.id, w]));
  const nodeReports = new Map(report.nodes.map((n) => [n.nodeId, n]));
  const files: BundleFile[] = [];
  const manifests: NodeManifest[] = [];

  for (const node of problem.nodes) {
    const served = report.nodes.find((n) => n.nodeId === node.id)?.workloadIds ?? [];
    if (!served.length) continue;
    const folder = `nodes/${nodeFolderName(node.id)}`;
    const row = device.get(node.id.split('#')[0]);
    const modelIds = [...new Set(served.map((w) => input.variants[w]))].sort();
    const manifest: NodeManifest = {
      schema: 'joule-node-manifest/1',
      project: document.name,
      node: { id: node.id, name: row ? `${row.name} #${node.id.split('#')[1]}` : node.id, deviceType: node.deviceType, site: node.site },
      periodS: problem.periodS,
      workloads: [...served].sort().map((id) => {
        const w = workloads.get(id)!;
        const modelId = input.variants[id];
        const figures = models.get(modelId)!.perDevice[node.deviceType];
        return {
          id,
          label: w.label,
          ratePerS: w.ratePerS,
          sloMs: w.sloMs,
          sourceSite: w.siteId ? (site.get(w.siteId) ?? w.siteId) : null,
          modelId,
          model: `models/${modelId}.onnx`,
          expected: { energyPerInferenceJ: figures.energyJ, energyPerPeriodJ: figures.energyJ * w.ratePerS * problem.periodS, latencyMs: figures.latencyMs },
        };
      }),
      models: modelIds.map((modelId) => {
        const ref = refs.get(modelId)!;
        const card = input.cards.get(modelId) ?? null;
        return {
          modelId,
          label: ref.label,
          file: `models/${modelId}.onnx`,
          sha256: ref.sha256,
          sizeBytes: ref.sizeBytes,
          parentId: ref.parentId ?? null,
          accuracy: card && card.testSamples > 0 ? card.testAccuracy : null,
          input: input.inputs.get(modelId)!,
          preprocessing: { layout: 'NCHW', scale: 1 / 255, mean: card?.input.mean ?? [0], std: card?.input.std ?? [1] },
        };
      }),
      onnxruntime: { package: `onnxruntime-node@${input.onnxruntimeVersion}`, executionProviders: ['cpu'], intraOpThreads: 1, graphOptimization: 'all' },
      expected: { energyPerPeriodJ: nodeReports.get(node.id)?.energyJ ?? 0, utilization: nodeReports.get(node.id)?.utilization ?? 0 },
    };
    manifests.push(manifest);
    const nodeFiles: BundleFile[] = [{ path: 'manifest.json', data: text(stableJson(manifest)) }];
    for (const m of manifest.models) {
      nodeFiles.push({ path: m.file, data: input.modelBytes(m.modelId) });
      const card = input.cards.get(m.modelId);
      if (card) nodeFiles.push({ path: `models/${m.modelId}.json`, data: text(stableJson(card)) });
    }
    nodeFiles.push({ path: 'runner/run.mjs', data: input.runner.script }, { path: 'runner/package.json', data: input.runner.packageJson });
    nodeFiles.sort((a, b) => a.path.localeCompare(b.path));
    nodeFiles.push({ path: 'SHA256SUMS', data: text(checksums(nodeFiles)) });
    for (const f of nodeFiles) files.push({ path: `${folder}/${f.path}`, data: f.data });
    if (input.tarballs) files.push({ path: `${folder}.tar.gz`, data: tarGz(nodeFiles.map((f) => ({ path: `${nodeFolderName(node.id)}/${f.path}`, data: f.data }))) });
  }

  files.push({ path: 'fleet.csv', data: text(fleetCsv(manifests, input)) });
  files.push({ path: 'report.html', data: text(reportHtml({ document, problem, report, manifests, variants: input.variants })) });
  files.push({ path: 'README.md', data: text(readme(document.name, manifests.length, input)) });
  if (input.k8s) {
    for (const [name, resource] of kubernetesManifests(manifests)) files.push({ path: `k8s/${name}.json`, data: text(stableJson(resource)) });
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  files.push({ path: 'SHA256SUMS', data: text(checksums(files)) });
  return files;
}

/** `sha256  path` per file, as `sha256sum -c` reads it. */
export function checksums(files: readonly BundleFile[]): string {
  return files.map((f) => `${sha256Hex(f.data)}  ${f.path}\n`).join('');
}

function csvCell(value: string | number): string {
  const s = String(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function fleetCsv(manifests: NodeManifest[], input: BundleInput): string {
  const rows = [['node_id', 'node', 'site', 'device_type', 'workload_id', 'workload', 'model_id', 'rate_per_s', 'slo_ms', 'energy_per_inference_mj', 'energy_per_period_kj', 'latency_ms', 'node_utilization']];
  for (const m of manifests) {
    for (const w of m.workloads) {
      rows.push([m.node.id, m.node.name, m.node.site, m.node.deviceType, w.id, w.label, w.modelId, String(w.ratePerS), String(w.sloMs), (w.expected.energyPerInferenceJ * 1e3).toPrecision(6), (w.expected.energyPerPeriodJ / 1e3).toPrecision(6), w.expected.latencyMs.toPrecision(6), m.expected.utilization.toPrecision(4)]);
    }
  }
  const cloud = input.problem.cloud;
  if (cloud) {
    for (const [w, node] of Object.entries(input.assignment).sort()) {
      if (node !== cloud.id) continue;
      const workload = input.document.workloads.find((x) => x.id === w);
      rows.push([cloud.id, 'cloud', cloud.site, 'cloud', w, workload?.label ?? w, input.variants[w], String(workload?.ratePerS ?? ''), String(workload?.sloMs ?? ''), '', '', '', '']);
    }
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

function readme(project: string, nodes: number, input: BundleInput): string {
  return [
    `# Deployment bundle: ${project}`,
    '',
    `Written by Joule for ${nodes} edge node${nodes === 1 ? '' : 's'}. Check it first: \`sha256sum -c SHA256SUMS\` (or \`joule verify .\`).`,
    '',
    '- `report.html`: the placement map, the energy per node and the models each node runs.',
    '- `fleet.csv`: one row per workload: node, site, device type, model, rate, SLO, expected energy and latency.',
    '- `nodes/<node>/`: what to copy to each node: `manifest.json`, `models/`, `runner/` and its own `SHA256SUMS`.',
    ...(input.tarballs ? ['- `nodes/<node>.tar.gz`: the same folder as one archive.'] : []),
    ...(input.k8s ? ['- `k8s/`: a ConfigMap per node (its manifest) and a Deployment per workload, pinned to its node by the label `joule.io/node` (label each cluster or KubeEdge node with its Joule node id folder name, `kubectl label node <name> joule.io/node=<folder>`), mounting the node folder from `/opt/joule/<folder>` (copy it there and run `npm install` in its `runner/` once; the mount is read-only).'] : []),
    '',
    'On a node (Node.js 18 or later): `cd runner && npm install && node run.mjs bench` measures every workload beside the plan; `node run.mjs serve --port 8080` serves `POST /infer/<workload>` with `{"input": [...]}`.',
    '',
  ].join('\n');
}
