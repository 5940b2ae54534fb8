/**
 * The plain (chain-shaped) classics: AlexNet and VGG-16, as torchvision defines them.
 *
 * torchvision's `AdaptiveAvgPool2d((6, 6))` / `((7, 7))` before the classifier is the identity
 * at 224x224 input (the feature map already has that size), so it is left out: the graph is
 * the one a 224x224 export computes, with the same MACs and parameters.
 */
import type { Model } from '../onnx/ir';
import { Net } from './net';
import type { NetOptions } from './net';

/**
 * AlexNet, torchvision's single-tower variant (Krizhevsky, "One weird trick...", 2014):
 * 5 convolutions (64, 192, 384, 256, 256 channels) and 3 fully connected layers.
 */
export function alexnet(options: NetOptions = {}): Model {
  const net = new Net('alexnet', options);
  const c = (n: number) => net.ch(n);
  let x = net.x;
  const convs: [number, number, number, number, boolean][] = [
    // out, kernel, stride, pad, max-pool after
    [64, 11, 4, 2, true],
    [192, 5, 1, 2, true],
    [384, 3, 1, 1, false],
    [256, 3, 1, 1, false],
    [256, 3, 1, 1, true],
  ];
  let index = 0;
  for (const [out, k, stride, pad, pool] of convs) {
    x = net.conv(`features.${index}`, x, c(out), k, { stride, pad });
    x = net.relu(`features.${index + 1}`, x);
    index += 2;
    if (pool) x = net.maxPool(`features.${index++}`, x, 3, 2);
  }
  x = net.flatten('flatten', x);
  x = net.relu('classifier.2', net.linear('classifier.1', x, c(256) * 36, c(4096)));
  x = net.relu('classifier.5', net.linear('classifier.4', x, c(4096), c(4096)));
  return net.output(net.linear('classifier.6', x, c(4096), 1000));
}

/** torchvision's configuration 'D': 13 3x3 convolutions in 5 stages, then 3 fully connected. */
const VGG16_STAGES = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]];

/** VGG-16 without batch norm (Simonyan & Zisserman, ICLR 2015; torchvision `vgg16`). */
export function vgg16(options: NetOptions = {}): Model {
  const net = new Net('vgg16', options);
  const c = (n: number) => net.ch(n);
  let x = net.x;
  let index = 0;
  for (const stage of VGG16_STAGES) {
    for (const out of stage) {
      x = net.conv(`features.${index}`, x, c(out), 3, { pad: 1 });
      x = net.relu(`features.${index + 1}`, x);
      index += 2;
    }
    x = net.maxPool(`features.${index++}`, x, 2, 2);
  }
  x = net.flatten('flatten', x);
  x = net.relu('classifier.1', net.linear('classifier.0', x, c(512) * 49, c(4096)));
  x = net.relu('classifier.4', net.linear('classifier.3', x, c(4096), c(4096)));
  return net.output(net.linear('classifier.6', x, c(4096), 1000));
}
