/**
 * Which efficiency class a layer's arithmetic runs at (common/devices/profile.ts `layerClasses`):
 * Gemm and MatMul are `fc`; a convolution with more than one group whose groups each see at most
 * a few input channels is `depthwise` (grouped convolutions with wide groups count as regular
 * ones); a 1x1 convolution is `pointwise`; other convolutions are `conv` up to a 3x3 window and
 * `convLarge` above it (AlexNet's 11x11 and 5x5, ResNet's 7x7 stem). ConvTranspose is classed
 * like the convolution it transposes. Decided from the graph alone, never from a model's name.
 */
import type { LayerClass } from '../../common/devices/profile';
import type { ShapeOf } from '../onnx/count';
import { attrInt, tensorSize } from '../onnx/ir';
import type { Node } from '../onnx/ir';

/** Input channels per group at or below which a grouped convolution is treated as depthwise. */
const DEPTHWISE_CHANNELS_PER_GROUP = 4;

export function layerClass(node: Node, shape: ShapeOf): LayerClass {
  if (node.opType === 'Gemm' || node.opType === 'MatMul') return 'fc';
  const weight = shape(node.inputs[1]);
  const groups = attrInt(node, 'group', 1);
  const perGroup = node.opType === 'ConvTranspose' ? (weight[0] ?? 1) / groups : (weight[1] ?? 1);
  if (groups > 1 && perGroup <= DEPTHWISE_CHANNELS_PER_GROUP) return 'depthwise';
  const window = tensorSize(weight.slice(2));
  if (window <= 1) return 'pointwise';
  return Math.max(...weight.slice(2)) <= 3 ? 'conv' : 'convLarge';
}
