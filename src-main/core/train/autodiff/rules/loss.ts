/**
 * SoftmaxCrossEntropyLoss, in closed form: with p = softmax(scores) along axis 1 and y the
 * one-hot labels, d(loss_n)/d(scores_n) = w_n (p_n - y_n), where w_n is the class weight of
 * sample n (1 without weights, 0 for an ignored label); 'mean' divides by the sum of the w_n,
 * as ONNX defines the weighted mean.
 */
import { attrInt, attrString } from '../../../onnx/ir';
import type { GradientRule } from '../rule';

const softmaxCrossEntropy: GradientRule = {
  differentiable: [0],
  forward(ctx) {
    const { node, e } = ctx;
    const logProb = node.outputs[1] || e.fresh(`${node.name}/log_prob`);
    ctx.save('logProb', logProb);
    ctx.copy({ ...node, outputs: [node.outputs[0], logProb] });
  },
  backward(ctx) {
    const { node, e } = ctx;
    const labels = node.inputs[1];
    const dims = ctx.inDims(0);
    const k = dims[1];
    if (k === null) throw ctx.error('its class axis is dynamic');
    const rank = dims.length;
    const logProb = ctx.saved('logProb');
    const p = e.op('Exp', [logProb]);
    const parts: string[] = [];

    const dLoss = ctx.dy(0);
    if (dLoss !== undefined) {
      const classes = e.reshape(e.ints(Array.from({ length: k }, (_, i) => i)), [1, k, ...new Array<number>(rank - 2).fill(1)]);
      const onehot = e.cast(e.op('Equal', [e.op('Unsqueeze', [labels, e.ints([1])]), classes]), e.float);
      const ignore = node.attributes.ignore_index ? attrInt(node, 'ignore_index') : undefined;
      const valid = ignore === undefined ? undefined : e.op('Not', [e.op('Equal', [labels, e.ints([ignore])])]);
      let weight: string | undefined;
      if (ctx.has(2)) {
        const safe = valid ? e.op('Where', [valid, labels, e.ints([0])]) : labels;
        weight = e.op('Gather', [node.inputs[2], safe], {});
      }
      if (valid) weight = weight ? e.select(valid, weight) : e.cast(valid, e.float);
      const reduction = attrString(node, 'reduction', 'mean');
      let scale: string = dLoss;
      if (reduction === 'mean') {
        const total = weight ? e.op('ReduceSum', [weight], {}) : e.cast(e.op('Size', [labels]), e.float);
        scale = e.div(dLoss, total);
      } else if (reduction !== 'sum' && reduction !== 'none') {
        throw ctx.error(`reduction '${reduction}' is not one of mean, sum, none`);
      }
      if (weight) scale = e.mul(scale, weight);
      const perSample = reduction === 'none' || weight ? e.op('Unsqueeze', [scale, e.ints([1])]) : scale;
      parts.push(e.mul(e.sub(p, onehot), perSample));
    }
    const dLogProb = ctx.dy(1);
    if (dLogProb !== undefined) parts.push(e.sub(dLogProb, e.mul(p, e.reduceSum(dLogProb, [1], true))));
    return [e.sum(parts)];
  },
};

export const lossRules: Record<string, GradientRule> = {
  SoftmaxCrossEntropyLoss: softmaxCrossEntropy,
};
