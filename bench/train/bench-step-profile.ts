/**
 * Where a training step's time goes, before and after onnxruntime's blocked kernels (issue 16;
 * not a test). From the repo root:
 *
 *   node --import tsx bench/train/bench-step-profile.ts [--threads 1,2] [--rounds 5]
 *
 * For the VGG-style, ResNet-20-style and MobileNetV2-style nets of the small zoo (batch 64,
 * 28x28x1), at each thread count: the inference forward (weights constant), the gradient graph
 * with the standard formulations (`nchwcBlock` 0: standard ONNX only) and with the blocked
 * convolutions (`nchwcBlock` probed), wall (fastest of interleaved rounds) and floor (sum of
 * each node's fastest kernel time, onnxruntime's profiler), then the kernel time per op type of
 * both graphs, and per conv layer the GMAC/s of the weight gradient. Writes its section of
 * docs/bench-train.md between the profile markers (bench-tfjs.ts keeps that section).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as ort from 'onnxruntime-node';
import type { Model } from '../../src-main/core/onnx/ir';
import { buildGradientGraph } from '../../src-main/core/train/autodiff/gradient-graph';
import { differentiate } from '../../src-main/core/train/autodiff/differentiate';
import { nchwcBlockSize } from '../../src-main/core/train/nchwc-block';
import { initializeWeights } from '../../src-main/core/zoo/small/init';
import { smallZoo } from '../../src-main/core/zoo/small/registry';
import type { SmallZooName } from '../../src-main/core/zoo/small/registry';
import { compare, feedsFor, nodeTimesOf, PROFILE_END, PROFILE_START } from './common';
import { LAYERS, layerModel, macsPerImage } from './layers';

const DOC = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../docs/bench-train.md');
const BATCH = 64;
const NETS: [SmallZooName, string][] = [
  ['vgg_small', 'VGG-style'],
  ['resnet20', 'ResNet-20-style'],
  ['mobilenet_v2_small', 'MobileNetV2-style'],
];

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const THREADS = arg('--threads', '1,2').split(',').map(Number);
const ROUNDS = Number(arg('--rounds', '5'));

type Variants = Record<string, { model: Model; feeds: Record<string, ort.Tensor> }>;
const ms = (x: number) => x.toFixed(1);
const sumOf = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

async function netRows(block: number, lines: string[], ops: string[]): Promise<void> {
  lines.push(
    '| net | threads | forward | step, standard | step, blocked | step / forward, standard | step / forward, blocked | img/s, blocked |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const [name, title] of NETS) {
    const model = initializeWeights(smallZoo[name].build(), 1);
    const loss = { kind: 'cross-entropy' as const, labels: 'labels' };
    const graphs: Record<string, Model> = { forward: model, standard: buildGradientGraph(model, { loss }), blocked: buildGradientGraph(model, { loss, nchwcBlock: block }) };
    const variants: Variants = {};
    for (const [k, m] of Object.entries(graphs)) variants[k] = { model: m, feeds: feedsFor(m, model, BATCH) };
    for (const t of THREADS) {
      const wall = await compare(variants, t, ROUNDS, 1);
      const nodes = await nodeTimesOf(variants, t, ROUNDS + 3);
      const byOp: Record<string, Map<string, number>> = {};
      for (const [k, times] of Object.entries(nodes)) {
        byOp[k] = new Map();
        for (const { op, us } of times.values()) byOp[k].set(op, (byOp[k].get(op) ?? 0) + us / 1000);
      }
      const floor = (k: string) => sumOf(byOp[k]);
      const both = (k: string) => `${ms(wall[k])} / ${ms(floor(k))}`;
      const ratio = (k: string) => `${(wall[k] / wall.forward).toFixed(2)} / ${(floor(k) / floor('forward')).toFixed(2)}`;
      lines.push(`| ${title} | ${t} | ${both('forward')} | ${both('standard')} | ${both('blocked')} | ${ratio('standard')} | ${ratio('blocked')} | ${((BATCH * 1000) / wall.blocked).toFixed(0)} |`);
      const [a, b] = [byOp.standard, byOp.blocked];
      const top = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => Math.max(b.get(y) ?? 0, a.get(y) ?? 0) - Math.max(b.get(x) ?? 0, a.get(x) ?? 0)).slice(0, 14);
      ops.push(
        '',
        `${title}, ${t} thread${t > 1 ? 's' : ''}: ms per step by op type (sum of each node's fastest kernel time), standard ${ms(floor('standard'))}, blocked ${ms(floor('blocked'))}, inference forward ${ms(floor('forward'))}.`,
        '',
        '| op | standard | blocked |',
        '|---|---|---|',
        ...top.map((op) => `| ${op} | ${ms(a.get(op) ?? 0)} | ${ms(b.get(op) ?? 0)} |`),
      );
      process.stdout.write('.');
    }
  }
}

/** Per layer: extra ms of the weight gradient over the forward alone, standard and blocked, and GMAC/s. */
async function layerRows(block: number, threads: number, lines: string[]): Promise<void> {
  lines.push('| layer | MMAC | dW ms, standard | GMAC/s | forward ms, blocked | dW ms, blocked | GMAC/s |', '|---|---|---|---|---|---|---|');
  for (const l of LAYERS) {
    const m = layerModel(l);
    const feeds = feedsFor(m, m, BATCH);
    const graph = (nchwcBlock: number, wrt: string[]) => differentiate(m, { loss: 'loss', wrt, nchwcBlock });
    const t = await compare(
      {
        forward: { model: m, feeds },
        standard: { model: graph(0, ['w']), feeds },
        blockedForward: { model: graph(block, []), feeds },
        blocked: { model: graph(block, ['w']), feeds },
      },
      threads,
      ROUNDS,
      3,
    );
    const macs = macsPerImage(l) * BATCH;
    const dwStandard = t.standard - t.forward;
    const dwBlocked = t.blocked - t.blockedForward;
    const rate = (dt: number) => (dt > 0.05 ? (macs / dt / 1e6).toFixed(1) : '—');
    lines.push(`| ${l.name} | ${(macs / 1e6).toFixed(0)} | ${ms(dwStandard)} | ${rate(dwStandard)} | ${ms(t.blockedForward)} | ${ms(dwBlocked)} | ${rate(dwBlocked)} |`);
    process.stdout.write('.');
  }
}

