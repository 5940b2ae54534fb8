/**
 * Speed of the training graph in onnxruntime-node (not a test). Run from the repo root:
 *
 *   node --import tsx tests/core/train/autodiff/measure-step.ts
 *
 *   node --import tsx tests/core/train/autodiff/measure-step.ts vgg     (or: micro)
 *
 * Prints, for a VGG-style net (8 conv 3x3 + BN + ReLU, channels 32-64-128, 3 max pools,
 * 28x28x1 input, batch 64, 10 classes), with 1 and 2 intra-op threads and
 * graphOptimizationLevel 'all', the ms of:
 *   - the inference forward (weights constant: onnxruntime folds BN into the convs and uses its
 *     NCHWc conv kernels),
 *   - the training-mode forward (weights fed as inputs, batch statistics: what a step computes
 *     before its backward),
 *   - forward + backward (the gradient graph).
 * Then the micro-benchmarks that chose the defaults on a VGG layer (3x3, 32 -> 32, batch 64,
 * 28x28, 1 thread): Conv weight gradient by im2col vs the swap trick, input gradient by
 * ConvTranspose vs Conv with flipped weights, MaxPool gradient by mask vs Indices.
 * Times are the fastest of several runs: the machine is shared with other work. The per-layer
 * choice of weight-gradient formulation ('auto') and the small zoo's step against inference are
 * measured by bench/train/bench-conv-layers.ts and bench/train/bench-train-step.ts.
 */
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../../../../src-main/core/onnx/builder';
import type { Model } from '../../../../src-main/core/onnx/ir';
import { buildGradientGraph } from '../../../../src-main/core/train/autodiff/gradient-graph';
import { differentiate, GRAD_PREFIX } from '../../../../src-main/core/train/autodiff/differentiate';
import { pruneDead } from '../../../../src-main/core/train/autodiff/prune';
import type { AutodiffOptions } from '../../../../src-main/core/train/autodiff/rule';
import { fill } from './harness';
import { vggModel } from './vgg';
import { openSession } from '../../../../src-main/core/onnx/session';

const BATCH = 64;

function feedsFor(model: Model, batch: number): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  model.graph.inputs.forEach((v, i) => {
    const dims = (v.shape ?? []).map((d) => (typeof d === 'number' ? d : batch));
    const n = dims.reduce((x, y) => x * y, 1);
    feeds[v.name] =
      v.dtype === 'int64'
        ? new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, j) => BigInt(j % 10)), dims)
        : new ort.Tensor('float32', Float32Array.from(fill(n, 'normal', 100 + i)), dims);
  });
  // Trainable weights are inputs of the gradient graph: feed their current values.
  for (const [name, t] of model.graph.initializers) if (feeds[name]) feeds[name] = new ort.Tensor('float32', t.data as Float32Array, t.dims);
  return feeds;
}

/** Fastest of `runs` session runs after one warm-up: the machine is shared, and the minimum is the least disturbed. */
async function time(model: Model, threads: number, feeds: Record<string, ort.Tensor>, runs = 7): Promise<number> {
  const s = await openSession(model, { threads });
  await s.run(feeds);
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await s.run(feeds);
    best = Math.min(best, performance.now() - t0);
  }
  await s.release();
  return best;
}

/** The training graph without its gradients: the training-mode forward (weights as inputs, batch statistics). */
function forwardOnly(train: Model): Model {
  const graph = { ...train.graph, nodes: [...train.graph.nodes], initializers: new Map(train.graph.initializers), valueInfo: new Map(train.graph.valueInfo) };
  graph.outputs = graph.outputs.filter((o) => !o.name.startsWith(GRAD_PREFIX));
  pruneDead(graph);
  return { ...train, graph };
}

/** The gradient graph with the weights fed as they would be during training. */
function trainFeeds(model: Model, train: Model): Record<string, ort.Tensor> {
  const feeds = feedsFor(train, BATCH);
  for (const [name, t] of model.graph.initializers) if (feeds[name]) feeds[name] = new ort.Tensor('float32', t.data as Float32Array, t.dims);
  return feeds;
}

