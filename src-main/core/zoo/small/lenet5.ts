/** LeNet-5 for 28x28 grayscale input (LeCun et al. 1998), with ReLU and max pooling as usually trained today. */
import { GraphBuilder } from '../../onnx/builder';
import type { Model } from '../../onnx/ir';

export function buildLenet5(classes = 10): Model {
  const g = new GraphBuilder(17);
  g.model.graph.name = 'lenet5';
  let x = g.input('input', ['N', 1, 28, 28]);
  x = g.op('Relu', [g.op('Conv', [x, g.weight('conv1.weight', [6, 1, 5, 5]), g.weight('conv1.bias', [6])], { pads: [2, 2, 2, 2] })]);
  x = g.op('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
  x = g.op('Relu', [g.op('Conv', [x, g.weight('conv2.weight', [16, 6, 5, 5]), g.weight('conv2.bias', [16])])]);
  x = g.op('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
  x = g.op('Flatten', [x], { axis: 1 });
  x = g.op('Relu', [g.op('Gemm', [x, g.weight('fc1.weight', [120, 400]), g.weight('fc1.bias', [120])], { transB: 1 })]);
  x = g.op('Relu', [g.op('Gemm', [x, g.weight('fc2.weight', [84, 120]), g.weight('fc2.bias', [84])], { transB: 1 })]);
  const logits = g.node('Gemm', [x, g.weight('fc3.weight', [classes, 84]), g.weight('fc3.bias', [classes])], { transB: 1 }, ['logits'])[0];
  g.output(logits);
  return g.model;
}
