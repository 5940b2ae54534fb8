/**
 * Conv weight-gradient formulations on single layers of the small zoo (not a test):
 *
 *   node --import tsx bench/train/bench-conv-layers.ts [threads] [rounds]
 *
 * For each layer (batch 64), the ms of the forward Conv alone and the extra ms that each
 * `convWeightGrad` formulation adds to it (forward + dW minus forward), fastest of interleaved
 * runs. This is the measurement behind `chooseWeightGrad` in rules/conv-weight.ts.
 */
import { GraphBuilder } from '../../src-main/core/onnx/builder';
import type { Model } from '../../src-main/core/onnx/ir';
import { differentiate } from '../../src-main/core/train/autodiff/differentiate';
import type { AutodiffOptions } from '../../src-main/core/train/autodiff/rule';
import { compare, feedsFor } from './common';

interface Layer {
  name: string;
  c: number;
  o: number;
  size: number;
  kernel: number;
  stride: number;
  group: number;
}

const layer = (name: string, c: number, o: number, size: number, kernel: number, stride = 1, group = 1): Layer => ({ name, c, o, size, kernel, stride, group });
const LAYERS: Layer[] = [
  layer('vgg stem 3x3 1->32 @28', 1, 32, 28, 3),
  layer('vgg 3x3 32->32 @28', 32, 32, 28, 3),
  layer('vgg 3x3 32->64 @14', 32, 64, 14, 3),
  layer('vgg 3x3 64->64 @14', 64, 64, 14, 3),
  layer('vgg 3x3 128->128 @7', 128, 128, 7, 3),
  layer('resnet 3x3 16->16 @28', 16, 16, 28, 3),
  layer('resnet 3x3 16->32 /2 @28', 16, 32, 28, 3, 2),
  layer('resnet 1x1 16->32 /2 @28', 16, 32, 28, 1, 2),
  layer('mbv2 1x1 16->96 @28', 16, 96, 28, 1),
  layer('mbv2 1x1 144->24 @14', 144, 24, 14, 1),
  layer('mbv2 1x1 64->384 @7', 64, 384, 7, 1),
  layer('mbv2 1x1 384->96 @7', 384, 96, 7, 1),
  layer('mbv2 dw 3x3 96 /2 @28', 96, 96, 28, 3, 2, 96),
  layer('mbv2 dw 3x3 144 @14', 144, 144, 14, 3, 1, 144),
  layer('mbv2 dw 3x3 384 @7', 384, 384, 7, 3, 1, 384),
];

function model(l: Layer): Model {
  const b = new GraphBuilder(17);
  b.input('x', ['N', l.c, l.size, l.size]);
  b.input('w', [l.o, l.c / l.group, l.kernel, l.kernel]);
  const pad = (l.kernel - 1) / 2;
  const y = b.op('Conv', ['x', 'w'], { pads: [pad, pad, pad, pad], strides: [l.stride, l.stride], group: l.group });
  const out = Math.floor((l.size + 2 * pad - l.kernel) / l.stride) + 1;
  b.input('r', ['N', l.o, out, out]);
  b.node('ReduceSum', [b.op('Mul', [y, 'r'])], { keepdims: 0 }, ['loss']);
  b.output('loss');
  return b.model;
}

const threads = Number(process.argv[2] ?? 1);
const rounds = Number(process.argv[3] ?? 5);
const methods: AutodiffOptions['convWeightGrad'][] = ['im2col', 'batchlast', 'batched', 'swap', 'auto'];
const block = Number(process.env.NCHWC_BLOCK ?? 0);
console.log(`batch 64, ${threads} thread(s): forward Conv ms, then ms added by each weight-gradient formulation`);
const filter = process.argv[4];
for (const l of LAYERS.filter((x) => !filter || x.name.includes(filter))) {
  const m = model(l);
  const feeds = feedsFor(m, m, 64);
  const variants: Record<string, { model: Model; feeds: typeof feeds }> = { forward: { model: m, feeds } };
  for (const method of methods) variants[method] = { model: differentiate(m, { loss: 'loss', wrt: ['w'], convWeightGrad: method, nchwcBlock: block }), feeds };
  const t = await compare(variants, threads, rounds, 3);
  const extra = methods.map((k) => `${k} ${(t[k] - t.forward).toFixed(1)}`).join(', ');
  console.log(`  ${l.name.padEnd(26)} forward ${t.forward.toFixed(1).padStart(5)}; ${extra}`);
}