async function vgg(): Promise<void> {
  const model = vggModel();
  const fwdFeeds = feedsFor(model, BATCH);
  const loss = { kind: 'cross-entropy' as const, labels: 'labels' };
  const train = buildGradientGraph(model, { loss });
  const feeds = trainFeeds(model, train);
  console.log('VGG-style net, batch 64, 28x28x1, graphOptimizationLevel all (fastest of 7 runs, ms)');
  for (const threads of [1, 2]) {
    const inference = await time(model, threads, fwdFeeds);
    const trainForward = await time(forwardOnly(train), threads, feeds);
    const both = await time(train, threads, feeds);
    console.log(
      `  threads ${threads}: inference forward ${inference.toFixed(1)}, training-mode forward ${trainForward.toFixed(1)}, ` +
        `forward+backward ${both.toFixed(1)} = ${(both / inference).toFixed(2)}x inference, ${(both / trainForward).toFixed(2)}x training forward`,
    );
  }
  for (const [label, options] of [
    ['swap weight grad', { convWeightGrad: 'swap' }],
    ['Indices max pool', { maxPoolGrad: 'indices' }],
  ] as [string, Partial<AutodiffOptions>][]) {
    const variant = buildGradientGraph(model, { loss, ...options });
    console.log(`  threads 1, ${label}: forward+backward ${(await time(variant, 1, feeds, 3)).toFixed(1)}`);
  }
}

/** Weight gradient alone on one VGG layer: x [64, 32, 28, 28], dy [64, 32, 28, 28], 3x3 pad 1. */
async function weightGrad(): Promise<void> {
  const threads = 1;
  const make = (method: AutodiffOptions['convWeightGrad'] | 'forward') => {
    const b = new GraphBuilder(17);
    b.input('x', ['N', 32, 28, 28]);
    b.input('w', [32, 32, 3, 3]);
    const y = b.op('Conv', ['x', 'w'], { pads: [1, 1, 1, 1] });
    if (method === 'forward') {
      b.output(y);
      return b.model;
    }
    b.input('r', ['N', 32, 28, 28]);
    // loss = sum(y * r): dy = r, so the graph's backward is exactly the weight gradient.
    b.node('ReduceSum', [b.op('Mul', [y, 'r'])], { keepdims: 0 }, ['loss']);
    b.output('loss');
    return differentiate(b.model, { loss: 'loss', wrt: ['w'], convWeightGrad: method });
  };
  const feeds = feedsFor(make('forward'), BATCH);
  const fwd = await time(make('forward'), threads, feeds);
  const withR = { ...feeds, r: feeds.x };
  const im2col = await time(make('im2col'), threads, withR);
  const swap = await time(make('swap'), threads, withR);
  console.log(`Conv 3x3 32->32, batch 64, 28x28, 1 thread: forward conv ${fwd.toFixed(1)}; forward + weight grad: im2col ${im2col.toFixed(1)}, swap ${swap.toFixed(1)}`);
}

/** Input gradient of the same layer: ConvTranspose(dy, W) against Conv(dy, W flipped), both with W a graph input. */
async function inputGrad(): Promise<void> {
  const make = (op: 'ConvTranspose' | 'Conv') => {
    const b = new GraphBuilder(17);
    b.input('dy', ['N', 32, 28, 28]);
    b.input('w', [32, 32, 3, 3]);
    b.output(b.op('ReduceSum', [b.op(op, ['dy', 'w'], { pads: [1, 1, 1, 1] })], { keepdims: 0 }));
    return b.model;
  };
  const feeds = feedsFor(make('Conv'), BATCH);
  const transpose = await time(make('ConvTranspose'), 1, feeds);
  const conv = await time(make('Conv'), 1, feeds);
  console.log(`Conv 3x3 32->32 input gradient, batch 64, 28x28, 1 thread: ConvTranspose ${transpose.toFixed(1)}, Conv with flipped weights ${conv.toFixed(1)}`);
}

/** MaxPool 2x2/2 forward + input gradient on x [64, 32, 28, 28]. */
async function maxPool(): Promise<void> {
  const make = (method: AutodiffOptions['maxPoolGrad']) => {
    const b = new GraphBuilder(17);
    b.input('x', ['N', 32, 28, 28]);
    b.input('r', ['N', 32, 14, 14]);
    const y = b.op('MaxPool', ['x'], { kernel_shape: [2, 2], strides: [2, 2] });
    b.node('ReduceSum', [b.op('Mul', [y, 'r'])], { keepdims: 0 }, ['loss']);
    b.output('loss');
    return differentiate(b.model, { loss: 'loss', wrt: ['x'], maxPoolGrad: method });
  };
  const feeds = feedsFor(make('mask'), BATCH);
  const mask = await time(make('mask'), 1, feeds);
  const indices = await time(make('indices'), 1, feeds);
  console.log(`MaxPool 2x2/2 on [64, 32, 28, 28], forward + input grad, 1 thread: mask ${mask.toFixed(1)}, indices ${indices.toFixed(1)}`);
}

console.log(`load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`);
const what = process.argv[2] ?? 'all';
if (what === 'all' || what === 'vgg') await vgg();
if (what === 'all' || what === 'micro') {
  await weightGrad();
  await inputGrad();
  await maxPool();
}
