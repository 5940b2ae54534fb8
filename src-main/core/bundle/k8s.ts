/**
 * Kubernetes manifests of a plan (usable with KubeEdge's edge nodes): a ConfigMap per node holding
 * its manifest, and a Deployment per workload pinned to its node by the label `joule.io/node`,
 * running the bundle's runner from the node folder copied to `/opt/joule/<folder>`. Requests follow
 * the plan: CPU from the workload's share of the node's compute, memory from its model.
 */
import { nodeFolderName, type NodeManifest } from './manifest';
import { stableJson } from '../../common/stable-json';

/** Kubernetes names: lower-case alphanumerics and '-', at most 63 characters. */
function k8sName(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'joule';
}

/** [file name, resource] pairs, in a fixed order. */
export function kubernetesManifests(manifests: readonly NodeManifest[]): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [];
  for (const m of manifests) {
    const folder = nodeFolderName(m.node.id);
    const configMap = `joule-${k8sName(folder)}-manifest`;
    out.push([
      `configmap-${k8sName(folder)}`,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: configMap, labels: { app: 'joule', 'joule.io/node': folder } },
        data: { 'manifest.json': stableJson(m) },
      },
    ]);
    for (const w of m.workloads) {
      const model = m.models.find((x) => x.modelId === w.modelId)!;
      const share = m.workloads.length ? w.expected.energyPerPeriodJ / Math.max(1e-12, m.workloads.reduce((s, x) => s + x.expected.energyPerPeriodJ, 0)) : 1;
      const cpuMillis = Math.max(50, Math.ceil(m.expected.utilization * share * 1000));
      const memoryMi = Math.max(64, Math.ceil(((model.sizeBytes * 3) / 2 ** 20) + 96));
      const name = `joule-${k8sName(w.id)}`;
      out.push([
        `deployment-${k8sName(w.id)}`,
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name, labels: { app: 'joule', 'joule.io/workload': k8sName(w.id), 'joule.io/node': folder } },
          spec: {
            replicas: 1,
            selector: { matchLabels: { 'joule.io/workload': k8sName(w.id) } },
            template: {
              metadata: { labels: { app: 'joule', 'joule.io/workload': k8sName(w.id), 'joule.io/node': folder } },
              spec: {
                nodeSelector: { 'joule.io/node': folder },
                containers: [
                  {
                    name: 'runner',
                    image: 'node:20-bookworm-slim',
                    workingDir: '/opt/joule/runner',
                    command: ['node', 'run.mjs', 'serve', '--workload', w.id, '--manifest', '/etc/joule/manifest.json', '--root', '/opt/joule', '--port', '8080'],
                    ports: [{ containerPort: 8080, name: 'infer' }],
                    resources: { requests: { cpu: `${cpuMillis}m`, memory: `${memoryMi}Mi` } },
                    volumeMounts: [
                      { name: 'bundle', mountPath: '/opt/joule', readOnly: true },
                      { name: 'manifest', mountPath: '/etc/joule', readOnly: true },
                    ],
                  },
                ],
                volumes: [
                  { name: 'bundle', hostPath: { path: `/opt/joule/${folder}`, type: 'Directory' } },
                  { name: 'manifest', configMap: { name: configMap } },
                ],
              },
            },
          },
        },
      ]);
    }
  }
  return out;
}
