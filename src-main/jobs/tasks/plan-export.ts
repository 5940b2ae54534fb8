/**
 * Job `plan.export`: a deployment bundle of the project's accepted placement, written all at once
 * into a new folder (see core/bundle). Refuses a placement that breaks a constraint, a model file
 * that changed since it was added, and an export folder given with `..` in it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ExportReport, ExportRequest } from '../../common/api/plan';
import { JouleError } from '../../common/errors';
import { checkPlacement } from '../../common/placement/checker';
import { bundleFiles } from '../../core/bundle/bundle';
import { nodeFolderName } from '../../core/bundle/manifest';
import { writeBundle } from '../../core/bundle/write';
import { sha256Hex } from '../../core/io/hash';
import { withInputShapes } from '../../core/onnx/input-shapes';
import { readOnnxFile } from '../../core/onnx/read';
import { resolveModelPath } from '../../core/project/paths';
import { problemFromProject } from '../../core/schedule/from-project';
import { cardBeside } from '../../core/zoo/small/card';
import type { JobContext } from '../context';
import { deviceLibrary } from './inputs';

export async function exportBundle(request: ExportRequest, context: JobContext): Promise<ExportReport> {
  const started = Date.now();
  if (request.outDir.split(/[\\/]/).includes('..')) throw new JouleError(`The export folder "${request.outDir}" contains "..": give the folder itself, without going up and down the tree.`);
  const outDir = path.resolve(request.outDir);
  const { document, baseDir } = request.project;
  const accepted = document.placement.result;
  if (!accepted) throw new JouleError('The project has no accepted placement to export: accept one on the Plan or Placement screen, or run joule plan PROJECT --accept.');
  context.report(0.05, 'Analysing every model on every device type');
  const problem = problemFromProject(document, baseDir, await deviceLibrary(context.env));
  const variants = Object.fromEntries(document.workloads.map((w) => [w.id, accepted.variants?.[w.id] ?? w.modelId]));
  const report = checkPlacement(problem, accepted.assignment, variants);
  if (!report.feasible) throw new JouleError(`The accepted placement breaks ${report.violations.length} constraint${report.violations.length === 1 ? '' : 's'} (${report.violations[0].message}); place the workloads again before exporting.`);

  context.report(0.3, 'Reading the models');
  const used = new Set(Object.values(variants));
  const bytes = new Map<string, Uint8Array>();
  const cards = new Map<string, ReturnType<typeof cardBeside>>();
  const inputs = new Map<string, { name: string; shape: (number | string)[] }>();
  for (const ref of document.models.filter((m) => used.has(m.id))) {
    context.checkpoint();
    const file = resolveModelPath(baseDir, ref.path);
    const data = readFileSync(file);
    if (sha256Hex(data) !== ref.sha256) throw new JouleError(`Model "${ref.label}" (${ref.path}) changed since it was added to the project; check the project's model files before exporting.`);
    bytes.set(ref.id, data);
    cards.set(ref.id, cardBeside(file));
    // The planner's sizes for dynamic input dimensions are what the node will feed.
    const model = withInputShapes(readOnnxFile(file, { weights: 'skip' }), ref.inputShapes);
    const input = model.graph.inputs.find((v) => !model.graph.initializers.has(v.name))!;
    inputs.set(ref.id, { name: input.name, shape: input.shape ?? [] });
  }
  const runnerDir = path.join(context.env.resourcesDir, 'runner');
  const ortVersion = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;
  context.report(0.6, 'Writing the bundle');
  const files = bundleFiles({
    document,
    problem,
    report,
    assignment: accepted.assignment,
    variants,
    modelBytes: (id) => bytes.get(id)!,
    cards,
    inputs,
    runner: { script: readFileSync(path.join(runnerDir, 'run.mjs')), packageJson: readFileSync(path.join(runnerDir, 'package.json')) },
    onnxruntimeVersion: ortVersion,
    k8s: request.k8s === true,
    tarballs: request.tarballs === true,
  });
  await writeBundle(outDir, files);
  const nodes = report.nodes
    .filter((n) => n.workloadIds.length && n.nodeId !== problem.cloud?.id)
    .map((n) => ({ nodeId: n.nodeId, folder: `nodes/${nodeFolderName(n.nodeId)}`, workloads: [...n.workloadIds].sort(), models: [...new Set(n.workloadIds.map((w) => variants[w]))].sort() }));
  return { dir: outDir, nodes, files: files.map((f) => ({ path: f.path, sha256: sha256Hex(f.data), bytes: f.data.length })), report: path.join(outDir, 'report.html'), ms: Date.now() - started };
}
