/**
 * A tiny builder for test graphs over the IR, plus helpers that run a model in onnxruntime.
 */
import * as ort from 'onnxruntime-node';
import { emptyModel } from '../../../src-main/core/onnx/ir';
import type { Attribute, DataType, Dim, Model, Node, Tensor, TensorData } from '../../../src-main/core/onnx/ir';
import { encodeOnnx } from '../../../src-main/core/onnx/write';

export type AttrInput = Attribute | number | number[] | string | string[];

/** Integers become 'int(s)', other numbers 'float(s)'; pass an Attribute to force a kind. */
function toAttribute(v: AttrInput): Attribute {
  if (typeof v === 'string') return { kind: 'string', value: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { kind: 'int', value: v } : { kind: 'float', value: v };
  if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === 'string') return { kind: 'strings', value: v as string[] };
    const nums = v as number[];
    return nums.every(Number.isInteger) ? { kind: 'ints', value: nums } : { kind: 'floats', value: nums };
  }
  return v;
}

export const float = (value: number): Attribute => ({ kind: 'float', value });

export class GraphBuilder {
  readonly model: Model;
  private count = 0;

  constructor(opset: number, irVersion = 8) {
    this.model = emptyModel(opset, irVersion);
  }

  input(name: string, shape: Dim[], dtype: DataType = 'float32'): string {
    this.model.graph.inputs.push({ name, dtype, shape });
    return name;
  }

  /** An initializer; without data it is shape-only and gets generated weights on export. */
  weight(name: string, dims: number[], data: TensorData | null = null, dtype: DataType = 'float32'): string {
    this.model.graph.initializers.set(name, { name, dtype, dims, data });
    return name;
  }

  /** A 1-d int64 initializer (shapes, axes, pads, split sizes). */
  ints(name: string, values: number[]): string {
    return this.weight(name, [values.length], BigInt64Array.from(values.map(BigInt)), 'int64');
  }

  /** Adds a node; returns its output names (`outputs` names them or says how many). */
  node(opType: string, inputs: string[], attrs: Record<string, AttrInput> = {}, outputs: number | string[] = 1): string[] {
    const index = this.count++;
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, (_, i) => `${opType.toLowerCase()}${index}_${i}`) : outputs;
    const attributes: Record<string, Attribute> = {};
    for (const [k, v] of Object.entries(attrs)) attributes[k] = toAttribute(v);
    const node: Node = { name: `${opType.toLowerCase()}_${index}`, opType, domain: '', inputs, outputs: outs, attributes };
    this.model.graph.nodes.push(node);
    return outs;
  }

  /** Shorthand for single-output nodes. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrInput> = {}): string {
    return this.node(opType, inputs, attrs)[0];
  }

  output(name: string, dtype: DataType = 'float32'): void {
    this.model.graph.outputs.push({ name, dtype, shape: null });
  }
}

export function tensorOf(name: string, dtype: DataType, dims: number[], data: TensorData): Tensor {
  return { name, dtype, dims, data };
}

/** Deterministic pseudo-random feed values, so runs before and after a round trip match. */
function feedData(dtype: DataType, n: number, seed: number): TensorData {
  const values = Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 0.5);
  switch (dtype) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'int64':
      return new BigInt64Array(n);
    case 'int32':
      return new Int32Array(n);
    default:
      throw new Error(`no test feed for ${dtype}`);
  }
}

/** Inputs for every graph input; dynamic dims take `dynamic` (default 1). */
export function feedsFor(model: Model, dynamic = 1): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  model.graph.inputs.forEach((v, i) => {
    const dims = (v.shape ?? []).map((d) => (typeof d === 'number' && d > 0 ? d : dynamic));
    const n = dims.reduce((a, b) => a * b, 1);
    feeds[v.name] = new ort.Tensor(v.dtype as 'float32', feedData(v.dtype, n, i + 1) as Float32Array, dims);
  });
  return feeds;
}

export interface OrtResult {
  dims: number[];
  type: string;
  data: ArrayLike<number | bigint | boolean>;
}

/** Runs the model (bytes or a file path) in onnxruntime and returns every output. */
export async function runOrt(
  source: Uint8Array | string,
  feeds: Record<string, ort.Tensor>,
): Promise<Map<string, OrtResult>> {
  // Errors only: onnxruntime warns when its own (older) shape inference disagrees with its kernels.
  const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, graphOptimizationLevel: 'disabled', logSeverityLevel: 3 };
  const session =
    typeof source === 'string'
      ? await ort.InferenceSession.create(source, options)
      : await ort.InferenceSession.create(source, options);
  try {
    const results = await session.run(feeds);
    const out = new Map<string, OrtResult>();
    for (const [name, t] of Object.entries(results)) {
      out.set(name, { dims: [...t.dims], type: t.type, data: t.data as ArrayLike<number> });
    }
    return out;
  } finally {
    await session.release();
  }
}

/** Encodes and runs a model, feeding generated inputs. */
export async function runModel(model: Model, dynamic = 1): Promise<Map<string, OrtResult>> {
  return runOrt(encodeOnnx(model), feedsFor(model, dynamic));
}
