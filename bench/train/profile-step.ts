/**
 * Where a training step spends its time, by onnxruntime's profiler (not a test):
 *
 *   node --import tsx bench/train/profile-step.ts mobilenet_v2_small [threads] [option=value ...]
 *
 * e.g. `convWeightGrad=im2col`, `nchwcBlock=0` (default: the block size onnxruntime reports,
 * as the trainer uses). Prints ms/step (fastest run) and, from each node's fastest kernel time
 * over the profiled runs, the time per op type and per node.
 */
import { buildGradientGraph } from '../../src-main/core/train/autodiff/gradient-graph';
import { initializeWeights } from '../../src-main/core/zoo/small/init';
import { nchwcBlockSize } from '../../src-main/core/train/nchwc-block';
import { smallZoo } from '../../src-main/core/zoo/small/registry';
import type { SmallZooName } from '../../src-main/core/zoo/small/registry';
import { fastest, feedsFor, nodeTimesOf, open } from './common';

const name = (process.argv[2] ?? 'vgg_small') as SmallZooName;
const threads = Number(process.argv[3] ?? 1);
const numeric = (v: string) => (v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v);
const options = { nchwcBlock: await nchwcBlockSize(), ...Object.fromEntries(process.argv.slice(4).map((kv) => kv.split('=')).map(([k, v]) => [k, numeric(v)])) };
const model = initializeWeights(smallZoo[name].build(), 1);
const train = buildGradientGraph(model, { loss: { kind: 'cross-entropy', labels: 'labels' }, ...options });
const feeds = feedsFor(train, model, 64);
const runs = 5;
const s = await open(train, threads);
const best = await fastest(s, feeds, runs, 1);
await s.release();
const fastestOf = (await nodeTimesOf({ train: { model: train, feeds } }, threads, runs)).train;
const byOp = new Map<string, number>();
const byNode = new Map<string, number>();
for (const [n, { op, us }] of fastestOf) {
  byOp.set(op, (byOp.get(op) ?? 0) + us);
  byNode.set(n, us);
}
const perRun = (us: number) => (us / 1000).toFixed(1);
const total = [...byOp.values()].reduce((a, b) => a + b, 0);
console.log(`${name}, ${threads} thread(s), ${JSON.stringify(options)}: fastest ${best.toFixed(1)} ms/step, sum of each node's fastest kernel time ${perRun(total)} ms, ${train.graph.nodes.length} nodes`);
for (const [op, d] of [...byOp].sort((a, b) => b[1] - a[1]).slice(0, 16)) console.log(`  ${op.padEnd(26)} ${perRun(d).padStart(7)}`);
// GROUP=regex sums the nodes whose names match each capture, e.g. GROUP='(depthwise|expand|project)\.conv/grad'.
if (process.env.GROUP) {
  const re = new RegExp(process.env.GROUP);
  const groups = new Map<string, number>();
  for (const [n, d] of byNode) {
    const m = re.exec(n);
    const key = m ? m.slice(1).join(' ') || m[0] : '(other)';
    groups.set(key, (groups.get(key) ?? 0) + d);
  }
  console.log('  groups:');
  for (const [k, d] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(40)} ${perRun(d).padStart(7)}`);
}
console.log('  top nodes:');
for (const [n, d] of [...byNode].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 15))) console.log(`  ${n.padEnd(70)} ${perRun(d).padStart(7)}`);
