/**
 * Training-step speed of the small zoo against inference (not a test). From the repo root:
 *
 *   node --import tsx bench/train/bench-train-step.ts [net ...] [--threads 1,2] [--rounds 5]
 *
 * For each net at batch 64 (28x28x1) and each thread count, prints the ms of one inference
 * forward (weights constant, so onnxruntime folds BatchNormalization into the convs and picks
 * its NCHWc kernels), of one training step by the earlier formulations (`LEGACY` in
 * common.ts) and by the current defaults with onnxruntime's blocked convolutions where it has
 * them (`nchwcBlock`, as the trainer runs; gradient graph only: forward in training mode,
 * loss, backward; no optimiser), and the step / forward ratios. Two measures, since the
 * machine is shared: wall, the fastest run, variants interleaved round by round so load hits
 * them alike; and floor, the sum of each node's fastest kernel time over interleaved profiled
 * runs (`kernelFloors`), which estimates an undisturbed run and varies less between invocations.
 */
import type * as ort from 'onnxruntime-node';
import type { Model } from '../../src-main/core/onnx/ir';
import { buildGradientGraph } from '../../src-main/core/train/autodiff/gradient-graph';
import { nchwcBlockSize } from '../../src-main/core/train/nchwc-block';
import { initializeWeights } from '../../src-main/core/zoo/small/init';
import { smallZoo, smallZooNames } from '../../src-main/core/zoo/small/registry';
import type { SmallZooName } from '../../src-main/core/zoo/small/registry';
import { compare, feedsFor, kernelFloors, LEGACY } from './common';

const BATCH = 64;

function parseArgs(argv: string[]): { nets: SmallZooName[]; threads: number[]; rounds: number } {
  const nets: SmallZooName[] = [];
  let threads = [1, 2];
  let rounds = 5;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--threads') threads = argv[++i].split(',').map(Number);
    else if (argv[i] === '--rounds') rounds = Number(argv[++i]);
    else if ((smallZooNames as readonly string[]).includes(argv[i])) nets.push(argv[i] as SmallZooName);
    else throw new Error(`Unknown argument '${argv[i]}'; nets are ${smallZooNames.join(', ')}.`);
  }
  return { nets: nets.length > 0 ? nets : [...smallZooNames], threads, rounds };
}

const { nets, threads, rounds } = parseArgs(process.argv.slice(2));
const os = await import('node:os');
console.log(`batch ${BATCH}, 28x28x1; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
console.log(`wall: fastest run of ${rounds} interleaved rounds; floor: sum of each node's fastest kernel time over ${rounds + 3} interleaved profiled runs`);
const header = ['net', 'threads', 'forward', 'old step', 'new step', 'old/fwd', 'new/fwd', 'old/new'];
const row = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(20) : c.padStart(i < 2 ? 7 : 15))).join(' '));
row(header);
for (const name of nets) {
  const model = initializeWeights(smallZoo[name].build(), 1);
  const loss = { kind: 'cross-entropy' as const, labels: 'labels' };
  const graphs: Record<string, Model> = {
    forward: model,
    old: buildGradientGraph(model, { loss, ...LEGACY }),
    new: buildGradientGraph(model, { loss, nchwcBlock: await nchwcBlockSize() }),
  };
  const variants: Record<string, { model: Model; feeds: Record<string, ort.Tensor> }> = {};
  for (const [k, m] of Object.entries(graphs)) variants[k] = { model: m, feeds: feedsFor(m, model, BATCH) };
  for (const t of threads) {
    const wall = await compare(variants, t, rounds, 1);
    const floor = await kernelFloors(variants, t, rounds + 3);
    const both = (k: string) => `${wall[k].toFixed(1)} / ${floor[k].toFixed(1)}`;
    const ratio = (a: string, b: string) => `${(wall[a] / wall[b]).toFixed(2)} / ${(floor[a] / floor[b]).toFixed(2)}`;
    const cells = [name, String(t), both('forward'), both('old'), both('new'), ratio('old', 'forward'), ratio('new', 'forward'), ratio('old', 'new')];
    row(cells);
  }
}
console.log('(each cell: wall / floor, ms or ratio)');
