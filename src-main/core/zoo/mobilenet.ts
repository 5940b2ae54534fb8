/**
 * MobileNet-v1 (Howard et al., 2017, Table 1; TF-slim `mobilenet_v1`) and MobileNet-v2
 * (Sandler et al., CVPR 2018; torchvision `mobilenet_v2`). Both use ReLU6.
 */
import type { Model } from '../onnx/ir';
import { Net } from './net';
import type { NetOptions } from './net';

function convBnRelu6(net: Net, prefix: string, x: string, out: number, k: number, stride: number, groups = 1): string {
  const y = net.conv(`${prefix}.conv`, x, out, k, { stride, pad: (k - 1) / 2, groups, bias: false });
  return net.relu6(`${prefix}.relu6`, net.bn(`${prefix}.bn`, y));
}

/** MobileNet-v1 1.0: (pointwise output channels, depthwise stride) of the 13 separable blocks. */
const V1_BLOCKS: [number, number][] = [
  [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2],
  [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1],
];

/**
 * MobileNet-v1 1.0 224. TF-slim's classifier is a 1x1 convolution to 1001 classes (with a
 * background class); here it is a fully connected layer to 1000, 1,025 parameters fewer.
 */
export function mobilenetV1(options: NetOptions = {}): Model {
  const net = new Net('mobilenet_v1', options);
  let x = convBnRelu6(net, 'conv0', net.x, net.ch(32), 3, 2);
  V1_BLOCKS.forEach(([out, stride], i) => {
    const c = net.channelsOf(x);
    x = convBnRelu6(net, `block${i + 1}.dw`, x, c, 3, stride, c);
    x = convBnRelu6(net, `block${i + 1}.pw`, x, net.ch(out), 1, 1);
  });
  x = net.flatten('flatten', net.globalAvgPool('avgpool', x));
  return net.output(net.linear('fc', x, net.channelsOf(x), 1000));
}

/** MobileNet-v2 inverted residual settings: expansion t, channels c, repeats n, stride s. */
const V2_SETTINGS: [number, number, number, number][] = [
  [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
];

/** torchvision's `_make_divisible`: round to a multiple of 8, never more than 10% down. */
function divisible8(v: number): number {
  const rounded = Math.max(8, Math.floor((v + 4) / 8) * 8);
  return rounded < 0.9 * v ? rounded + 8 : rounded;
}

/** MobileNet-v2 1.0 224 (torchvision). */
export function mobilenetV2(options: NetOptions = {}): Model {
  const net = new Net('mobilenet_v2', options);
  const width = options.width ?? 1;
  const ch = (c: number) => divisible8(c * width);
  let x = convBnRelu6(net, 'features.0', net.x, ch(32), 3, 2);
  let index = 1;
  for (const [t, c, n, s] of V2_SETTINGS) {
    for (let i = 0; i < n; i++) {
      const prefix = `features.${index++}`;
      const inp = net.channelsOf(x);
      const out = ch(c);
      const stride = i === 0 ? s : 1;
      const hidden = Math.round(inp * t);
      let y = x;
      if (t !== 1) y = convBnRelu6(net, `${prefix}.expand`, y, hidden, 1, 1);
      y = convBnRelu6(net, `${prefix}.dw`, y, hidden, 3, stride, hidden);
      y = net.bn(`${prefix}.project.bn`, net.conv(`${prefix}.project.conv`, y, out, 1, { bias: false }));
      x = stride === 1 && inp === out ? net.sum(`${prefix}.add`, x, y) : y;
    }
  }
  x = convBnRelu6(net, `features.${index}`, x, width > 1 ? ch(1280) : 1280, 1, 1);
  x = net.flatten('flatten', net.globalAvgPool('avgpool', x));
  return net.output(net.linear('classifier.1', x, net.channelsOf(x), 1000));
}
