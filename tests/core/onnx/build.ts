/** Helpers that run test models in onnxruntime; the graph builder itself lives in core/onnx. */
import * as ort from 'onnxruntime-node';
import type { DataType, Model, TensorData } from '../../../src-main/core/onnx/ir';
export { float, GraphBuilder, tensorOf, type AttrInput } from '../../../src-main/core/onnx/builder';
import { encodeOnnx } from '../../../src-main/core/onnx/write';
import { openSession } from '../../../src-main/core/onnx/session';

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
  const session = await openSession(source, { optimization: 'disabled' });
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
