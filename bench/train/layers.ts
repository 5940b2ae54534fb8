/**
 * Single conv layers of the small zoo (batch 64, 28x28 input nets) as tiny models
 * x -> Conv(x, w) -> loss = ReduceSum(y * r), for the per-layer benchmarks: which weight-gradient
 * formulation is fastest (`bench-conv-layers.ts`) and at how many GMAC/s (`bench-step-profile.ts`).
 */
import { GraphBuilder } from '../../src-main/core/onnx/builder';
import type { Model } from '../../src-main/core/onnx/ir';

export interface Layer {
  name: string;
  c: number;
  o: number;
  size: number;
  kernel: number;
  stride: number;
  group: number;
}

const layer = (name: string, c: number, o: number, size: number, kernel: number, stride = 1, group = 1): Layer => ({ name, c, o, size, kernel, stride, group });
export const LAYERS: Layer[] = [
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

export const outputSize = (l: Layer) => Math.floor((l.size + 2 * ((l.kernel - 1) / 2) - l.kernel) / l.stride) + 1;

/** Multiply-accumulates of the layer's forward conv (and of its weight gradient) per image. */
export const macsPerImage = (l: Layer) => l.o * (l.c / l.group) * l.kernel * l.kernel * outputSize(l) ** 2;

export function layerModel(l: Layer): Model {
  const b = new GraphBuilder(17);
  b.input('x', ['N', l.c, l.size, l.size]);
  b.input('w', [l.o, l.c / l.group, l.kernel, l.kernel]);
  const pad = (l.kernel - 1) / 2;
  const y = b.op('Conv', ['x', 'w'], { pads: [pad, pad, pad, pad], strides: [l.stride, l.stride], group: l.group });
  const out = outputSize(l);
  b.input('r', ['N', l.o, out, out]);
  b.node('ReduceSum', [b.op('Mul', [y, 'r'])], { keepdims: 0 }, ['loss']);
  b.output('loss');
  return b.model;
}
