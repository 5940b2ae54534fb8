/**
 * The contract between the reverse-mode driver (`differentiate.ts`) and the per-operator
 * gradient rules in `rules/`. A rule may replace its node's forward pass with a training-mode
 * version (batch statistics, active dropout, extra outputs the backward needs), and emits the
 * gradients of the node's inputs from the gradients of its outputs with standard ONNX ops.
 */
import type { Node } from '../../onnx/ir';
import type { Emitter } from './emitter';
import type { GradientError } from './errors';
import type { Dims } from './dims';

/** How training-mode ops are lowered and which gradient formulations are used. */
export interface AutodiffOptions {
  /** 'train': batch statistics and updated running stats; 'frozen': running stats, gradient to gamma/beta only. */
  batchNormMode: 'train' | 'frozen';
  /**
   * Conv weight gradient (`rules/conv-weight.ts`): 'auto' (default) picks per layer what
   * measured fastest; 'batched': shifted slices in NCHW + one MatMul per image; 'im2col':
   * channels-first shifted slices + Gemm (the earlier default); 'batchlast': the same on the
   * input as [C, S..., N] (one group); 'swap': Conv with batch and channel axes swapped.
   */
  convWeightGrad: 'auto' | 'batched' | 'im2col' | 'batchlast' | 'swap';
  /**
   * Train-mode BatchNormalization statistics: 'kernel' (default): onnxruntime's training-mode
   * BatchNormalization computes the batch mean and variance and normalises in one node;
   * 'reduce': ReduceMean and ReduceSumSquare of x - mean, then the inference node (earlier).
   */
  batchNormStats: 'kernel' | 'reduce';
  /**
   * MaxPool gradient where windows tile the input: 'mask' (default): compare the input with
   * the upsampled output (`rules/pool-tiles.ts`); 'blocks': the same comparison on a
   * SpaceToDepth view (the earlier form, and float64's); 'indices': scatter through the
   * Indices output (everywhere else, and when asked).
   */
  maxPoolGrad: 'mask' | 'blocks' | 'indices';
  /** Base of the Dropout seeds; node k gets seed + k, so runs are reproducible. */
  dropoutSeed: number;
  /**
   * onnxruntime's NCHWc block size (`rules/conv-nchwc.ts`, probed by `train/nchwc-block.ts`),
   * or 0: float32 2-d convolutions of the forward pass and the stride-1 input gradients, and
   * depthwise weight gradients, then run by its blocked kernels (`com.microsoft.nchwc`
   * operators). 0 keeps the graph standard ONNX.
   */
  nchwcBlock: number;
}

interface NodeContext {
  readonly node: Node;
  readonly e: Emitter;
  readonly options: AutodiffOptions;
  /** Dims of input `i` of the node. */
  inDims(i: number): Dims;
  /** Dims of output `i` of the node. */
  outDims(i: number): Dims;
  /** Whether input `i` is present (not omitted with ''). */
  has(i: number): boolean;
  /** Elements of input `i` when they are constant (initializer, Constant, folded shape), else undefined. */
  constant(i: number): number[] | undefined;
  /** A `GradientError` naming the node. */
  error(message: string): GradientError;
}

export interface ForwardContext extends NodeContext {
  /** Whether input `i` depends on a tensor the gradient is taken with respect to. */
  requiresGrad(i: number): boolean;
  /** Keeps a tensor of the forward pass for the backward rule. */
  save(key: string, tensor: string): void;
  /** Adds a graph output (the updated BatchNormalization running statistics). */
  output(name: string, dims: Dims): void;
  /** Emits `node` (default: the context's node) unchanged. */
  copy(node?: Node): void;
  /** Position of the node in the forward pass (distinct Dropout seeds). */
  readonly index: number;
}

export interface BackwardContext extends NodeContext {
  /** Gradient of output `i`, or undefined when no path from it reaches the loss. */
  dy(i: number): string | undefined;
  /** Whether the gradient of input `i` is wanted. Rules emit nothing for inputs not needed. */
  needs(i: number): boolean;
  /** A tensor the forward hook saved. */
  saved(key: string): string;
}

export interface GradientRule {
  /** Input slots that carry a gradient (default: all). Others (shapes, ratios, clip bounds) never do. */
  readonly differentiable?: readonly number[];
  /** Training-mode forward; without it the node is copied unchanged. */
  forward?(ctx: ForwardContext): void;
  /** One gradient per input (undefined where not needed or not differentiable). */
  backward(ctx: BackwardContext): (string | undefined)[];
}
