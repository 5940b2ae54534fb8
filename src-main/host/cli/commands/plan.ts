/** `joule plan`, `joule export`, `joule verify` and `joule demo`: from a project's plan to bundles for the fleet. */
import path from 'node:path';
import { MAX_RUNS } from '../../../common/limits';
import type { DemoReport, ExportReport, PlanReport, VerifyReport } from '../../../common/api/plan';
import { placementResultOf } from '../../../common/project/accept';
import { type Command, numberOption, requiredOption, stringOption, timeLimitOption } from '../command';
import { awaitJob } from '../jobs';
import { textTable } from '../table';

const PROJECT = { name: 'PROJECT', description: 'A .joule project file.' };
const kj = (j: number | null) => (j === null ? '—' : (j / 1e3).toFixed(2));

const plan: Command = {
  words: ['plan'],
  summary: "Choose a compressed variant and a node for every workload together, beside the originals and one variant for the whole fleet; --accept stores the plan in the project.",
  positionals: [PROJECT],
  options: {
    'time-limit': { type: 'string', placeholder: 'S', description: 'Seconds per strategy for the improved ACO (default 5).' },
    seed: { type: 'string', placeholder: 'N', description: 'Seed (default 1).' },
    accept: { type: 'boolean', description: 'Store the joint plan as the accepted placement of the project file.' },
  },
  async run(args, context) {
    const { project, plan: service } = (await context.runtime()).services;
    const opened = await project.read(args.positionals[0]);
    const request = { project: { document: opened.document, baseDir: opened.baseDir }, timeLimitS: timeLimitOption(args) ?? 5, seed: numberOption(args, 'seed', { integer: true }) ?? 1 };
    const report = await awaitJob<PlanReport>(context, service.startCompare(request), { progress: !args.json });
    if (args.options.accept === true && report.joint.feasible) {
      const document = { ...opened.document, placement: { ...opened.document.placement, result: placementResultOf(opened.document, 'aco', report.joint, new Date().toISOString()) } };
      await project.save({ path: opened.path!, baseDir: opened.baseDir, document });
    }
    const { problem: _problem, ...rest } = report;
    if (args.json) {
      context.out(JSON.stringify(rest, null, 2));
    } else {
      const row = (name: string, r: PlanReport['joint'] | null, error: string | null) => [name, r ? kj(r.energyJ) : '—', r ? (r.feasible ? 'feasible' : 'INFEASIBLE') : (error ?? '')];
      context.out(
        textTable(
          ['strategy', 'energy kJ per period', ''],
          [row('joint (variant and node together)', report.joint, null), row('original models', report.originals.result, report.originals.error), row('one variant for the whole fleet', report.oneVariant.result, report.oneVariant.error)],
        ),
      );
      context.out(`Saves ${kj(report.savingVsOriginalsJ)} kJ against the originals and ${kj(report.savingVsOneVariantJ)} kJ against one variant for the fleet.`);
      const models = new Map(opened.document.models.map((m) => [m.id, m.label]));
      for (const w of opened.document.workloads) context.out(`  ${w.label}: ${report.joint.assignment[w.id]} runs ${models.get(report.joint.variants[w.id]) ?? report.joint.variants[w.id]}`);
      if (args.options.accept === true) context.out(report.joint.feasible ? `Accepted the joint plan in ${opened.path}.` : 'Not accepted: the joint plan is infeasible.');
    }
    return report.joint.feasible ? 0 : 1;
  },
};

const exportCommand: Command = {
  words: ['export'],
  summary: "Write a deployment bundle of the project's accepted placement: per node its models, manifest, runner and checksums; a fleet CSV and HTML report.",
  positionals: [PROJECT],
  options: {
    out: { type: 'string', placeholder: 'DIR', description: 'The bundle folder to create (new or empty).' },
    k8s: { type: 'boolean', description: 'Also write Kubernetes manifests (KubeEdge-ready): a Deployment per workload pinned to its node.' },
    tar: { type: 'boolean', description: 'Also pack each node folder as a deterministic .tar.gz.' },
  },
  async run(args, context) {
    const outDir = requiredOption(args, 'out', 'DIR');
    const { project, plan: service } = (await context.runtime()).services;
    const opened = await project.read(args.positionals[0]);
    const report = await awaitJob<ExportReport>(context, service.startExport({ project: { document: opened.document, baseDir: opened.baseDir }, outDir: outDir.split(/[\\/]/).includes('..') ? outDir : path.resolve(outDir), k8s: args.options.k8s === true, tarballs: args.options.tar === true }), { progress: !args.json });
    if (args.json) {
      context.out(JSON.stringify(report, null, 2));
      return;
    }
    context.out(`Wrote ${report.files.length} files for ${report.nodes.length === 1 ? 'one node' : `${report.nodes.length} nodes`} to ${report.dir}; open ${report.report} for the map.`);
  },
};

