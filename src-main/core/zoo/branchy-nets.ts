/**
 * The classics with parallel branches joined by Concat: GoogLeNet (Szegedy et al., CVPR 2015)
 * and SqueezeNet 1.0 / 1.1 (Iandola et al., 2016), as torchvision defines them.
 */
import type { Model } from '../onnx/ir';
import { Net } from './net';
import type { NetOptions } from './net';

/** torchvision's BasicConv2d: conv without bias, batch norm (eps 0.001), ReLU. */
function basicConv(net: Net, prefix: string, x: string, out: number, k: number, stride = 1): string {
  const y = net.conv(`${prefix}.conv`, x, out, k, { stride, pad: Math.floor(k / 2), bias: false });
  return net.relu(`${prefix}.relu`, net.bn(`${prefix}.bn`, y, 1e-3));
}

/** Inception module channels: 1x1, 3x3 reduce, 3x3, "5x5" reduce, "5x5", pool projection. */
type Inception = [number, number, number, number, number, number];

/**
 * torchvision's GoogLeNet uses a 3x3 convolution where the paper's branch 3 has a 5x5 (a
 * known discrepancy kept for weight compatibility); this follows torchvision.
 */
function inception(net: Net, name: string, x: string, c: Inception): string {
  const [b1, b2r, b2, b3r, b3, b4] = c.map((n) => net.ch(n));
  const y1 = basicConv(net, `${name}.branch1`, x, b1, 1);
  const y2 = basicConv(net, `${name}.branch2.1`, basicConv(net, `${name}.branch2.0`, x, b2r, 1), b2, 3);
  const y3 = basicConv(net, `${name}.branch3.1`, basicConv(net, `${name}.branch3.0`, x, b3r, 1), b3, 3);
  const pooled = net.maxPool(`${name}.branch4.0`, x, 3, 1, 1, true);
  const y4 = basicConv(net, `${name}.branch4.1`, pooled, b4, 1);
  return net.concat(`${name}.concat`, [y1, y2, y3, y4]);
}

/** GoogLeNet without the auxiliary classifiers (torchvision's inference graph). */
export function googlenet(options: NetOptions = {}): Model {
  const net = new Net('googlenet', options);
  let x = basicConv(net, 'conv1', net.x, net.ch(64), 7, 2);
  x = net.maxPool('maxpool1', x, 3, 2, 0, true);
  x = basicConv(net, 'conv2', x, net.ch(64), 1);
  x = basicConv(net, 'conv3', x, net.ch(192), 3);
  x = net.maxPool('maxpool2', x, 3, 2, 0, true);
  x = inception(net, 'inception3a', x, [64, 96, 128, 16, 32, 32]);
  x = inception(net, 'inception3b', x, [128, 128, 192, 32, 96, 64]);
  x = net.maxPool('maxpool3', x, 3, 2, 0, true);
  x = inception(net, 'inception4a', x, [192, 96, 208, 16, 48, 64]);
  x = inception(net, 'inception4b', x, [160, 112, 224, 24, 64, 64]);
  x = inception(net, 'inception4c', x, [128, 128, 256, 24, 64, 64]);
  x = inception(net, 'inception4d', x, [112, 144, 288, 32, 64, 64]);
  x = inception(net, 'inception4e', x, [256, 160, 320, 32, 128, 128]);
  x = net.maxPool('maxpool4', x, 2, 2, 0, true);
  x = inception(net, 'inception5a', x, [256, 160, 320, 32, 128, 128]);
  x = inception(net, 'inception5b', x, [384, 192, 384, 48, 128, 128]);
  x = net.flatten('flatten', net.globalAvgPool('avgpool', x));
  return net.output(net.linear('fc', x, net.channelsOf(x), 1000));
}

/** Fire module: 1x1 squeeze, then 1x1 and 3x3 expands concatenated. */
function fire(net: Net, name: string, x: string, squeeze: number, expand: number): string {
  const s = net.relu(`${name}.squeeze_activation`, net.conv(`${name}.squeeze`, x, net.ch(squeeze), 1));
  const e1 = net.relu(`${name}.expand1x1_activation`, net.conv(`${name}.expand1x1`, s, net.ch(expand), 1));
  const e3 = net.relu(`${name}.expand3x3_activation`, net.conv(`${name}.expand3x3`, s, net.ch(expand), 3, { pad: 1 }));
  return net.concat(`${name}.concat`, [e1, e3]);
}

/** A SqueezeNet feature layer: a Fire module (squeeze, expand) or a 3x3/2 max pool ('pool'). */
type SqueezeLayer = [number, number] | 'pool';

function squeezenet(name: string, stem: [number, number, number], layers: SqueezeLayer[], options: NetOptions): Model {
  const net = new Net(name, options);
  const [stemOut, stemKernel] = stem;
  let x = net.relu('features.1', net.conv('features.0', net.x, net.ch(stemOut), stemKernel, { stride: stem[2] }));
  x = net.maxPool('features.2', x, 3, 2, 0, true);
  layers.forEach((layer, i) => {
    const index = i + 3;
    x = layer === 'pool' ? net.maxPool(`features.${index}`, x, 3, 2, 0, true) : fire(net, `features.${index}`, x, layer[0], layer[1]);
  });
  // Classifier: (dropout), 1x1 conv to the classes, ReLU, global average pool.
  x = net.relu('classifier.2', net.conv('classifier.1', x, 1000, 1));
  return net.output(net.flatten('flatten', net.globalAvgPool('classifier.3', x)));
}

/** SqueezeNet 1.0: 7x7/2 stem with 96 channels, pools after fire4 and fire8. */
export const squeezenet10 = (options: NetOptions = {}): Model =>
  squeezenet(
    'squeezenet1_0',
    [96, 7, 2],
    [[16, 64], [16, 64], [32, 128], 'pool', [32, 128], [48, 192], [48, 192], [64, 256], 'pool', [64, 256]],
    options,
  );

/** SqueezeNet 1.1: 3x3/2 stem with 64 channels, pools moved earlier ("2.4x less computation"). */
export const squeezenet11 = (options: NetOptions = {}): Model =>
  squeezenet(
    'squeezenet1_1',
    [64, 3, 2],
    [[16, 64], [16, 64], 'pool', [32, 128], [32, 128], 'pool', [48, 192], [48, 192], [64, 256], [64, 256]],
    options,
  );
