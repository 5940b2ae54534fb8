/**
 * BatchNormalization and Dropout, the two operators whose training-mode forward differs from
 * inference.
 *
 * BatchNormalization in train mode runs onnxruntime's own training-mode kernel for the batch
 * statistics and y in one node (`batchNormStats: 'kernel'`; 'reduce' is the earlier lowering
 * by ReduceMean/ReduceSumSquare and the inference kernel). Its backward is the closed form
 * (Ioffe & Szegedy 2015, sec. 3), with xhat = (x - mean) * invstd and M elements per channel:
 *   dbeta = sum(dy), dgamma = sum(dy * xhat),
 *   dx = gamma * invstd * (dy - sum(dy) / M - xhat * sum(dy * xhat) / M),
 * a per-channel affine map of dy plus a per-channel multiple of x. sum(dy * (x - mean)) is
 * taken as sum(dy * x) - mean * sum(dy), so x - mean is never materialised (in the forward or
 * the backward); the cancellation this risks is small while |mean| is not far above the
 * standard deviation, as after a convolution. The running statistics follow the ONNX
 * definition: running = momentum * running + (1 - momentum) * batch, with the biased batch
 * variance.
 * Frozen mode keeps the inference node: y is a per-channel affine map of x, so
 * dx = dy * gamma * invstd_running, and only gamma and beta learn.
 */
import { attrFloat } from '../../../onnx/ir';
import type { Node } from '../../../onnx/ir';
import { float, int, ints } from '../attrs';
import type { ForwardContext, GradientRule } from '../rule';

/** Prefix of the updated running statistics: `running.bn1.running_mean`. */
export const RUNNING_PREFIX = 'running.';

function statAxes(rank: number): number[] {
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
}

/** [1, C, 1, 1]: a per-channel vector shaped to broadcast over an input of `rank`. */
function channelShape(c: number, rank: number): number[] {
  return [1, c, ...new Array<number>(rank - 2).fill(1)];
}

/** The inference node: one output, no training_mode. */
function inferenceNode(node: Node): Node {
  const { training_mode: _ignored, ...attributes } = node.attributes;
  return { ...node, outputs: [node.outputs[0]], attributes };
}

/**
 * Batch mean and biased variance ([C] each) by onnxruntime's training-mode kernel: with
 * momentum 0 its running outputs are exactly the batch statistics (two-pass, like the
 * lowering). The kernel writes those outputs over its running-statistics inputs (it declares
 * them aliases), so each input is a private [C] tensor no optimiser pass can fold or merge:
 * 0 * x[0, :, 0...] + a constant distinct per node and per input. A shared initializer would
 * be overwritten for every other reader (onnxruntime merges equal initializers), and the
 * model's running statistics are read again by the update. Being taken from x, the zeros are
 * NaN exactly when the batch statistics are.
 */
function kernelStats(ctx: ForwardContext, c: number, eps: number): { mean: string; variance: string } {
  const { node, e } = ctx;
  const [x, gamma, beta] = node.inputs;
  const rank = ctx.inDims(0).length;
  const axes = statAxes(rank);
  const corner = e.op('Slice', [x, e.ints(axes.map(() => 0)), e.ints(axes.map(() => 1)), e.ints(axes)]);
  const zeros = e.reshape(e.mul(corner, e.scalar(0)), [c]);
  const privateInput = (k: number) => e.add(zeros, e.scalar(2 * ctx.index + k));
  const [, mean, variance] = e.node(
    'BatchNormalization',
    [x, gamma, beta, privateInput(1), privateInput(2)],
    { epsilon: float(eps), momentum: float(0), training_mode: int(1) },
    [node.outputs[0], e.fresh(`${node.name}/batch_mean`), e.fresh(`${node.name}/batch_var`)],
  );
  return { mean, variance };
}

/** The earlier lowering: ReduceMean, ReduceSumSquare of x - mean, then the inference node. */
function reducedStats(ctx: ForwardContext, c: number, eps: number): { mean: string; variance: string } {
  const { node, e } = ctx;
  const [x, gamma, beta] = node.inputs;
  const axes = statAxes(ctx.inDims(0).length);
  const mean = e.reduceMean(x, axes, true);
  const xc = e.sub(x, mean);
  const variance = e.div(e.op('ReduceSumSquare', [xc], { axes: ints(axes), keepdims: int(1) }), e.count(x, axes));
  const meanC = e.reshape(mean, [c]);
  const varC = e.reshape(variance, [c]);
  e.node('BatchNormalization', [x, gamma, beta, meanC, varC], { epsilon: float(eps) }, [node.outputs[0]]);
  return { mean: meanC, variance: varC };
}