const verify: Command = {
  words: ['verify'],
  summary: 'Check a bundle: every file against SHA256SUMS, every model loaded and run with onnxruntime, measured latency beside the expected.',
  positionals: [{ name: 'BUNDLE_DIR', description: 'A folder written by joule export.' }],
  options: { runs: { type: 'string', placeholder: 'N', description: 'Timed runs per model (default 10).' } },
  async run(args, context) {
    const { plan: service } = (await context.runtime()).services;
    const report = await awaitJob<VerifyReport>(context, service.startVerify({ dir: path.resolve(args.positionals[0]), runs: numberOption(args, 'runs', { min: 1, max: MAX_RUNS, integer: true }) }), { progress: !args.json });
    if (args.json) context.out(JSON.stringify(report, null, 2));
    else {
      context.out(`${report.ok ? 'OK' : 'FAILED'}: ${report.checkedFiles} files checked.`);
      for (const p of report.problems) context.out(`  ${p.problem.toUpperCase()} ${p.path}`);
      context.out(textTable(['model', 'loads', 'measured ms here', 'host profile ms', 'expected on device ms'], report.models.map((m) => [m.file, m.loaded ? 'yes' : `no: ${m.error}`, m.measuredMs ?? NaN, m.hostPredictedMs ?? NaN, m.expectedMs])));
    }
    return report.ok ? 0 : 1;
  },
};

const demo: Command = {
  words: ['demo'],
  summary: "Joule's whole job on the sample fleet in a few minutes: energy per device type, two pruning budgets, the joint plan, a verified bundle.",
  positionals: [],
  options: { dir: { type: 'string', placeholder: 'DIR', description: 'Folder for the demo project and bundle (default: a new temporary folder).' } },
  async run(args, context) {
    const { plan: service } = (await context.runtime()).services;
    const dir = stringOption(args, 'dir');
    const r = await awaitJob<DemoReport>(context, service.startDemo(dir === undefined ? {} : { dir: path.resolve(dir) }), { progress: !args.json });
    if (args.json) {
      context.out(JSON.stringify(r, null, 2));
      return r.verified ? 0 : 1;
    }
    const pct = (a: number | null) => (a === null ? '—' : `${(a * 100).toFixed(2)}%`);
    context.out(`${r.model} on every device type of the sample fleet:`);
    context.out(textTable(['device type', 'mJ per inference', 'ms'], r.energy.map((e) => [e.deviceType, e.energyJ * 1e3, e.latencyMs])));
    context.out('\nPruned for the Raspberry Pi 4 (one fine-tuning epoch each; the shelf workloads need 90 % accuracy):');
    context.out(textTable(['variant', 'mJ', 'of original', 'accuracy', 'original accuracy'], r.variants.map((v) => [v.label, v.energyJ * 1e3, `${Math.round((v.energyJ / v.originalEnergyJ) * 100)}%`, pct(v.accuracy), pct(v.originalAccuracy)])));
    context.out(`\nJoint plan: ${kj(r.plan.jointJ)} kJ per period (original models ${kj(r.plan.originalsJ)} kJ, one variant for the fleet ${kj(r.plan.oneVariantJ)} kJ); ${r.plan.compressedWorkloads} of ${r.plan.workloads} workloads run a compressed variant.`);
    context.out(`Bundle ${r.verified ? 'verified' : 'FAILED verification'}: ${r.bundle}\nReport: ${r.report}\nProject: ${r.project}\n${(r.ms / 1000).toFixed(0)} s in all.`);
    return r.verified ? 0 : 1;
  },
};

export const planCommands = [plan, exportCommand, verify, demo];
