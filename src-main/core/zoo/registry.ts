/**
 * The zoo: classic ImageNet architectures as shape-only IR models (weights `data: null`, so
 * analysis allocates nothing; `encodeOnnx` fills seeded random weights on export), with the
 * published MACs and parameters each build is checked against (docs/zoo.md).
 *
 * @example
 *   const model = zoo.resnet50.build();          // 224x224x3, dynamic batch 'N'
 *   writeOnnxFile('resnet50.onnx', model);       // random weights
 */
import type { Model } from '../onnx/ir';
import { googlenet, squeezenet10, squeezenet11 } from './branchy-nets';
import { mobilenetV1, mobilenetV2 } from './mobilenet';
import type { NetOptions } from './net';
import { alexnet, vgg16 } from './plain-nets';
import { resnet18, resnet50 } from './resnet';

export const zooNames = [
  'alexnet',
  'vgg16',
  'googlenet',
  'resnet18',
  'resnet50',
  'mobilenet_v1',
  'mobilenet_v2',
  'squeezenet1_0',
  'squeezenet1_1',
] as const;
export type ZooName = (typeof zooNames)[number];

export type ZooBuildOptions = NetOptions;

/** A published figure the build is checked against (within 2%). */
export interface PublishedCounts {
  params: number;
  macs: number;
  source: string;
}

export interface ZooEntry {
  name: ZooName;
  title: string;
  /** Builds the model; `width` < 1 gives a reduced-width variant (tests, quick exports). */
  build(options?: ZooBuildOptions): Model;
  description: string;
  /** Where the architecture definition comes from. */
  source: string;
  published: PublishedCounts;
}

const TORCHVISION = 'torchvision.models model card (weights metadata: num_params, GFLOPS counted as MACs)';

export const zoo: Record<ZooName, ZooEntry> = {
  alexnet: {
    name: 'alexnet',
    title: 'AlexNet',
    build: alexnet,
    description: 'Five convolutions and three large fully connected layers; most parameters sit in the classifier.',
    source: 'Krizhevsky, "One weird trick for parallelizing CNNs", 2014; torchvision.models.alexnet',
    published: { params: 61.10e6, macs: 714.7e6, source: TORCHVISION },
  },
  vgg16: {
    name: 'vgg16',
    title: 'VGG-16',
    build: vgg16,
    description: 'Thirteen 3x3 convolutions and three fully connected layers: the heaviest classic.',
    source: 'Simonyan & Zisserman, ICLR 2015 (configuration D); torchvision.models.vgg16',
    published: { params: 138.36e6, macs: 15.48e9, source: TORCHVISION },
  },
  googlenet: {
    name: 'googlenet',
    title: 'GoogLeNet',
    build: googlenet,
    description: 'Inception modules of parallel 1x1/3x3 branches with batch norm; no auxiliary heads.',
    source: 'Szegedy et al., CVPR 2015; torchvision.models.googlenet (3x3 in branch 3, batch norm)',
    published: { params: 6.62e6, macs: 1.505e9, source: TORCHVISION },
  },
  resnet18: {
    name: 'resnet18',
    title: 'ResNet-18',
    build: resnet18,
    description: 'Residual network of basic blocks, [2, 2, 2, 2].',
    source: 'He et al., CVPR 2016; torchvision.models.resnet18',
    published: { params: 11.69e6, macs: 1.819e9, source: TORCHVISION },
  },
  resnet50: {
    name: 'resnet50',
    title: 'ResNet-50',
    build: resnet50,
    description: 'Residual network of bottleneck blocks, [3, 4, 6, 3]; stride on the 3x3 conv (v1.5).',
    source: 'He et al., CVPR 2016; torchvision.models.resnet50',
    published: { params: 25.56e6, macs: 4.112e9, source: TORCHVISION },
  },
  mobilenet_v1: {
    name: 'mobilenet_v1',
    title: 'MobileNet-v1 1.0',
    build: mobilenetV1,
    description: 'Thirteen depthwise-separable blocks with ReLU6; 1000-class fully connected head.',
    source: 'Howard et al., arXiv 1704.04861, Table 1; TF-slim mobilenet_v1 (not in torchvision)',
    published: { params: 4.24e6, macs: 569e6, source: 'TF-slim mobilenet_v1.md (1.0 MobileNet-224)' },
  },
  mobilenet_v2: {
    name: 'mobilenet_v2',
    title: 'MobileNet-v2 1.0',
    build: mobilenetV2,
    description: 'Inverted residual blocks (expand 1x1, depthwise 3x3, linear 1x1) with ReLU6.',
    source: 'Sandler et al., CVPR 2018; torchvision.models.mobilenet_v2',
    published: { params: 3.50e6, macs: 300e6, source: 'torchvision (3.50 M params); TF-slim mobilenet_v2 (300 M MACs)' },
  },
  squeezenet1_0: {
    name: 'squeezenet1_0',
    title: 'SqueezeNet 1.0',
    build: squeezenet10,
    description: 'Fire modules (1x1 squeeze, 1x1 + 3x3 expand); convolutional classifier.',
    source: 'Iandola et al., arXiv 1602.07360; torchvision.models.squeezenet1_0',
    published: { params: 1.248e6, macs: 823.4e6, source: TORCHVISION },
  },
  squeezenet1_1: {
    name: 'squeezenet1_1',
    title: 'SqueezeNet 1.1',
    build: squeezenet11,
    description: 'SqueezeNet with a 3x3 stem and earlier pooling: 2.4x less computation than 1.0.',
    source: 'SqueezeNet v1.1 release notes (forresti/SqueezeNet); torchvision.models.squeezenet1_1',
    published: { params: 1.235e6, macs: 351.9e6, source: TORCHVISION },
  },
};

export interface ZooListing {
  name: ZooName;
  title: string;
  description: string;
  source: string;
  published: PublishedCounts;
}

/** Every zoo model, in a stable order, without the builder. */
export function listZoo(): ZooListing[] {
  return zooNames.map((name) => {
    const { title, description, source, published } = zoo[name];
    return { name, title, description, source, published };
  });
}

/** True when `name` is a zoo model name (for parsing `zoo:NAME` arguments). */
export function isZooName(name: string): name is ZooName {
  return (zooNames as readonly string[]).includes(name);
}
