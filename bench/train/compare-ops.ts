/**
 * Per-op-type kernel time of a training step by the earlier formulations and by the defaults
 * with onnxruntime's blocked convolutions (as the trainer runs), profiled in interleaved runs
 * (not a test):
 *
 *   node --import tsx bench/train/compare-ops.ts vgg_small [threads] [runs]
 */
import { buildGradientGraph } from '../../src-main/core/train/autodiff/gradient-graph';
import { nchwcBlockSize } from '../../src-main/core/train/nchwc-block';
import { initializeWeights } from '../../src-main/core/zoo/small/init';
import { smallZoo } from '../../src-main/core/zoo/small/registry';
import type { SmallZooName } from '../../src-main/core/zoo/small/registry';
import { feedsFor, LEGACY, nodeTimesOf } from './common';

const name = (process.argv[2] ?? 'vgg_small') as SmallZooName;
const threads = Number(process.argv[3] ?? 1);
const runs = Number(process.argv[4] ?? 8);
const model = initializeWeights(smallZoo[name].build(), 1);
const loss = { kind: 'cross-entropy' as const, labels: 'labels' };
const old = buildGradientGraph(model, { loss, ...LEGACY });
const current = buildGradientGraph(model, { loss, nchwcBlock: await nchwcBlockSize() });
const times = await nodeTimesOf({ old: { model: old, feeds: feedsFor(old, model, 64) }, new: { model: current, feeds: feedsFor(current, model, 64) } }, threads, runs);
const byOp = (k: string) => {
  const m = new Map<string, number>();
  for (const t of times[k].values()) m.set(t.op, (m.get(t.op) ?? 0) + t.us / 1000);
  return m;
};
const [a, b] = [byOp('old'), byOp('new')];
const ops = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => Math.max(b.get(y) ?? 0, a.get(y) ?? 0) - Math.max(b.get(x) ?? 0, a.get(x) ?? 0));
const sum = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
console.log(`${name}, ${threads} thread(s), ms per step (sum of each node's fastest of ${runs} runs): old ${sum(a).toFixed(1)}, new ${sum(b).toFixed(1)}`);
for (const op of ops) console.log(`  ${op.padEnd(24)} ${(a.get(op) ?? 0).toFixed(1).padStart(7)} ${(b.get(op) ?? 0).toFixed(1).padStart(7)}`);
