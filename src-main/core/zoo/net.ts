/**
 * A layer-level builder for the zoo: PyTorch-style modules (conv, batch norm, pooling, linear)
 * over `GraphBuilder`, with readable node names (`layer1.0.conv1`) and shape-only weights
 * named like torchvision's state dict (`layer1.0.conv1.weight`). It tracks the channel count
 * of every tensor so a builder only states output channels, as in the papers.
 *
 * @example
 *   const net = new Net('squeezenet1_1');
 *   const y = net.relu('features.1', net.conv('features.0', net.x, 64, 3, { stride: 2 }));
 *   net.output(net.linear('fc', net.flatten('flatten', net.globalAvgPool('pool', y)), 1000));
 */
import { GraphBuilder } from '../onnx/builder';
import type { AttrInput } from '../onnx/builder';
import type { Dim, Model } from '../onnx/ir';

/** ONNX opset of every zoo model: Clip takes its bounds as inputs, as exporters write it. */
export const ZOO_OPSET = 13;

export interface ConvOptions {
  stride?: number;
  /** Symmetric padding on every side; default 0. */
  pad?: number;
  groups?: number;
  /** torchvision convolutions followed by batch norm have no bias. */
  bias?: boolean;
}

export interface NetOptions {
  /** Batch dimension of the input: a size or a symbolic name (default 'N'). */
  batch?: Dim;
  /** Input height and width (default 224, ImageNet). */
  size?: number;
  /** Input channels (default 3; 1 for grayscale datasets such as Fashion-MNIST). */
  channels?: number;
  /** Channel width multiplier applied to every layer but the classifier output (default 1). */
  width?: number;
}

export class Net {
  readonly g = new GraphBuilder(ZOO_OPSET);
  /** The network input, `[batch, channels, size, size]`. */
  readonly x: string;
  private readonly channels = new Map<string, number>();
  private readonly width: number;
  private relu6Bounds: [string, string] | null = null;

  constructor(name: string, options: NetOptions = {}) {
    this.g.model.graph.name = name;
    const size = options.size ?? 224;
    const channels = options.channels ?? 3;
    this.x = this.g.input('input', [options.batch ?? 'N', channels, size, size]);
    this.channels.set(this.x, channels);
    this.width = options.width ?? 1;
  }

  /** A channel count scaled by the width multiplier, at least 1. */
  ch(channels: number): number {
    return Math.max(1, Math.round(channels * this.width));
  }

  channelsOf(x: string): number {
    const c = this.channels.get(x);
    if (c === undefined) throw new Error(`zoo builder: no channel count for tensor '${x}'`);
    return c;
  }

  /** A convolution with a square kernel; `out` is taken as given (scale it with `ch`). */
  conv(name: string, x: string, out: number, kernel: number, o: ConvOptions = {}): string {
    const cin = this.channelsOf(x);
    const groups = o.groups ?? 1;
    const pad = o.pad ?? 0;
    const inputs = [x, this.g.weight(`${name}.weight`, [out, cin / groups, kernel, kernel])];
    if (o.bias ?? true) inputs.push(this.g.weight(`${name}.bias`, [out]));
    const attrs: Record<string, AttrInput> = {
      kernel_shape: [kernel, kernel],
      strides: [o.stride ?? 1, o.stride ?? 1],
      pads: [pad, pad, pad, pad],
    };
    if (groups !== 1) attrs.group = groups;
    return this.add1('Conv', name, inputs, attrs, out);
  }

  bn(name: string, x: string, eps = 1e-5): string {
    const c = this.channelsOf(x);
    const params = ['weight', 'bias', 'running_mean', 'running_var'].map((p) => this.g.weight(`${name}.${p}`, [c]));
    return this.add1('BatchNormalization', name, [x, ...params], { epsilon: { kind: 'float', value: eps } }, c);
  }

  relu(name: string, x: string): string {
    return this.add1('Relu', name, [x], {}, this.channelsOf(x));
  }

  /** ReLU6 as ONNX exporters write it: Clip(x, 0, 6), with the bounds shared by every node. */
  relu6(name: string, x: string): string {
    if (!this.relu6Bounds) {
      this.relu6Bounds = [
        this.g.weight('relu6.min', [], Float32Array.of(0)),
        this.g.weight('relu6.max', [], Float32Array.of(6)),
      ];
    }
    return this.add1('Clip', name, [x, ...this.relu6Bounds], {}, this.channelsOf(x));
  }

  maxPool(name: string, x: string, kernel: number, stride: number, pad = 0, ceil = false): string {
    const attrs: Record<string, AttrInput> = { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad] };
    if (ceil) attrs.ceil_mode = 1;
    return this.add1('MaxPool', name, [x], attrs, this.channelsOf(x));
  }

  globalAvgPool(name: string, x: string): string {
    return this.add1('GlobalAveragePool', name, [x], {}, this.channelsOf(x));
  }

  sum(name: string, a: string, b: string): string {
    return this.add1('Add', name, [a, b], {}, this.channelsOf(a));
  }

  concat(name: string, xs: string[]): string {
    const c = xs.reduce((n, x) => n + this.channelsOf(x), 0);
    return this.add1('Concat', name, xs, { axis: 1 }, c);
  }

  flatten(name: string, x: string): string {
    return this.add1('Flatten', name, [x], { axis: 1 }, this.channelsOf(x));
  }

  /** A fully connected layer on a flattened input of `inFeatures` (torch layout, [out, in]). */
  linear(name: string, x: string, inFeatures: number, out: number): string {
    const w = this.g.weight(`${name}.weight`, [out, inFeatures]);
    const b = this.g.weight(`${name}.bias`, [out]);
    return this.add1('Gemm', name, [x, w, b], { transB: 1 }, out);
  }

  output(x: string): Model {
    this.g.output(x);
    return this.g.model;
  }

  /** Adds a node named `name` whose single output tensor is also called `name`. */
  private add1(op: string, name: string, inputs: string[], attrs: Record<string, AttrInput>, channels: number): string {
    this.g.node(op, inputs, attrs, [name]);
    const nodes = this.g.model.graph.nodes;
    nodes[nodes.length - 1].name = name;
    this.channels.set(name, channels);
    return name;
  }
}