async function main(): Promise<void> {
  const started = new Date();
  const loadStart = os.loadavg();
  const block = await nchwcBlockSize();
  const nets: string[] = [];
  const ops: string[] = [];
  await netRows(block, nets, ops);
  const layers: string[] = [];
  await layerRows(block, 1, layers);
  const loadEnd = os.loadavg();
  const cpu = os.cpus();
  const load = (l: number[]) => l.map((n) => n.toFixed(2)).join(', ');
  const section = [
    PROFILE_START,
    '## Where a step goes: standard against blocked convolutions (issue 16)',
    '',
    'Generated by `node --import tsx bench/train/bench-step-profile.ts`; do not edit by hand (bench-tfjs.ts keeps this section).',
    '',
    `- Machine: ${cpu[0].model}, ${cpu.length} cores, ${os.platform()} ${os.release()}, Node ${process.version}; onnxruntime NCHWc block ${block || 'unavailable'}`,
    `- Date: ${started.toISOString()}`,
    `- Load average (1, 5, 15 min) at start: ${load(loadStart)}; at end: ${load(loadEnd)}`,
    `- Batch ${BATCH}, 28x28x1, weights \`initializeWeights(model, 1)\`. "step" is the gradient graph alone (train-mode forward, loss, backward, running statistics), no optimiser. "standard": \`nchwcBlock\` 0, standard ONNX operators only; "blocked": the training graph Joule runs, forward and stride-1 input-gradient convs and depthwise weight gradients on onnxruntime's \`com.microsoft.nchwc\` kernels. Each cell: wall (fastest of ${ROUNDS} interleaved rounds) / floor (sum of each node's fastest kernel time over ${ROUNDS + 3} interleaved profiled runs), ms or ratio.`,
    '',
    ...nets,
    '',
    '### Kernel time per op type',
    ...ops,
    '',
    '### Weight gradient per layer, 1 thread',
    '',
    `Extra ms of the weight gradient over the forward conv alone (fastest of ${ROUNDS} interleaved rounds of 3), and the rate in GMAC/s (the weight gradient has the forward's MACs). Depthwise layers: blocked, one depthwise Conv per layer (\`conv-weight-depthwise-nchwc.ts\`); standard, the grouped swap Conv. Others: the same formulation in both columns (blocked only moves the forward), so their two columns differ by noise.`,
    '',
    ...layers,
    PROFILE_END,
  ].join('\n');
  let doc = readFileSync(DOC, 'utf8');
  const [i, j] = [doc.indexOf(PROFILE_START), doc.indexOf(PROFILE_END)];
  doc = i >= 0 && j > i ? doc.slice(0, i) + section + doc.slice(j + PROFILE_END.length) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(DOC, doc);
  console.log(`\n${section}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
