/**
 * ResNet-18 and ResNet-50 as torchvision defines them (He et al., CVPR 2016; torchvision puts
 * the stride of a bottleneck on its 3x3 convolution, the "v1.5" variant).
 */
import type { Model } from '../onnx/ir';
import { Net } from './net';
import type { NetOptions } from './net';

type Block = 'basic' | 'bottleneck';

const EXPANSION: Record<Block, number> = { basic: 1, bottleneck: 4 };

function convBn(net: Net, name: string, bnName: string, x: string, out: number, k: number, stride: number): string {
  return net.bn(bnName, net.conv(name, x, out, k, { stride, pad: (k - 1) / 2, bias: false }));
}

function block(net: Net, kind: Block, prefix: string, x: string, planes: number, stride: number): string {
  const out = planes * EXPANSION[kind];
  let y: string;
  if (kind === 'basic') {
    y = net.relu(`${prefix}.relu1`, convBn(net, `${prefix}.conv1`, `${prefix}.bn1`, x, planes, 3, stride));
    y = convBn(net, `${prefix}.conv2`, `${prefix}.bn2`, y, planes, 3, 1);
  } else {
    y = net.relu(`${prefix}.relu1`, convBn(net, `${prefix}.conv1`, `${prefix}.bn1`, x, planes, 1, 1));
    y = net.relu(`${prefix}.relu2`, convBn(net, `${prefix}.conv2`, `${prefix}.bn2`, y, planes, 3, stride));
    y = convBn(net, `${prefix}.conv3`, `${prefix}.bn3`, y, out, 1, 1);
  }
  const shortcut =
    stride !== 1 || net.channelsOf(x) !== out
      ? convBn(net, `${prefix}.downsample.0`, `${prefix}.downsample.1`, x, out, 1, stride)
      : x;
  return net.relu(`${prefix}.relu`, net.sum(`${prefix}.add`, y, shortcut));
}

function resnet(name: string, kind: Block, depths: number[], options: NetOptions): Model {
  const net = new Net(name, options);
  let x = net.relu('relu', convBn(net, 'conv1', 'bn1', net.x, net.ch(64), 7, 2));
  x = net.maxPool('maxpool', x, 3, 2, 1);
  depths.forEach((depth, stage) => {
    const planes = net.ch(64 * 2 ** stage);
    for (let i = 0; i < depth; i++) {
      x = block(net, kind, `layer${stage + 1}.${i}`, x, planes, i === 0 && stage > 0 ? 2 : 1);
    }
  });
  x = net.flatten('flatten', net.globalAvgPool('avgpool', x));
  return net.output(net.linear('fc', x, net.channelsOf(x), 1000));
}

/** ResNet-18: basic blocks, [2, 2, 2, 2]. */
export const resnet18 = (options: NetOptions = {}): Model => resnet('resnet18', 'basic', [2, 2, 2, 2], options);

/** ResNet-50: bottleneck blocks, [3, 4, 6, 3]. */
export const resnet50 = (options: NetOptions = {}): Model => resnet('resnet50', 'bottleneck', [3, 4, 6, 3], options);
