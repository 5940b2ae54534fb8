/**
 * Job `plan.demo`: Joule's whole job on the sample fleet in a few minutes. A copy of the sample
 * project in a folder of its own; the shipped LeNet-5's energy on every device type of the fleet;
 * two pruning budgets on the Raspberry Pi 4 (80 % and 60 % of its energy: its per-layer overhead keeps LeNet-5 above about half), each fine-tuned for one epoch, accepted as variants; the joint
 * choice of variant and node beside the simpler strategies, accepted; a deployment bundle, verified.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DemoReport, DemoRequest } from '../../common/api/plan';
import { JouleError } from '../../common/errors';
import { placementResultOf } from '../../common/project/accept';
import type { ProjectDocument } from '../../common/project/schema';
import { analyzeModel } from '../../core/energy/analyze';
import { defaultPrecision } from '../../core/energy/resolve-profile';
import { readOnnxFile } from '../../core/onnx/read';
import { rebaseModelPaths, resolveModelPath } from '../../core/project/paths';
import { readProjectFile, writeProjectFile } from '../../core/project/project-file';
import { partOfJob, type JobContext } from '../context';
import { deviceLibrary } from './inputs';
import { comparePlans } from './plan-compare';
import { exportBundle } from './plan-export';
import { verifyBundle } from './plan-verify';
import { prune } from './prune';

const MODEL_ID = 'model-lenet5';
const DEVICE = 'raspberry-pi-4';
const FRACTIONS = [0.8, 0.6];

export async function runDemo(request: DemoRequest, context: JobContext): Promise<DemoReport> {
  const started = Date.now();
  const dir = request.dir ? path.resolve(request.dir) : mkdtempSync(path.join(os.tmpdir(), 'joule-demo-'));
  const library = await deviceLibrary(context.env);
  const sampleFile = path.join(context.env.resourcesDir, 'sample', 'sample.joule');
  const sample = await readProjectFile(sampleFile, library.ids());
  let document: ProjectDocument = { ...rebaseModelPaths(sample.document, path.dirname(sampleFile), dir), name: `${sample.document.name}: demo` };
  const projectFile = path.join(dir, 'demo.joule');
  const lenet = document.models.find((m) => m.id === MODEL_ID);
  if (!lenet) throw new JouleError(`The sample project lacks its trained model "${MODEL_ID}".`);

  context.report(0.02, 'The shipped LeNet-5 on every device type of the fleet');
  const model = readOnnxFile(resolveModelPath(dir, lenet.path), { weights: 'skip' });
  const energy = [...new Set(document.devices.map((d) => d.type))].sort().map((deviceType) => {
    const profile = library.get(deviceType);
    const totals = analyzeModel(model, profile, { precision: defaultPrecision(profile) }).totals;
    return { deviceType, energyJ: totals.energyJ, latencyMs: totals.latencyMs };
  });

  const variants: DemoReport['variants'] = [];
  mkdirSync(path.join(dir, 'models', 'variants'), { recursive: true });
  for (const [i, fraction] of FRACTIONS.entries()) {
    const label = `${lenet.label} · ${DEVICE} ${Math.round(fraction * 100)} %`;
    const relative = `models/variants/lenet5-${DEVICE}-${Math.round(fraction * 100)}pct.onnx`;
    const report = await prune(
      { model: { path: lenet.path, baseDir: dir }, deviceId: DEVICE, budget: { fraction }, dataset: 'fashion-mnist', seed: 1, out: path.join(dir, relative) },
      partOfJob(context, 0.05 + i * 0.3, 0.35 + i * 0.3),
    );
    document = { ...document, models: [...document.models, { id: `model-lenet5-${Math.round(fraction * 100)}`, label, path: relative, sha256: report.sha256, sizeBytes: report.sizeBytes, parentId: MODEL_ID }] };
    variants.push({ label, deviceType: DEVICE, fraction, energyJ: report.pruned.energyJ, originalEnergyJ: report.original.energyJ, accuracy: report.pruned.accuracy, originalAccuracy: report.original.accuracy });
  }

  context.report(0.65, 'Choosing a variant and a node for every workload');
  const plan = await comparePlans({ project: { document, baseDir: dir }, timeLimitS: 3, seed: 1 }, partOfJob(context, 0.65, 0.8));
  document = { ...document, placement: { ...document.placement, result: placementResultOf(document, 'aco', plan.joint, new Date(started).toISOString()) } };
  await writeProjectFile(projectFile, document, library.ids());

  const exported = await exportBundle({ project: { document, baseDir: dir }, outDir: path.join(dir, 'bundle') }, partOfJob(context, 0.8, 0.88));
  const verified = await verifyBundle({ dir: exported.dir, runs: 5 }, partOfJob(context, 0.88, 1));
  const own = new Map(document.workloads.map((w) => [w.id, w.modelId]));
  return {
    dir,
    project: projectFile,
    model: lenet.label,
    energy,
    variants,
    plan: {
      jointJ: plan.joint.energyJ,
      originalsJ: plan.originals.result?.energyJ ?? null,
      oneVariantJ: plan.oneVariant.result?.energyJ ?? null,
      compressedWorkloads: Object.entries(plan.joint.variants).filter(([w, m]) => own.get(w) !== m).length,
      workloads: document.workloads.length,
    },
    bundle: exported.dir,
    report: exported.report,
    verified: verified.ok,
    ms: Date.now() - started,
  };
}
