/**
 * Shared test data: single-layer models covering the shapes the tiling model must handle, and
 * every profile the energy model knows (the device library, Eyeriss, the cloud T4).
 */
import path from 'node:path';
import type { Precision } from '../../../src-main/common/devices/profile';
import { cloudT4Profile, eyerissProfile } from '../../../src-main/core/energy/builtin-profiles';
import { DeviceLibrary } from '../../../src-main/core/energy/device-library';
import type { EnergyProfile } from '../../../src-main/core/energy/device-kind';
import { GraphBuilder } from '../../../src-main/core/onnx/builder';
import type { Model } from '../../../src-main/core/onnx/ir';

export interface LayerCase {
  name: string;
  op: 'Conv' | 'Gemm' | 'MatMul';
  /** Input [channels, height, width] for Conv; [rows, features] for Gemm / MatMul. */
  input: number[];
  out: number;
  kernel?: number;
  stride?: number;
  pad?: number;
  groups?: number;
  dilation?: number;
  bias?: boolean;
}

export const LAYERS: LayerCase[] = [
  { name: 'AlexNet conv1 11x11/4', op: 'Conv', input: [3, 224, 224], out: 64, kernel: 11, stride: 4, pad: 2, bias: true },
  { name: 'ResNet conv1 7x7/2', op: 'Conv', input: [3, 224, 224], out: 64, kernel: 7, stride: 2, pad: 3 },
  { name: '3x3 64->64 at 56', op: 'Conv', input: [64, 56, 56], out: 64, kernel: 3, pad: 1 },
  { name: '3x3/2 128 at 56', op: 'Conv', input: [128, 56, 56], out: 128, kernel: 3, stride: 2, pad: 1 },
  { name: '1x1 256->64 at 56', op: 'Conv', input: [256, 56, 56], out: 64, kernel: 1 },
  { name: '1x1 512->2048 at 7', op: 'Conv', input: [512, 7, 7], out: 2048, kernel: 1 },
  { name: 'depthwise 3x3/2 144 at 56', op: 'Conv', input: [144, 56, 56], out: 144, kernel: 3, stride: 2, pad: 1, groups: 144 },
  { name: 'grouped 3x3 g4 64 at 28', op: 'Conv', input: [64, 28, 28], out: 64, kernel: 3, pad: 1, groups: 4 },
  { name: 'dilated 3x3 d2 32 at 28', op: 'Conv', input: [32, 28, 28], out: 32, kernel: 3, pad: 2, dilation: 2 },
  { name: '5x5 48->128 at 27', op: 'Conv', input: [48, 27, 27], out: 128, kernel: 5, pad: 2, bias: true },
  { name: 'VGG 3x3 512 at 14', op: 'Conv', input: [512, 14, 14], out: 512, kernel: 3, pad: 1, bias: true },
  { name: 'tiny 3x3 8 at 8', op: 'Conv', input: [8, 8, 8], out: 8, kernel: 3, pad: 1 },
  { name: 'FC 9216->4096', op: 'Gemm', input: [1, 9216], out: 4096, bias: true },
  { name: 'FC 512->1000', op: 'Gemm', input: [1, 512], out: 1000, bias: true },
  { name: 'MatMul 196x768 x 768x3072', op: 'MatMul', input: [196, 768], out: 3072 },
];

/** A one-node model for a layer case; `scaleOut` multiplies its output channels. */
export function layerModel(c: LayerCase, scaleOut = 1): Model {
  const b = new GraphBuilder(13);
  const out = c.out * scaleOut;
  if (c.op === 'Conv') {
    const [ch, h, w] = c.input;
    const k = c.kernel ?? 1;
    const groups = c.groups ?? 1;
    // Doubling a depthwise layer's outputs gives it a channel multiplier of 2.
    const inputs = [b.input('x', [1, ch, h, w]), b.weight('w', [out, ch / groups, k, k])];
    if (c.bias) inputs.push(b.weight('b', [out]));
    const pad = c.pad ?? 0;
    const d = c.dilation ?? 1;
    b.output(b.op('Conv', inputs, { strides: [c.stride ?? 1, c.stride ?? 1], pads: [pad, pad, pad, pad], dilations: [d, d], group: groups }));
  } else if (c.op === 'Gemm') {
    const inputs = [b.input('x', c.input), b.weight('w', [out, c.input[1]])];
    if (c.bias) inputs.push(b.weight('b', [out]));
    b.output(b.op('Gemm', inputs, { transB: 1 }));
  } else {
    b.output(b.op('MatMul', [b.input('x', c.input), b.weight('w', [c.input[1], out])]));
  }
  b.model.graph.name = c.name;
  return b.model;
}

/** Elements of weights (+ bias), input and output of a layer case, as a single pass touches them. */
export function tensorElements(c: LayerCase): { weights: number; input: number; output: number } {
  if (c.op !== 'Conv') {
    const [rows, k] = c.input;
    return { weights: k * c.out + (c.bias ? c.out : 0), input: rows * k, output: rows * c.out };
  }
  const [ch, h, w] = c.input;
  const k = c.kernel ?? 1;
  const span = (k - 1) * (c.dilation ?? 1) + 1;
  const outSize = (size: number) => Math.floor((size + 2 * (c.pad ?? 0) - span) / (c.stride ?? 1)) + 1;
  return {
    weights: (c.out * ch * k * k) / (c.groups ?? 1) + (c.bias ? c.out : 0),
    input: ch * h * w,
    output: c.out * outSize(h) * outSize(w),
  };
}

export interface ProfileCase {
  profile: EnergyProfile;
  precision: Precision;
}

let library: DeviceLibrary | null = null;

/** Every profile at every precision it supports. */
export async function allProfiles(): Promise<ProfileCase[]> {
  library ??= await DeviceLibrary.load(path.resolve('resources/devices'));
  const lib = library;
  const profiles = [...lib.ids().map((id) => lib.get(id) as EnergyProfile), eyerissProfile(), cloudT4Profile()];
  return profiles.flatMap((profile) => profile.precisions.map((precision) => ({ profile, precision })));
}

export async function libraryProfile(id: string): Promise<EnergyProfile> {
  library ??= await DeviceLibrary.load(path.resolve('resources/devices'));
  return library.get(id);
}
