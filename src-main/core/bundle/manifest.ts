/** What a node of a deployment bundle is told: its workloads, their models and what the plan expects of them. */

/** `dev-6#3` -> `dev-6-3`: a node id as a folder name. */
export function nodeFolderName(nodeId: string): string {
  return nodeId.replace(/[^A-Za-z0-9._-]/g, '-');
}

export interface NodeManifest {
  schema: 'joule-node-manifest/1';
  project: string;
  node: { id: string; name: string; deviceType: string; site: string };
  periodS: number;
  workloads: {
    id: string;
    label: string;
    ratePerS: number;
    sloMs: number;
    sourceSite: string | null;
    modelId: string;
    model: string;
    expected: { energyPerInferenceJ: number; energyPerPeriodJ: number; latencyMs: number };
  }[];
  models: {
    modelId: string;
    label: string;
    file: string;
    sha256: string;
    sizeBytes: number;
    parentId: string | null;
    accuracy: number | null;
    input: { name: string; shape: (number | string)[] };
    preprocessing: { layout: 'NCHW'; scale: number; mean: number[]; std: number[] };
  }[];
  onnxruntime: { package: string; executionProviders: string[]; intraOpThreads: number; graphOptimization: string };
  expected: { energyPerPeriodJ: number; utilization: number };
}