const batchNorm: GradientRule = {
  differentiable: [0, 1, 2],
  forward(ctx) {
    const { node, e } = ctx;
    if (ctx.options.batchNormMode === 'frozen') return ctx.copy(inferenceNode(node));
    const [, , , runningMean, runningVar] = node.inputs;
    const dims = ctx.inDims(0);
    const c = dims[1];
    if (c === null) throw ctx.error('its input has a dynamic channel count');
    const eps = attrFloat(node, 'epsilon', 1e-5);
    const momentum = attrFloat(node, 'momentum', 0.9);
    const { mean, variance } = ctx.options.batchNormStats === 'kernel' ? kernelStats(ctx, c, eps) : reducedStats(ctx, c, eps);
    const shape = channelShape(c, dims.length);
    ctx.save('mean', e.reshape(mean, shape));
    ctx.save('invstd', e.reshape(e.op('Reciprocal', [e.op('Sqrt', [e.add(variance, e.scalar(eps))])]), shape));

    const update = (running: string, batch: string, output: string | undefined) => {
      const name = `${RUNNING_PREFIX}${running}`;
      const next = e.add(e.mul(running, e.scalar(momentum)), e.mul(batch, e.scalar(1 - momentum)));
      e.node('Identity', [next], {}, [name]);
      ctx.output(name, [c]);
      if (output) e.node('Identity', [next], {}, [output]);
    };
    update(runningMean, mean, node.outputs[1]);
    update(runningVar, variance, node.outputs[2]);
  },
  backward(ctx) {
    const { node, e } = ctx;
    const dy = ctx.dy(0)!;
    const [x, gamma, , runningMean, runningVar] = node.inputs;
    const dims = ctx.inDims(0);
    const c = dims[1] as number;
    const axes = statAxes(dims.length);
    const shape = channelShape(c, dims.length);
    const eps = attrFloat(node, 'epsilon', 1e-5);
    const grads: (string | undefined)[] = [undefined, undefined, undefined];
    const needGamma = ctx.needs(1);
    const needX = ctx.needs(0);
    let sdyMemo: string | undefined;
    const sdy = () => (sdyMemo ??= e.reduceSum(dy, axes, true));
    if (ctx.needs(2)) grads[2] = e.reshape(sdy(), [c]);

    if (ctx.options.batchNormMode === 'frozen') {
      const invstd = e.op('Reciprocal', [e.op('Sqrt', [e.add(runningVar, e.scalar(eps))])]);
      if (needX) grads[0] = e.mul(dy, e.reshape(e.mul(gamma, invstd), shape));
      if (needGamma) {
        const sdyx = e.reduceSum(e.mul(dy, x), axes, false);
        grads[1] = e.mul(e.sub(sdyx, e.mul(runningMean, e.reshape(sdy(), [c]))), invstd);
      }
      return grads;
    }

    if (!needX && !needGamma) return grads;
    const mean = ctx.saved('mean');
    const invstd = ctx.saved('invstd');
    // sum(dy * (x - mean)) without materialising x - mean: one product pass fewer.
    const sdyxc = e.sub(e.reduceSum(e.mul(dy, x), axes, true), e.mul(mean, sdy()));
    if (needGamma) grads[1] = e.reshape(e.mul(sdyxc, invstd), [c]);
    if (needX) {
      const inverseCount = e.div(e.scalar(1), e.count(x, axes));
      const a = e.mul(e.reshape(gamma, shape), invstd);
      const aOverM = e.mul(a, inverseCount);
      const b = e.neg(e.mul(e.mul(aOverM, e.mul(invstd, invstd)), sdyxc));
      // dx = a dy + b (x - mean) + shift = (a dy + shift - b mean) + b x.
      const shift = e.sub(e.neg(e.mul(aOverM, sdy())), e.mul(b, mean));
      // a * dy + shift in one pass: the inference kernel with mean 0, var 1 and epsilon 0 is a per-channel affine map.
      const affine = e.op(
        'BatchNormalization',
        [dy, e.reshape(a, [c]), e.reshape(shift, [c]), e.floats(new Array<number>(c).fill(0), [c]), e.floats(new Array<number>(c).fill(1), [c])],
        { epsilon: float(0) },
      );
      grads[0] = e.add(affine, e.mul(x, b));
    }
    return grads;
  },
};

/** Dropout is always active in the training graph; the gradient goes through the same mask. */
const dropout: GradientRule = {
  differentiable: [0],
  forward(ctx) {
    const { node, e } = ctx;
    const ratio = node.inputs[1] || e.scalar(0.5);
    const mask = node.outputs[1] || e.fresh(`${node.name}/mask`);
    ctx.save('mask', mask);
    e.node('Dropout', [node.inputs[0], ratio, e.bool(true)], { seed: int(ctx.options.dropoutSeed + ctx.index) }, [node.outputs[0], mask]);
  },
  backward(ctx) {
    const { e } = ctx;
    const r = ctx.has(1) ? ctx.constant(1)?.[0] : 0.5;
    const scale = r !== undefined ? e.scalar(1 / (1 - r)) : e.div(e.scalar(1), e.sub(e.scalar(1), e.cast(ctx.node.inputs[1], e.float)));
    return [e.select(ctx.saved('mask'), e.mul(ctx.dy(0)!, scale))];
  },
};

export const normRules: Record<string, GradientRule> = {
  BatchNormalization: batchNorm,
  Dropout: dropout,
};
