/**
 * The small trainable zoo with the recipe each is trained with (`npm run train:zoo`), so the
 * shipped models in resources/models are reproducible from their cards.
 */
import type { Model } from '../../onnx/ir';
import type { TrainConfig } from '../../train/trainer';
import { lenet5, mobilenetV2Small, resnet20, vggSmall } from './nets';

export const smallZooNames = ['lenet5', 'vgg_small', 'resnet20', 'mobilenet_v2_small'] as const;
export type SmallZooName = (typeof smallZooNames)[number];

/** Fashion-MNIST pixel statistics of the training split, in [0, 1] units. */
export const FASHION_MNIST_NORMALIZATION = { mean: [0.286], std: [0.353] };

export interface SmallZooEntry {
  title: string;
  description: string;
  build(classes?: number): Model;
  /** Test accuracy on Fashion-MNIST the shipped model must reach. */
  targetAccuracy: number;
  recipe: Omit<TrainConfig, 'threads' | 'normalize'>;
}

const sgd = (lr: number, epochs: number, weightDecay = 5e-4): Omit<TrainConfig, 'threads' | 'normalize'> => ({
  epochs,
  batchSize: 64,
  optimizer: { kind: 'sgd', momentum: 0.9, weightDecay, nesterov: true },
  schedule: { kind: 'cosine', base: lr, warmupSteps: 200, totalSteps: 0 },
  seed: 1,
});

export const smallZoo: Record<SmallZooName, SmallZooEntry> = {
  lenet5: {
    title: 'LeNet-5',
    description: 'LeNet-5 (LeCun et al. 1998) with ReLU and max pooling, for 28x28 grayscale images.',
    build: lenet5,
    targetAccuracy: 0.89,
    recipe: sgd(0.05, 10),
  },
  vgg_small: {
    title: 'VGG-style (8 conv)',
    description: 'Eight 3x3 conv + BN + ReLU layers (32-64-128 channels), global average pooling, one linear layer.',
    build: vggSmall,
    targetAccuracy: 0.925,
    recipe: { ...sgd(0.05, 5), augment: { randomCrop: 2, flip: true } },
  },
  resnet20: {
    title: 'ResNet-20-style',
    description: 'CIFAR-style ResNet-20 (He et al. 2016): three stages of three basic blocks, 16-32-64 channels.',
    build: resnet20,
    targetAccuracy: 0.925,
    recipe: { ...sgd(0.1, 6), augment: { randomCrop: 2, flip: true } },
  },
  mobilenet_v2_small: {
    title: 'MobileNetV2-style',
    description: 'Inverted residual blocks with depthwise 3x3 convolutions and ReLU6 (Sandler et al. 2018).',
    build: mobilenetV2Small,
    targetAccuracy: 0.91,
    recipe: { ...sgd(0.05, 6, 4e-5), augment: { randomCrop: 2, flip: true } },
  },
};

export function isSmallZooName(name: string): name is SmallZooName {
  return (smallZooNames as readonly string[]).includes(name);
}
