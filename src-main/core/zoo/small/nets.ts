/**
 * Small trainable networks for 28x28 grayscale images (Fashion-MNIST, MNIST), the models Joule
 * trains, prunes and ships in resources/models. Built with the zoo's layer builder, so their
 * tensor names follow PyTorch's state-dict style.
 */
import type { Model } from '../../onnx/ir';
import { Net } from '../net';

const INPUT = { size: 28, channels: 1 } as const;

function convBnRelu(net: Net, name: string, x: string, out: number, options: { kernel?: number; stride?: number; groups?: number; relu6?: boolean; act?: boolean } = {}): string {
  const k = options.kernel ?? 3;
  const y = net.bn(`${name}.bn`, net.conv(`${name}.conv`, x, out, k, { stride: options.stride, pad: (k - 1) / 2, groups: options.groups, bias: false }));
  if (options.act === false) return y;
  return options.relu6 ? net.relu6(`${name}.relu6`, y) : net.relu(`${name}.relu`, y);
}

function classifier(net: Net, x: string, classes: number): Model {
  const pooled = net.flatten('flatten', net.globalAvgPool('pool', x));
  return net.output(net.linear('fc', pooled, net.channelsOf(pooled), classes));
}

/** LeNet-5 (LeCun et al. 1998) with ReLU and max pooling: 61.7 k parameters. */
export function lenet5(classes = 10): Model {
  const net = new Net('lenet5', INPUT);
  let x = net.maxPool('pool1', net.relu('relu1', net.conv('conv1', net.x, 6, 5, { pad: 2 })), 2, 2);
  x = net.maxPool('pool2', net.relu('relu2', net.conv('conv2', x, 16, 5)), 2, 2);
  x = net.flatten('flatten', x);
  x = net.relu('relu3', net.linear('fc1', x, 400, 120));
  x = net.relu('relu4', net.linear('fc2', x, 120, 84));
  return net.output(net.linear('fc3', x, 84, classes));
}

/** A VGG-style net (Simonyan & Zisserman 2015): eight 3x3 conv + BN + ReLU layers, 32-64-128 channels. */
export function vggSmall(classes = 10): Model {
  const net = new Net('vgg_small', INPUT);
  const plan: (number | 'M')[] = [32, 32, 'M', 64, 64, 'M', 128, 128, 128, 128];
  let x = net.x;
  plan.forEach((item, i) => {
    x = item === 'M' ? net.maxPool(`features.${i}.pool`, x, 2, 2) : convBnRelu(net, `features.${i}`, x, item);
  });
  return classifier(net, x, classes);
}

/** ResNet-20 in the CIFAR style of He et al. (CVPR 2016): three stages of three basic blocks, 16-32-64 channels. */
export function resnet20(classes = 10): Model {
  const net = new Net('resnet20', INPUT);
  let x = convBnRelu(net, 'stem', net.x, 16);
  [16, 32, 64].forEach((planes, stage) => {
    for (let b = 0; b < 3; b++) {
      const prefix = `layer${stage + 1}.${b}`;
      const stride = stage > 0 && b === 0 ? 2 : 1;
      const y = convBnRelu(net, `${prefix}.a`, convBnRelu(net, `${prefix}.b0`, x, planes, { stride }), planes, { act: false });
      const shortcut = stride !== 1 || net.channelsOf(x) !== planes ? convBnRelu(net, `${prefix}.shortcut`, x, planes, { kernel: 1, stride, act: false }) : x;
      x = net.relu(`${prefix}.relu`, net.sum(`${prefix}.add`, y, shortcut));
    }
  });
  return classifier(net, x, classes);
}

/** A MobileNetV2-style net (Sandler et al., CVPR 2018): inverted residuals with depthwise 3x3 convs and ReLU6. */
export function mobilenetV2Small(classes = 10): Model {
  const net = new Net('mobilenet_v2_small', INPUT);
  let x = convBnRelu(net, 'stem', net.x, 16, { relu6: true });
  // [expansion t, output channels c, repeats n, first stride s], as in the paper's Table 2.
  const settings: [number, number, number, number][] = [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 2, 1],
    [6, 96, 1, 1],
  ];
  let index = 0;
  for (const [t, c, n, s] of settings) {
    for (let i = 0; i < n; i++) {
      const prefix = `blocks.${index++}`;
      const input = x;
      const hidden = net.channelsOf(input) * t;
      let y = t === 1 ? input : convBnRelu(net, `${prefix}.expand`, input, hidden, { kernel: 1, relu6: true });
      y = convBnRelu(net, `${prefix}.depthwise`, y, hidden, { stride: i === 0 ? s : 1, groups: hidden, relu6: true });
      y = convBnRelu(net, `${prefix}.project`, y, c, { kernel: 1, act: false });
      x = i > 0 || (s === 1 && net.channelsOf(input) === c) ? net.sum(`${prefix}.add`, y, input) : y;
    }
  }
  x = convBnRelu(net, 'head', x, 256, { kernel: 1, relu6: true });
  return classifier(net, x, classes);
}
