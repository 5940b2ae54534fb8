/**
 * Conv weight-gradient formulations on single layers of the small zoo (not a test):
 *
 *   node --import tsx bench/train/bench-conv-layers.ts [threads] [rounds]
 *
 * For each layer (batch 64), the ms of the forward Conv alone and the extra ms that each
 * `convWeightGrad` formulation adds to it (forward + dW minus forward), fastest of interleaved
 * runs. This is the measurement behind `chooseWeightGrad` in rules/conv-weight.ts. With
 * NCHWC_BLOCK=16 (or 8) in the environment the graphs use onnxruntime's blocked kernels
 * (`nchwcBlock`), so the forward and the depthwise weight gradient are the blocked ones.
 */
import type { Model } from '../../src-main/core/onnx/ir';
import { differentiate } from '../../src-main/core/train/autodiff/differentiate';
import type { AutodiffOptions } from '../../src-main/core/train/autodiff/rule';
import { compare, feedsFor } from './common';
import { LAYERS, layerModel } from './layers';

const threads = Number(process.argv[2] ?? 1);
const rounds = Number(process.argv[3] ?? 5);
const methods: AutodiffOptions['convWeightGrad'][] = ['im2col', 'batchlast', 'batched', 'swap', 'auto'];
const block = Number(process.env.NCHWC_BLOCK ?? 0);
console.log(`batch 64, ${threads} thread(s): forward Conv ms, then ms added by each weight-gradient formulation`);
const filter = process.argv[4];
for (const l of LAYERS.filter((x) => !filter || x.name.includes(filter))) {
  const m = layerModel(l);
  const feeds = feedsFor(m, m, 64);
  // The forward alone, blocked too when the gradients are.
  const forward = block > 0 ? differentiate(m, { loss: 'loss', wrt: [], nchwcBlock: block }) : m;
  const variants: Record<string, { model: Model; feeds: typeof feeds }> = { forward: { model: forward, feeds } };
  for (const method of methods) variants[method] = { model: differentiate(m, { loss: 'loss', wrt: ['w'], convWeightGrad: method, nchwcBlock: block }), feeds };
  const t = await compare(variants, threads, rounds, 3);
  const extra = methods.map((k) => `${k} ${(t[k] - t.forward).toFixed(1)}`).join(', ');
  console.log(`  ${l.name.padEnd(26)} forward ${t.forward.toFixed(1).padStart(5)}; ${extra}`);
}
